// Public key export: the DER SubjectPublicKeyInfo of an RSA or EC key on the token, read
// from its public attributes. No caller ever supplies the public key.
#pragma once

#include "hsm/session.h"

namespace hsm {

// `key` may be a public or a private key object. RSA: from CKA_MODULUS and
// CKA_PUBLIC_EXPONENT. EC public object: CKA_EC_POINT. EC private object (PKCS#11 does not
// expose its point): two on-token ECDSA signatures over random digests, from which the
// point is recovered on the host (public data only) as the one candidate both agree on.
Bytes publicKeySpki(Session& session, ObjectHandle key);

// Creates an RSA public key object from a DER SPKI (another token's public key, e.g. a
// peer region's transport key to wrap to); `tmpl` supplies class, persistence and usage.
ObjectHandle createRsaPublic(Session& session, ByteView spkiDer, AttributeTemplate tmpl);

}  // namespace hsm
