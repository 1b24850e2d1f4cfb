// KEK rollover rows (one per `keyport ceremony rollover` of a region: its state, the walk's
// cursor in each blob table and its counts) and the SQL that walks and re-seals the blobs
// sealed under a region's KEK.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hsm/bytes.h"
#include "service/core/base/key_types.h"

namespace keyport {

enum class RolloverState { Requested, Running, Retiring, Done, Failed };
const char* name(RolloverState s);
std::optional<RolloverState> parseRolloverState(const std::string& s);

// Every column that holds a KWP blob under a region KEK (migrations 1, 8 and 9), walked in
// this order.
enum class BlobTable { Keys, KeyVersions, Credentials, DerivationKeys };
inline constexpr BlobTable kBlobTables[] = {BlobTable::Keys, BlobTable::KeyVersions,
                                            BlobTable::Credentials, BlobTable::DerivationKeys};
const char* name(BlobTable t);

struct RolloverRow {
    std::int64_t id = 0;
    std::string region;
    unsigned generation = 0;  // the new KEK's; 0 until the runner has created it
    RolloverState state = RolloverState::Requested;
    std::string runner;  // "keyportd" or "cli": who runs (or ran) it
    // The walk's position in each blob table: the last rowid re-sealed or skipped.
    std::int64_t cursor[4] = {0, 0, 0, 0};
    std::int64_t resealed = 0;  // blobs re-sealed under the new KEK
    std::int64_t current = 0;   // blobs already under it (sealed after the switch)
    std::int64_t total = 0;     // blobs of the region when the walk began
    std::int64_t batches = 0;
    std::int64_t requestedMs = 0;
    std::int64_t updatedMs = 0;
    std::optional<std::int64_t> walkStartedMs;
    std::optional<std::int64_t> finishedMs;
    double walkSeconds = 0;  // time spent re-sealing, summed over resumptions
    // The raw token rate of the same work (KWP unwrap + wrap of a 32-byte AES key, per
    // second), measured by the run that finished the walk: the yardstick for the re-seal rate.
    double tokenRate = 0;
    std::string error;
};

// One stored blob: its table, rowid and what it opens as (no spec: an HMAC credential
// secret, a generic secret). `owner` is the key id or access key, for cache invalidation.
struct StoredBlob {
    BlobTable table = BlobTable::Keys;
    std::int64_t rowid = 0;
    std::optional<KeySpec> spec;
    std::string owner;
    hsm::Bytes blob;
};

namespace kek_rollover_store {

// A new request for `region`; UniqueViolation if one is requested, running or retiring.
std::int64_t insert(Poco::Data::Session& s, const std::string& region, const std::string& runner,
                    std::int64_t nowMs);
std::optional<RolloverRow> get(Poco::Data::Session& s, std::int64_t id);
// The region's unfinished rollover (requested, running or retiring), if any.
std::optional<RolloverRow> active(Poco::Data::Session& s, const std::string& region);
// Every unfinished rollover, oldest first.
std::vector<RolloverRow> unfinished(Poco::Data::Session& s);
// The region's latest rollover of any state.
std::optional<RolloverRow> latest(Poco::Data::Session& s, const std::string& region);
// Writes the row's state, generation, cursors, counts, times and error.
void save(Poco::Data::Session& s, const RolloverRow& r);

// Up to `limit` blobs of `region` in `table` with rowid > `after`, in rowid order.
std::vector<StoredBlob> blobsAfter(Poco::Data::Session& s, BlobTable table,
                                   const std::string& region, std::int64_t after,
                                   std::size_t limit);
// How many blobs `region` has in every table together.
std::int64_t countBlobs(Poco::Data::Session& s, const std::string& region);
// Replaces the blob at `rowid` if it still is `old` (a request may have changed or deleted
// it since it was read: then its new value is not ours to touch). True if it was replaced.
bool replaceBlob(Poco::Data::Session& s, BlobTable table, std::int64_t rowid, const hsm::Bytes& old,
                 const hsm::Bytes& fresh);

}  // namespace kek_rollover_store
}  // namespace keyport
