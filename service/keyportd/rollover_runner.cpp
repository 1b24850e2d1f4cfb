#include "service/keyportd/rollover_runner.h"

#include <chrono>
#include <cstdio>

#include "service/api/log_text.h"
#include "service/core/storage/kek_rollover_store.h"

namespace keyport {

RolloverRunner::RolloverRunner(Services& services)
    : services_(services),
      job_(services.config, *services.db, *services.regions,
           [&services](const std::string& keyId) { services.keys->dropCached(keyId); }),
      thread_([this] { loop(); }) {}

RolloverRunner::~RolloverRunner() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    job_.requestStop();
    cv_.notify_all();
    thread_.join();
}

void RolloverRunner::runPending() {
    const auto pending = services_.db->read(
        [](Poco::Data::Session& s) { return kek_rollover_store::unfinished(s); });
    for (const auto& row : pending) {
        if (!services_.regions->has(row.region)) continue;  // a region since removed
        try {
            const auto done = job_.run(row.id);
            const double rate =
                done.walkSeconds > 0 ? static_cast<double>(done.resealed) / done.walkSeconds : 0.0;
            std::printf(
                "keyportd: KEK rollover of region %s done: %lld blobs re-sealed under %s "
                "(%.0f/s; token unwrap+wrap %.0f/s)\n",
                done.region.c_str(), static_cast<long long>(done.resealed),
                kekLabel(done.generation).c_str(), rate, done.tokenRate);
            std::fflush(stdout);
        } catch (const RolloverStopped&) {
            return;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "keyportd: KEK rollover of region %s failed: %s\n",
                         row.region.c_str(), api::printable(e.what()).c_str());
        }
    }
}

void RolloverRunner::loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            runPending();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "keyportd: KEK rollover runner: %s\n",
                         api::printable(e.what()).c_str());
        }
        lock.lock();
        // Once a second: one indexed query, and the CLI that asked waits at most this long.
        cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    }
}

}  // namespace keyport
