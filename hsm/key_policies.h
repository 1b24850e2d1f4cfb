// Key policies: every attribute template Keyport creates keys with, in one file. This is
// the one place to review what may leave a token and what each key may be used for.
#pragma once

#include <string>

#include "hsm/attributes.h"

namespace hsm {

enum class Persistence { Session, Token };

enum class Curve { P256, P384 };
const char* curveName(Curve curve);
// DER-encoded named-curve OID (CKA_EC_PARAMS).
ByteView curveParams(Curve curve);

namespace policy {

// ---- Static objects of a region token (created once by provisioning) ----

// The region KEK, MAC key, transport private key and ceremony signing key are
// backup-capable: extractable only under a wrapping key the SO marked CKA_TRUSTED
// (CKA_WRAP_WITH_TRUSTED), which only `keyport ceremony backup` creates. Tokens provisioned
// before that are not (CKA_EXTRACTABLE false); `keyport ceremony rollover` replaces the KEK.

// Region KEK: AES-256 that wraps customer key material into blobs.
AttributeTemplate regionKek(const std::string& label);
// MAC key: HMAC-SHA256 key that authenticates import tokens and blobs on-token.
AttributeTemplate macKey(const std::string& label);
// Transport pair: RSA; other regions wrap replicas to the public half; the private half
// can only unwrap.
AttributeTemplate transportPublic(const std::string& label, CK_ULONG bits);
AttributeTemplate transportPrivate(const std::string& label);
// Ceremony signing pair: ECDSA P-256; the private half signs ceremony transcript records
// only, the public half is what `keyport ceremony verify` checks them with.
AttributeTemplate ceremonyPublic(const std::string& label);
AttributeTemplate ceremonyPrivate(const std::string& label);
// Public marker written last by provisioning, so a re-run can see without logging in
// (every C_Login rewrites SoftHSM's token.object) that the token is complete.
AttributeTemplate provisionedMarker(const std::string& label, const std::string& contents);

// ---- Import wrapping pairs (token objects, rotated) ----

AttributeTemplate importWrappingPublic(const std::string& label, CK_ULONG bits);
// Unwrap only; decrypt too when host-assisted OAEP is enabled (raw RSA on-token).
AttributeTemplate importWrappingPrivate(const std::string& label, bool allowRawDecrypt);

// ---- Customer keys ----

// Usable copy of a customer key, unwrapped from its blob: sensitive, non-extractable.
AttributeTemplate customerAesKey(Persistence p);
// The session copy of a convergent AES key: as customerAesKey, and it may derive its
// synthetic-IV key (convergentIvKey) on-token. Nothing else is ever derived from it.
AttributeTemplate convergentAesKey();
// The HMAC-SHA256 key derived on-token from a convergent AES key (AES-ECB of fixed labels):
// sensitive, non-extractable, sign only, destroyed right after computing one IV.
AttributeTemplate convergentIvKey();
AttributeTemplate customerHmacKey(Persistence p);
AttributeTemplate customerRsaPrivate(Persistence p);
AttributeTemplate customerEcPrivate(Persistence p);
// Public halves generated alongside a customer key pair (verify/encrypt only).
AttributeTemplate customerRsaPublic(Persistence p, CK_ULONG bits);
AttributeTemplate customerEcPublic(Persistence p, Curve curve);

// The shared secret of an ECDH derivation (derive-shared-secret): a session object that is
// NOT sensitive, because the caller asked for exactly this secret; read once into
// SecretBytes and destroyed. It can do nothing on the token (no usage flags).
AttributeTemplate derivedSharedSecret(CK_ULONG bytes);

// The one-time AES key that carries a data key pair's new private key to the host (the
// caller asked for that pair; create-rsa/ec-datakey-pair): its value is the host's random,
// it can only wrap, and it is destroyed right after the one wrap.
AttributeTemplate dataKeyPairCarrier(ByteView value);

// Transient extractable copy: exists only between a generate/unwrap and the wrap that
// turns it into a blob (under the region KEK, or an ephemeral key for replication).
// Sensitive, so its value can never be read, only wrapped.
AttributeTemplate transientAes(CK_ULONG bytes);
AttributeTemplate transientSecret(CK_KEY_TYPE keyType);
AttributeTemplate transientPrivate(CK_KEY_TYPE keyType);
AttributeTemplate transientRsaPublic(CK_ULONG bits);
AttributeTemplate transientEcPublic(Curve curve);

// Ephemeral AES-256 that carries one key between tokens (replication), wrap/unwrap only.
AttributeTemplate ephemeralTransportKey();
// The ephemeral key as it arrives on the target token: unwrap only, never extractable.
// (No CKA_VALUE_LEN: SoftHSM refuses it in an unwrap template as read-only.)
AttributeTemplate arrivedTransportKey();
// A peer region's transport public key, created on this token as a session object so the
// ephemeral key can be wrapped to it. Wrap only.
AttributeTemplate peerTransportPublic();

// ---- Secret envelopes (CSMS) ----

// A customer AES key (CMK) opened to wrap and unwrap secret data keys; it cannot encrypt
// or decrypt data and is never extractable.
AttributeTemplate envelopeCmk();
// A secret version's data key as generated: AES-256, sensitive, encrypts the value once,
// extractable only so it can be wrapped under the CMK.
AttributeTemplate newDataKey();
// A data key unwrapped to read a value: decrypt only, never extractable.
AttributeTemplate openedDataKey();

}  // namespace policy
}  // namespace hsm

