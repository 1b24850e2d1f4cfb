// Services: the domain layer wired together for one process — the PKCS#11 module, region
// tokens, database, key material, tenancy and the key, import and crypto services.
#pragma once

#include <memory>

#include "hsm/module.h"
#include "service/core/base/config.h"
#include "service/core/import/import_service.h"
#include "service/core/import/wrapping_pairs.h"
#include "service/core/keys/alias_service.h"
#include "service/core/keys/crypto_service.h"
#include "service/core/keys/datakey_pairs.h"
#include "service/core/keys/grant_service.h"
#include "service/core/keys/key_agreement.h"
#include "service/core/keys/key_service.h"
#include "service/core/keys/key_tags.h"
#include "service/core/keys/mac_service.h"
#include "service/core/replication/key_replication.h"
#include "service/core/replication/key_rotation.h"
#include "service/core/replication/replication_operations.h"
#include "service/core/secrets/secret_service.h"
#include "service/core/storage/database.h"
#include "service/core/tenancy/tenancy.h"
#include "service/core/tokens/key_material.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

class Services {
  public:
    // Prepares the state dir, loads the module, logs in to every (provisioned) region token
    // and opens the database. Safe beside a running keyportd (the CLI uses it too).
    explicit Services(Config config);
    // keyportd only, once, before serving: reconciles wrapping pairs with the token (which
    // must not race a live server, hence not in the constructor) and registers the demo
    // credential.
    void startServing();

    const Config config;
    // Declaration order is destruction order in reverse: services go before the tokens
    // and the module they use.
    std::unique_ptr<hsm::Module> module;
    std::unique_ptr<RegionTokens> regions;
    std::unique_ptr<Database> db;
    std::unique_ptr<KeyMaterial> material;
    std::unique_ptr<Tenancy> tenancy;
    std::unique_ptr<KeyService> keys;
    std::unique_ptr<WrappingPairs> pairs;
    std::unique_ptr<ImportService> imports;
    std::unique_ptr<CryptoService> crypto;
    std::unique_ptr<MacService> macs;
    std::unique_ptr<KeyAgreement> agreement;
    std::unique_ptr<DataKeyPairs> dataKeyPairs;
    std::unique_ptr<SecretService> secrets;
    std::unique_ptr<KeyReplication> replication;
    std::unique_ptr<KeyRotation> rotation;
    std::unique_ptr<ReplicationOperations> operations;
    std::unique_ptr<KeyTags> keyTags;
    std::unique_ptr<AliasService> aliases;
    std::unique_ptr<GrantService> grants;

  private:
    void ensureDemoCredential();
};

}  // namespace keyport
