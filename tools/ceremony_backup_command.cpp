// `keyport ceremony backup` and `keyport ceremony restore`: the region backup ceremonies
// of service/core/ceremony/region_backup.h, with what each custodian must compare printed.
#include <chrono>
#include <cstdio>

#include "service/core/ceremony/region_backup.h"
#include "tools/cli_context.h"
#include "tools/commands.h"

namespace keyport::cli {
namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int ceremonyBackup(const Argv& argv) {
    Args args(argv, {"config", "define", "region", "shares", "threshold", "out", "custodian"}, {});
    ceremony::BackupRequest req;
    req.region = args.required("region");
    req.shares = static_cast<unsigned>(args.number("shares", 0, 0, 1000));
    req.threshold = static_cast<unsigned>(args.number("threshold", 0, 0, 1000));
    if (!args.has("shares") || !args.has("threshold")) {
        throw UsageError("--shares N and --threshold M are required");
    }
    req.out = args.required("out");
    req.custodians = args.all("custodian");
    auto ctx = CliContext::open(args);
    const auto start = std::chrono::steady_clock::now();
    const auto r = ceremony::backupRegion(ctx.config, *ctx.module, req);
    std::printf("backup %s of region %s: %u-of-%u, in %.2f s\n", r.backupId.c_str(),
                req.region.c_str(), req.threshold, req.shares, secondsSince(start));
    std::printf("backup key check value (AES-CMAC on the token): %s\n", r.backupKeyCheck.c_str());
    std::printf("manifest %s\n", r.manifest.c_str());
    for (const auto& o : r.objects) std::printf("  backed up %s\n", o.c_str());
    for (const auto& s : r.shares) {
        std::printf("share %u for %s: %s (check value %s, %zu bytes)\n", s.index,
                    s.custodian.c_str(), s.file.c_str(), s.check.c_str(), r.shareFileBytes);
    }
    if (!r.notBackedUp.empty()) {
        std::string list;
        for (const auto& l : r.notBackedUp) list += (list.empty() ? "" : ", ") + l;
        std::printf(
            "warning: not backed up (provisioned before backup-capable keys): %s. A restore "
            "generates fresh ones: import tokens, CSMS backup files and audit seals made with "
            "the old MAC key will not verify after a restore.\n",
            list.c_str());
    }
    std::printf(
        "hand each share file to its custodian and delete it here; any %u rebuild the "
        "backup key\n",
        req.threshold);
    return 0;
}

int ceremonyRestore(const Argv& argv) {
    Args args(argv, {"config", "define", "region", "backup", "share"}, {"reinitialize"});
    ceremony::RestoreRequest req;
    req.region = args.required("region");
    req.backupDir = args.required("backup");
    for (const auto& s : args.all("share")) req.shares.emplace_back(s);
    if (req.shares.empty()) throw UsageError("give the shares with --share FILE (repeated)");
    req.reinitialize = args.has("reinitialize");
    auto ctx = CliContext::open(args);
    const auto start = std::chrono::steady_clock::now();
    const auto r = ceremony::restoreRegion(ctx.config, *ctx.module, req);
    std::printf("restored backup %s onto token %s (%s) in %.2f s; backup key checked on %s\n",
                r.backupId.c_str(), r.tokenLabel.c_str(),
                r.reinitialized ? "re-initialised" : "new", secondsSince(start),
                r.checkedOn.c_str());
    for (const auto& o : r.restored) std::printf("  restored %s\n", o.c_str());
    for (const auto& g : r.generated) std::printf("  generated %s\n", g.c_str());
    return 0;
}

}  // namespace keyport::cli