namespace hsm::policy {
// Session key pair the capability probe exercises every RSA mechanism with.
AttributeTemplate probeRsaPublic(CK_ULONG bits);
AttributeTemplate probeRsaPrivate();
}  // namespace hsm::policy

namespace hsm::policy {
// The temporary AES key that carries an imported private key (unwrap only, then gone).
AttributeTemplate importTransportKey();
// A transient copy of host-assisted material created with C_CreateObject: `value` is the
// key, the object sensitive and extractable only so it can be sealed under the KEK.
AttributeTemplate hostAssistedSecret(CK_KEY_TYPE keyType, ByteView value, bool unwrap);
// A short-lived AES session key made from host-held bytes (a key component) only to compute
// its check value on the token: sensitive, non-extractable, CMAC-sign only.
AttributeTemplate checkValueKey(ByteView value);
}  // namespace hsm::policy

namespace hsm::policy {
// ---- Ceremony backup and restore (`keyport ceremony backup` / `restore`) ----

// The backup key B as the SO creates it for a backup: a PUBLIC SESSION object (the SO may
// set CKA_TRUSTED only on public objects; a session object never reaches disk) with
// CKA_TRUSTED, so it may wrap the backup-capable static objects (CKA_WRAP_WITH_TRUSTED).
// Sensitive and never extractable; wrap, and sign only for its CMAC check value; it never
// unwraps. It lives for the seconds of one backup and is destroyed explicitly.
AttributeTemplate trustedBackupKey(ByteView value);
// B rebuilt from shares for a restore (or to check its value): a private session object
// that unwraps the backup and signs its CMAC check value; it can never wrap or leave.
AttributeTemplate restoringBackupKey(ByteView value);
// The static objects as C_UnwrapKey recreates them from a backup: the templates of
// regionKek/macKey/transportPrivate/ceremonyPrivate without CKA_MODIFIABLE and
// CKA_VALUE_LEN (SoftHSM refuses both in an unwrap template), so restored objects stay
// backup-capable (CKA_EXTRACTABLE + CKA_WRAP_WITH_TRUSTED) but are modifiable.
AttributeTemplate restoredRegionKek(const std::string& label);
AttributeTemplate restoredMacKey(const std::string& label);
AttributeTemplate restoredTransportPrivate(const std::string& label);
AttributeTemplate restoredCeremonyPrivate(const std::string& label);
// The public halves recreated with C_CreateObject from the backup's SPKI (the caller adds
// the modulus and exponent, or the EC point): transportPublic/ceremonyPublic without the
// generation-only attributes.
AttributeTemplate restoredTransportPublic(const std::string& label);
AttributeTemplate restoredCeremonyPublic(const std::string& label);
}  // namespace hsm::policy
