// RequestLog: keyportd's log on stderr (log.format text|json, log.level): one line per
// request — info below 400, warn for 4xx with the dialect's error code, error for 5xx — and
// the service's own lines (start, stop, internal errors) in the same format. Client-supplied
// text is made printable; a line below the configured level is not built at all.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "service/api/http.h"
#include "service/core/base/config.h"

namespace keyport::api {

class RequestLog {
  public:
    // Receives each finished line, newline included; called under the log's lock, once per
    // line.
    using Sink = std::function<void(std::string_view line)>;

    // Writes to stderr, one write(2) per line.
    explicit RequestLog(const LogConfig& config);
    RequestLog(const LogConfig& config, Sink sink);

    bool enabled(LogLevel level) const { return level >= config_.level; }
    // The level of a request's line: error for 5xx, warn for 4xx, info otherwise.
    static LogLevel levelOf(int status);

    void request(const Request& req, const Response& res, double seconds);
    void message(LogLevel level, std::string_view text);

  private:
    void write(const std::string& line);

    LogConfig config_;
    Sink sink_;
    std::mutex mutex_;
};

std::string_view name(LogLevel level);

}  // namespace keyport::api
