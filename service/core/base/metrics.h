// Metrics: keyportd's process-wide Prometheus counters, gauges and histograms, rendered in
// the text exposition format by render(). Cheap to update from any thread; no HTTP here.
#pragma once

#include <string>
#include <string_view>

namespace keyport::metrics {

// One answered request: dialect ("" for health and metrics routes), route template ("" when
// none matched), HTTP status, seconds from the complete request to the response.
void observeRequest(std::string_view dialect, std::string_view route, int status, double seconds);
// One audit record written (true) or refused for want of a writable trail (false).
void auditRecord(bool written);

// Every metric in the Prometheus text format (version 0.0.4).
std::string render();

}  // namespace keyport::metrics
