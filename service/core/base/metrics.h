// Metrics: keyportd's process-wide Prometheus counters, gauges and histograms, rendered in
// the text exposition format by render(). Cheap to update from any thread; no HTTP here.
// The names, types, labels and units are listed in metrics.cpp (one table).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "service/core/base/metrics_registry.h"

namespace keyport::metrics {

// One answered request: dialect ("" for health and metrics routes), route template ("" when
// none matched), HTTP status, seconds from the complete request to the response.
void observeRequest(std::string_view dialect, std::string_view route, int status, double seconds);
// One audit record written (true) or refused for want of a writable trail (false).
void auditRecord(bool written);

// The token labelled `tokenLabel` serves `region`: token operations and session waits on it
// are counted under that region. The first call starts observing hsm (hsm::setObserver).
void tokenRegion(std::string_view tokenLabel, std::string_view region);

// The hit and miss counters of one named cache ("keys", "key_material", ...): kept by the
// cache, so a lookup costs one atomic add.
struct CacheCounters {
    Counter& hits;
    Counter& misses;
};
CacheCounters cache(std::string_view name);

// One group commit of the database writer: how long BEGIN..COMMIT took, how many write
// jobs it carried, and whether it committed.
void databaseCommit(double seconds, std::size_t batchSize, bool committed);

// Asynchronous (Exoscale) operations: one persisted pending, one settled in `state`
// ("success", "failure").
void operationStarted();
void operationFinished(std::string_view state);

// Import: parameters handed out (an import token issued) in a region; material imported
// by an unwrap path ("on-token", "host-assisted").
void importTokenIssued(std::string_view region);
void keyImported(std::string_view unwrapPath);

// One pass of the expiry sweeper: whether it ran without error, and what it removed.
void expirySweep(bool ok, std::size_t keysExpired, std::size_t secretsPurged);
// One pass of the rotation sweep: whether it ran without error and how many keys it rotated.
void rotationSweep(bool ok, std::size_t keysRotated);

// Every metric in the Prometheus text format (version 0.0.4).
std::string render();
// What GET /metrics answers with render()'s body.
inline constexpr char kContentType[] = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace keyport::metrics
