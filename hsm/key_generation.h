// Key generation on a session: AES, generic secret (HMAC), RSA and EC, with the policy
// templates of key_policies.h deciding persistence and usage.
#pragma once

#include "hsm/key_policies.h"
#include "hsm/session.h"

namespace hsm {

// `tmpl` is a policy template; the size attributes are added here.
ObjectHandle generateAes(Session& s, CK_ULONG bytes, AttributeTemplate tmpl);
ObjectHandle generateGenericSecret(Session& s, CK_ULONG bytes, AttributeTemplate tmpl);
// Public templates already carry the modulus size or curve (customerRsaPublic etc.).
KeyPair generateRsa(Session& s, const AttributeTemplate& publicTmpl,
                    const AttributeTemplate& privateTmpl);
KeyPair generateEc(Session& s, const AttributeTemplate& publicTmpl,
                   const AttributeTemplate& privateTmpl);

}  // namespace hsm
