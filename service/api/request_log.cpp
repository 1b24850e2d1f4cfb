#include "service/api/request_log.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "service/api/log_text.h"

namespace keyport::api {
namespace {

// "2026-12-01T20:00:00.123Z", now.
std::string utcNow() {
    const auto now = std::chrono::system_clock::now();
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms % 1000));
    return buf;
}

// A JSON string literal of `s`, which printable() has already made ASCII; quotes, the
// backslash and control bytes are escaped anyway, so any input gives valid JSON.
void appendJsonString(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20 || c >= 0x7f) {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        } else {
            out += ch;
        }
    }
    out += '"';
}

void appendJsonMember(std::string& out, std::string_view key, std::string_view value) {
    out += ",\"";
    out += key;
    out += "\":";
    appendJsonString(out, value);
}

// Text lines separate fields by spaces: a space in client-supplied text is escaped too, so
// every field stays one token.
std::string textField(std::string_view s, std::size_t cap = 256) {
    std::string p = printable(s, cap);
    std::string out;
    out.reserve(p.size());
    for (const char c : p) {
        if (c == ' ')
            out += "\\x20";
        else
            out += c;
    }
    return out;
}

// " info " / " error": the level padded to five characters, so the fields after it align.
void appendTextLevel(std::string& line, LogLevel level) {
    const std::string_view n = name(level);
    line += ' ';
    line += n;
    if (n.size() < 5) line.append(5 - n.size(), ' ');
}

std::string latency(double seconds, const char* format) {
    char buf[32];
    std::snprintf(buf, sizeof buf, format, seconds * 1000.0);
    return buf;
}

void writeStderr(std::string_view line) {
    const char* p = line.data();
    std::size_t left = line.size();
    while (left > 0) {
        const ssize_t n = ::write(STDERR_FILENO, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;  // nowhere to report a failing stderr
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

}  // namespace

std::string_view name(LogLevel level) {
    switch (level) {
        case LogLevel::Debug:
            return "debug";
        case LogLevel::Info:
            return "info";
        case LogLevel::Warn:
            return "warn";
        case LogLevel::Error:
            break;
    }
    return "error";
}

RequestLog::RequestLog(const LogConfig& config) : RequestLog(config, writeStderr) {}

RequestLog::RequestLog(const LogConfig& config, Sink sink)
    : config_(config), sink_(std::move(sink)) {}

LogLevel RequestLog::levelOf(int status) {
    if (status >= 500) return LogLevel::Error;
    if (status >= 400) return LogLevel::Warn;
    return LogLevel::Info;
}

void RequestLog::request(const Request& req, const Response& res, double seconds) {
    const LogLevel level = levelOf(res.status);
    if (!enabled(level)) return;
    const RequestAudit& a = req.audit;
    const bool matched = !a.route.empty();
    std::string line;
    line.reserve(256);
    if (config_.format == LogFormat::Json) {
        line += "{\"time\":\"" + utcNow() + "\"";
        appendJsonMember(line, "level", name(level));
        appendJsonMember(line, "request_id", printable(req.id, 128));
        appendJsonMember(line, "method", printable(req.method, 16));
        if (matched)
            appendJsonMember(line, "route", a.route);
        else
            appendJsonMember(line, "path", printable(req.path));
        line += ",\"status\":" + std::to_string(res.status);
        line += ",\"latency_ms\":" + latency(seconds, "%.3f");
        if (!a.dialect.empty()) appendJsonMember(line, "dialect", a.dialect);
        if (!res.errorCode.empty()) appendJsonMember(line, "error_code", res.errorCode);
        if (!a.accessKey.empty()) appendJsonMember(line, "access_key", printable(a.accessKey));
        if (!req.peer.empty()) appendJsonMember(line, "peer", printable(req.peer, 64));
        line += "}\n";
    } else {
        line += utcNow();
        appendTextLevel(line, level);
        line += " req=" + textField(req.id, 128);
        line += " " + textField(req.method, 16);
        line += " " + (matched ? a.route : textField(req.path));
        line += " " + std::to_string(res.status);
        line += " " + latency(seconds, "%.1f") + "ms";
        if (!a.dialect.empty()) line += " dialect=" + a.dialect;
        if (!res.errorCode.empty()) line += " code=" + textField(res.errorCode, 64);
        if (!a.accessKey.empty()) line += " ak=" + textField(a.accessKey);
        if (!req.peer.empty()) line += " peer=" + textField(req.peer, 64);
        line += '\n';
    }
    write(line);
}

void RequestLog::message(LogLevel level, std::string_view text) {
    if (!enabled(level)) return;
    std::string line;
    if (config_.format == LogFormat::Json) {
        line += "{\"time\":\"" + utcNow() + "\"";
        appendJsonMember(line, "level", name(level));
        appendJsonMember(line, "msg", printable(text, 2048));
        line += "}\n";
    } else {
        line += utcNow();
        appendTextLevel(line, level);
        line += " " + printable(text, 2048) + "\n";
    }
    write(line);
}

void RequestLog::write(const std::string& line) {
    const std::lock_guard lock(mutex_);
    sink_(line);
}

}  // namespace keyport::api
