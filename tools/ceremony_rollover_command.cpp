// keyport ceremony rollover: a new, backup-capable KEK for a region and every blob of the
// region re-sealed under it, then the old KEK destroyed. When keyportd runs on this state
// dir (it holds STATE/keyportd.lock) the CLI asks it through the kek_rollovers table and
// prints its progress; otherwise the CLI takes the lock and runs the same job itself.
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>

#include "service/core/base/service_lock.h"
#include "service/core/base/state_dir.h"
#include "service/core/ceremony/kek_rollover.h"
#include "service/core/services.h"
#include "tools/args.h"
#include "tools/commands.h"

namespace keyport::cli {
namespace {

std::string describe(const RolloverRow& r) {
    std::string s = "keyport: rollover of region " + r.region;
    if (r.generation != 0) s += " to " + kekLabel(r.generation);
    s += ": " + std::string(name(r.state));
    if (r.state != RolloverState::Requested) {
        s += ", " + std::to_string(r.resealed) + " of " + std::to_string(r.total) +
             " blobs re-sealed";
    }
    return s;
}

// Prints a progress line when something changed since the last one.
class Progress {
  public:
    void operator()(const RolloverRow& r) {
        const std::string line = describe(r);
        if (line == last_) return;
        last_ = line;
        std::printf("%s\n", line.c_str());
        std::fflush(stdout);
    }

  private:
    std::string last_;
};

int finish(const RolloverRow& r) {
    if (r.state == RolloverState::Failed) {
        std::fprintf(stderr, "keyport: the KEK rollover of region %s failed: %s\n",
                     r.region.c_str(), r.error.c_str());
        return 1;
    }
    const double rate = r.walkSeconds > 0 ? static_cast<double>(r.resealed) / r.walkSeconds : 0;
    std::printf(
        "keyport: rollover of region %s done: %lld blobs re-sealed under %s in %.2f s "
        "(%.0f blobs/s; the token's own KWP unwrap + wrap of a 32-byte key: %.0f/s), "
        "%lld already under it; the old KEK is destroyed\n",
        r.region.c_str(), static_cast<long long>(r.resealed), kekLabel(r.generation).c_str(),
        r.walkSeconds, rate, r.tokenRate, static_cast<long long>(r.current));
    return 0;
}

// keyportd is not running and `lock` keeps it so: run the job here.
int runHere(const Config& config, const std::string& region, [[maybe_unused]] ServiceLock lock) {
    Services services(config);
    auto active = services.db->read(
        [&](Poco::Data::Session& s) { return kek_rollover_store::active(s, region); });
    std::int64_t id = 0;
    if (active) {
        id = active->id;
        std::printf("keyport: resuming the KEK rollover of region %s (%s)\n", region.c_str(),
                    name(active->state));
    } else {
        id = KekRollover::request(*services.db, services.config, region, "cli");
    }
    KekRollover job(services.config, *services.db, *services.regions);
    Progress progress;
    try {
        return finish(job.run(id, std::ref(progress)));
    } catch (const RolloverStopped&) {
        throw;
    } catch (const std::exception&) {
        const auto row = services.db->read(
            [&](Poco::Data::Session& s) { return kek_rollover_store::get(s, id); });
        if (row && row->state == RolloverState::Failed) return finish(*row);
        throw;
    }
}

}  // namespace

int ceremonyRollover(const Argv& argv) {
    const Args args(argv, {"config", "define", "region"}, {});
    const std::string region = args.required("region");
    const Config config = Config::load(args.required("config"), args.all("define"));
    bool known = false;
    for (const auto& r : config.regions) known = known || r.name == region;
    if (!known) throw UsageError("--region '" + region + "' is not a configured region");
    prepareStateDir(config);

    if (auto lock = ServiceLock::tryAcquire(config.stateDir)) {
        return runHere(config, region, std::move(*lock));
    }
    // keyportd (or another rollover run by the CLI) holds the lock: ask keyportd.
    std::optional<std::int64_t> id;
    {
        Database db(config.database);
        if (const auto active = db.read(
                [&](Poco::Data::Session& s) { return kek_rollover_store::active(s, region); })) {
            std::fprintf(stderr,
                         "keyport: region %s already has a KEK rollover in progress (%s); "
                         "wait for it to finish\n",
                         region.c_str(), describe(*active).substr(9).c_str());
            return 1;
        }
        id = KekRollover::request(db, config, region, "keyportd");
        std::printf("keyport: keyportd is running; it runs the KEK rollover of region %s\n",
                    region.c_str());
        std::fflush(stdout);
        Progress progress;
        while (true) {
            const auto row =
                db.read([&](Poco::Data::Session& s) { return kek_rollover_store::get(s, *id); });
            if (!row) throw std::runtime_error("the rollover request vanished");
            progress(*row);
            if (row->state == RolloverState::Done || row->state == RolloverState::Failed) {
                return finish(*row);
            }
            if (ServiceLock::tryAcquire(config.stateDir)) break;  // keyportd stopped
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    }
    // keyportd went away (or the lock was another CLI's, now done): finish the job here.
    if (auto lock = ServiceLock::tryAcquire(config.stateDir)) {
        std::printf("keyport: keyportd is not running; continuing the rollover here\n");
        return runHere(config, region, std::move(*lock));
    }
    throw std::runtime_error(
        "keyportd stopped and started again meanwhile; run the command "
        "again to follow the rollover");
}

}  // namespace keyport::cli
