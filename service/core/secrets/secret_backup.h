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
