// CeremonyKey: a region token's ceremony signing pair (`keyport-ceremony`, ECDSA P-256) as
// the transcript uses it — found (or made, on a token provisioned before it existed), its
// public half as DER SPKI and the fingerprint records name it by.
#pragma once

#include <optional>
#include <string>

#include "hsm/module.h"
#include "hsm/session.h"

namespace keyport {

struct CeremonyKey {
    hsm::ObjectHandle privateKey = CK_INVALID_HANDLE;
    hsm::ObjectHandle publicKey = CK_INVALID_HANDLE;
    hsm::Bytes spki;          // DER SubjectPublicKeyInfo of the public half
    std::string fingerprint;  // SHA-256 of spki, lowercase hex
    bool created = false;     // made by this call
};

// The pair on `session`'s token (a user-logged-in, read-write session). A token without it
// (or with half of it, which is useless) gets a new pair when `createIfMissing`; otherwise
// std::nullopt.
std::optional<CeremonyKey> findCeremonyKey(hsm::Session& session, bool createIfMissing);

// The public half of the pair on the initialised token labelled `tokenLabel`, read through
// a read-only session without logging in (public objects need no PIN); std::nullopt when
// there is no such token or it has no ceremony key.
std::optional<hsm::Bytes> ceremonyPublicSpki(hsm::Module& module, const std::string& tokenLabel);

// SHA-256 of a DER SPKI, lowercase hex: what a record's signer.key holds.
std::string spkiFingerprint(hsm::ByteView spki);

// The DER SPKI of a PEM "PUBLIC KEY" (an exported ceremony key); throws
// std::invalid_argument when the text is not one, or not an EC P-256 key.
hsm::Bytes ceremonySpkiFromPem(const std::string& pem);

// The signature a record carries: CKM_ECDSA on the token over SHA-256(message), as DER.
hsm::Bytes signCeremonyMessage(hsm::Session& session, const CeremonyKey& key,
                               std::string_view message);
// OpenSSL's verdict on it; false for a signature not in canonical DER.
bool verifyCeremonySignature(hsm::ByteView spki, std::string_view message, hsm::ByteView der);

}  // namespace keyport
