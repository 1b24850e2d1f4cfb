// BackupManifest: the manifest of a ceremony backup directory — which backup and region it
// is, who holds its shares, the backup key's check value, and every static object wrapped
// under the backup key (or, for public halves, as SPKI) — with its strict text format.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hsm/bytes.h"
#include "hsm/pkcs11.h"

namespace keyport::ceremony {

inline constexpr char kManifestHeader[] = "keyport-backup 1";
inline constexpr char kManifestFile[] = "backup.manifest";

struct BackupObject {
    enum class Form { Wrapped, Spki };
    std::string label;
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;  // secret, private or public key
    CK_KEY_TYPE keyType = CKK_AES;         // AES, generic secret, RSA or EC
    hsm::Bytes id;                         // CKA_ID; empty when the object has none
    Form form = Form::Wrapped;
    // Wrapped: C_WrapKey with CKM_AES_KEY_WRAP_PAD under the backup key (ciphertext only).
    // Spki: the public half's DER SubjectPublicKeyInfo.
    hsm::Bytes data;
};

struct BackupManifest {
    std::string backupId;  // 32 lowercase hex (128 random bits from the token)
    std::string region;
    std::string tokenLabel;
    std::string created;  // UTC, ISO 8601 (e.g. 2026-12-02T00:31:12Z)
    unsigned threshold = 0;
    unsigned shares = 0;
    std::vector<std::string> custodians;  // one per share, in share-index order
    // The backup key's check value: the first 3 bytes of AES-CMAC of a zero block, computed
    // on the token (CKM_AES_CMAC), in hex.
    std::string backupKeyCheck;
    std::vector<BackupObject> objects;
    // Static objects the token held but could not back up (not backup-capable).
    std::vector<std::string> notBackedUp;
};

std::string renderManifest(const BackupManifest& m);
// Strict: exactly what renderManifest writes, with a matching SHA-256 check line;
// CeremonyFileError naming `source` otherwise.
BackupManifest parseManifest(std::string_view text, const std::string& source);

const char* className(CK_OBJECT_CLASS cls);
const char* keyTypeName(CK_KEY_TYPE type);

}  // namespace keyport::ceremony
