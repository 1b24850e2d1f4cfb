#include "service/keyportd/expiry_sweeper.h"

#include <chrono>
#include <cstdio>

#include "service/api/log_text.h"
#include "service/core/base/metrics.h"
#include "service/core/tokens/seal_epochs.h"

namespace keyport {

ExpirySweeper::ExpirySweeper(KeyService& keys, SecretService& secrets, KeyRotation& rotation)
    : keys_(keys), secrets_(secrets), rotation_(rotation), thread_([this] { loop(); }) {}

ExpirySweeper::~ExpirySweeper() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void ExpirySweeper::loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        // Rotation seals under the KEK: a KEK rollover waits for a run that began before it.
        const auto sealing = SealEpochs::process().enter();
        std::size_t expired = 0, purged = 0, rotated = 0;
        bool ok = true;
        try {
            expired = keys_.expireDue();
            purged = secrets_.purgeDue();
        } catch (const std::exception& e) {
            ok = false;
            std::fprintf(stderr, "keyportd: expiry sweep failed: %s\n",
                         api::printable(e.what()).c_str());
        }
        metrics::expirySweep(ok, expired, purged);
        ok = true;
        try {
            rotated = rotation_.rotateDue();
        } catch (const std::exception& e) {
            ok = false;
            std::fprintf(stderr, "keyportd: rotation sweep failed: %s\n",
                         api::printable(e.what()).c_str());
        }
        metrics::rotationSweep(ok, rotated);
        lock.lock();
        // Once a second: cheap (one indexed query) and bounds the blob's lifetime after
        // expiry; reads already treat expired material as gone.
        cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    }
}

}  // namespace keyport
