#include "service/core/services.h"

#include "service/core/base/state_dir.h"

namespace keyport {

Services::Services(Config c) : config(std::move(c)) {
    prepareStateDir(config);  // sets SOFTHSM2_CONF, so before the module loads
    module = std::make_unique<hsm::Module>(config.module);
    regions = std::make_unique<RegionTokens>(config, *module, /*requireProvisioned=*/true);
    db = std::make_unique<Database>(config.database);
    material = std::make_unique<KeyMaterial>(*regions, config.keyCacheSize);
    tenancy = std::make_unique<Tenancy>(*db, *regions, *material);
    keys = std::make_unique<KeyService>(*db, *regions, *material);
    WrappingPairPolicy policy;
    policy.maxAgeSeconds = config.wrappingPairMaxAgeSeconds;
    policy.maxUses = config.wrappingPairMaxUses;
    policy.tokenValiditySeconds = config.importTokenValiditySeconds;
    policy.hostDecrypt = config.hostAssistedOaep;
    pairs = std::make_unique<WrappingPairs>(*db, *regions, policy);
    imports = std::make_unique<ImportService>(*keys, *material, *regions, *pairs,
                                              ImportOptions{config.hostAssistedOaep});
    crypto = std::make_unique<CryptoService>(*keys, *regions, *material);
    macs = std::make_unique<MacService>(*keys, *material);
    agreement = std::make_unique<KeyAgreement>(*keys, *material);
    dataKeyPairs = std::make_unique<DataKeyPairs>(*keys, *regions, *crypto);
    replication = std::make_unique<KeyReplication>(*keys, *tenancy, *regions, *material);
    rotation = std::make_unique<KeyRotation>(*keys, *regions, *material, *replication,
                                             config.rotationDaySeconds * 1000);
    operations = std::make_unique<ReplicationOperations>(
        *db, *regions, *keys, *tenancy, *replication, config.operationStartDelayMs);
    secrets = std::make_unique<SecretService>(*db, *keys, *tenancy, *regions, *material,
                                              config.secretRecoveryDaySeconds);
    keyTags = std::make_unique<KeyTags>(*db, *keys);
    aliases = std::make_unique<AliasService>(*db, *keys);
    grants = std::make_unique<GrantService>(*db, *keys);
}

void Services::startServing() {
    pairs->reconcile();
    ensureDemoCredential();
    secrets->resync();
    operations->recover();
    operations->startWorker();
}

void Services::ensureDemoCredential() {
    if (!config.demo) return;
    const DemoCredential& d = *config.demo;
    if (tenancy->byAccessKey(d.accessKey)) return;
    tenancy->addCredential(d.domain, d.project, d.region, Role::Admin, d.xAuthToken, d.accessKey,
                           d.secretKey);
}

}  // namespace keyport
