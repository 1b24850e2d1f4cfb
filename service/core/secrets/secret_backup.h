// SecretBackup: a CSMS secret backup (DownloadSecretBlob / UploadSecretBlob) — the secret's
// metadata, versions and stages, each version's data key as a transfer blob to the source
// region's own transport key, all authenticated with that region's on-token MAC key. Only a
// region token of this service opens it, and only for the domain that made it.
#pragma once

#include <string>
#include <vector>

#include "hsm/bytes.h"
#include "service/core/keys/key_service.h"
#include "service/core/secrets/secret_cmks.h"
#include "service/core/storage/database.h"
#include "service/core/storage/secret_store.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

// The backup's byte layout, apart from the tokens so it can be tested on its own. v1:
//   "KPSB" | version 1 | region (len32) | body (len32) | HMAC-SHA256 (32, on-token, the
//   region's MAC key) over everything before it.
// Body: domain, name, description, secret type (len32 strings), auto rotation (1), rotation
// period, rotation config (len32), rotated ms (8), enterprise project (len32), created ms (8),
// next version (8), version count (8) and per version: id (len32), seq, created ms, expire ms
// (8 each), binary (1), iv, ciphertext, transfer blob (len32); stage count (8) and per stage:
// stage, version id (len32). Integers are big endian.
namespace backup_format {

inline constexpr std::size_t kMacSize = 32;

struct Version {
    SecretVersion v;  // secretId, kmsKeyId, wrappedDataKey and cmkVersion unset
    hsm::Bytes transfer;
};

struct Contents {
    SecretRecord secret;  // domainId, name, description, type, rotation, created, nextVersion
    std::vector<Version> versions;
    std::vector<std::pair<std::string, std::string>> stages;  // stage, version id
};

struct Framed {
    std::string region;
    hsm::ByteView signedPart;  // what the MAC covers (into the decoded blob)
    hsm::ByteView mac;
    hsm::Bytes body;
};

// Everything but the MAC, which the caller computes over it and appends.
hsm::Bytes encodeUnsigned(const std::string& region, const Contents& c);
// Each throws Error(InvalidParameter, Input::Ciphertext) on anything but a well-formed v1.
Framed frame(hsm::ByteView blob);
Contents decodeBody(hsm::ByteView body);

}  // namespace backup_format

class SecretBackup {
  public:
    SecretBackup(Database& db, KeyService& keys, RegionTokens& regions, SecretCmks& cmks)
        : db_(db), keys_(keys), regions_(regions), cmks_(cmks) {}

    // The backup of `secret` (visible to the caller) with its versions and stages.
    hsm::Bytes make(const SecretRecord& secret, const std::vector<SecretVersion>& versions,
                    const std::vector<SecretStageRow>& stages);
    // Verifies `blob`, then writes the secret into the caller's project in one transaction,
    // its data keys under the project's csms/default. A blob altered, made elsewhere or for
    // another domain is refused,
    // as is a name the project already has; nothing is written then.
    SecretRecord restore(const ProjectScope& scope, hsm::ByteView blob);

  private:
    Database& db_;
    KeyService& keys_;
    RegionTokens& regions_;
    SecretCmks& cmks_;
};

}  // namespace keyport
