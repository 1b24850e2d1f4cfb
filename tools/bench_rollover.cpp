// keyport bench rollover: a KEK rollover of N AES-256 keys on a fresh state dir, run by the
// same core job as `keyport ceremony rollover` (batches of ceremony.rollover_batch, one
// durable commit each), beside the raw token rate of the same operations (KWP unwrap +
// wrap of a 32-byte key) measured in the same run.
#include <chrono>
#include <cstdio>

#include "service/core/ceremony/kek_rollover.h"
#include "service/core/services.h"
#include "tools/args.h"
#include "tools/bench_state.h"
#include "tools/commands.h"

namespace keyport::cli {

int benchRollover(const Argv& argv) {
    const Args args(argv, {"config", "define", "region", "keys"}, {"keep-state"});
    const auto keys = args.number("keys", 2000, 1, 1000000);
    BenchState bench = provisionBenchState(args, {"log.level=warn"});
    int rc = 0;
    {
        Services services(bench.config);
        const std::string region = args.get("region", bench.config.regions.front().name);
        if (!services.regions->has(region))
            throw UsageError("--region '" + region + "' is not configured");
        const auto cred = services.tenancy->addCredential(
            "bench-domain", "0b0e0c0b0e0c40aa8bb0c0d0e0f01234", region, Role::Admin);
        const ProjectScope scope{cred.principal.domainId, cred.principal.projectId, region};
        std::printf(
            "keyport bench rollover: region %s, %lu AES-256 keys, batches of %zu, state %s\n",
            region.c_str(), keys, bench.config.rolloverBatch, bench.dir.c_str());
        const auto made = std::chrono::steady_clock::now();
        for (unsigned long i = 0; i < keys; ++i) {
            services.keys->create(scope,
                                  CreateKey{"bench-roll-" + std::to_string(i), "", KeySpec::Aes256,
                                            KeyUsage::EncryptDecrypt, Origin::Kms});
        }
        std::printf("  %lu keys made in %.1f s\n", keys,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - made).count());
        KekRollover job(services.config, *services.db, *services.regions,
                        [&](const std::string& id) { services.keys->dropCached(id); });
        const auto id = KekRollover::request(*services.db, services.config, region, "cli");
        const RolloverRow row = job.run(id);
        const double rate =
            row.walkSeconds > 0 ? static_cast<double>(row.resealed) / row.walkSeconds : 0.0;
        std::printf("  re-sealed %lld blobs in %.2f s: %.0f blobs/s\n",
                    static_cast<long long>(row.resealed), row.walkSeconds, rate);
        std::printf(
            "  raw token, same run: KWP unwrap + wrap of a 32-byte key %.0f/s (%.0f%% of "
            "it reached)\n",
            row.tokenRate, row.tokenRate > 0 ? 100.0 * rate / row.tokenRate : 0.0);
        if (row.state != RolloverState::Done) rc = 1;
    }
    if (!args.has("keep-state")) std::filesystem::remove_all(bench.dir);
    return rc;
}

}  // namespace keyport::cli
