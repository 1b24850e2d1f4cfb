// KekRollover: the core job behind `keyport ceremony rollover` — a new, backup-capable KEK
// generation for a region, every blob of the region re-sealed under it in bounded batches
// (each batch one transaction that also stores the walk's cursor, so a crash resumes
// there) while the service runs, then the old generation proved unused and destroyed.
// keyportd runs it when it is up (a request row in kek_rollovers), else the CLI does.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

#include "service/core/base/config.h"
#include "service/core/storage/database.h"
#include "service/core/storage/kek_rollover_store.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

// What run() throws when requestStop() interrupted it between batches: the row stays as it
// was (running or retiring), to be resumed by the next run.
class RolloverStopped : public std::runtime_error {
  public:
    RolloverStopped()
        : std::runtime_error("the KEK rollover was stopped; it resumes on the next run") {}
};

class KekRollover {
  public:
    // `resealed(keyId)`: called after a batch commits for each key whose row (or one of
    // whose versions) now holds a new blob, so a process that caches key rows drops them
    // before the old KEK goes.
    KekRollover(const Config& config, Database& db, RegionTokens& regions,
                std::function<void(const std::string&)> resealed = {});

    // Records a request to roll region's KEK over ("keyportd" or "cli" runs it). Throws
    // ConfigError for a region not in the config and Error(InvalidRequest) when the region
    // already has an unfinished rollover.
    static std::int64_t request(Database& db, const Config& config, const std::string& region,
                                const std::string& runner);

    // Runs rollover `id` from wherever it stands to done (or failed, with the error stored
    // and rethrown); `progress` sees the row after every step and batch.
    RolloverRow run(std::int64_t id, const std::function<void(const RolloverRow&)>& progress = {});

    // From another thread (keyportd's shutdown): run() stops after the batch in hand.
    void requestStop() { stop_ = true; }

  private:
    void checkStop() const {
        if (stop_) throw RolloverStopped();
    }
    void begin(RolloverRow& row, Region& region);
    void walk(RolloverRow& row, Region& region,
              const std::function<void(const RolloverRow&)>& progress);
    std::int64_t verifyPass(RolloverRow& row, Region& region);
    void retire(RolloverRow& row, Region& region);
    // Re-seals `batch` (blobs not under `keep`) in one transaction with the row's new cursor;
    // returns how many it replaced.
    std::int64_t resealBatch(RolloverRow& row, Region& region, hsm::Session& s,
                             const std::vector<StoredBlob>& batch, bool moveCursor);
    void save(RolloverRow& row);
    void drainSealers(const std::string& why);

    const Config& config_;
    Database& db_;
    RegionTokens& regions_;
    std::function<void(const std::string&)> resealed_;
    std::atomic<bool> stop_{false};
};

// KWP unwrap + wrap of a 32-byte AES key under `kek`, per second, over about `seconds`
// (what re-sealing one blob costs the token, without the database).
double measureTokenReseal(hsm::Token& token, hsm::ObjectHandle kek, double seconds);

}  // namespace keyport
