#include "service/core/audit/audit_record_json.h"

#include <cstdio>
#include <ctime>

namespace keyport::audit_json {
namespace {

constexpr char kHex[] = "0123456789abcdef";

bool continuation(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

// Printable ASCII that JSON takes as it is.
bool plainAscii(unsigned char c) {
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
}

// The escaped form of one byte that is not plain printable ASCII (or of '"' and '\').
std::string escapedByte(unsigned char c) {
    switch (c) {
        case '"':
            return "\\\"";
        case '\\':
            return "\\\\";
        case '\n':
            return "\\n";
        case '\r':
            return "\\r";
        case '\t':
            return "\\t";
        case '\b':
            return "\\b";
        case '\f':
            return "\\f";
        default:
            return std::string("\\u00") + kHex[c >> 4] + kHex[c & 0xF];
    }
}

void member(std::string& out, std::string_view name) {
    out += ",\"";
    out += name;
    out += "\":";
}

void optionalString(std::string& out, std::string_view name, std::string_view value) {
    if (value.empty()) return;
    member(out, name);
    appendString(out, value);
}

// The members after "seq": what requestBody() builds before the chain's lock.
void timeAndType(std::string& out, std::int64_t timeMs, std::string_view type) {
    member(out, "time");
    out += '"';
    out += utcTime(timeMs);
    out += '"';
    member(out, "type");
    out += '"';
    out += type;
    out += '"';
}

void head(std::string& out, std::uint64_t seq, std::int64_t timeMs, std::string_view type) {
    out += "{\"seq\":";
    out += std::to_string(seq);
    timeAndType(out, timeMs, type);
}

void tail(std::string& out, std::string_view prev) {
    member(out, "prev");
    out += '"';
    out += prev;
    out += "\"}";
}

void principal(std::string& out, const AuditRecord& r) {
    if (r.domainId.empty() && r.projectId.empty() && r.accessKey.empty() && r.role.empty()) return;
    member(out, "principal");
    std::string p;
    optionalString(p, "domain_id", r.domainId);
    optionalString(p, "project_id", r.projectId);
    optionalString(p, "access_key", r.accessKey);
    optionalString(p, "role", r.role);
    optionalString(p, "acting_domain_id", r.actingDomainId);
    optionalString(p, "acting_project_id", r.actingProjectId);
    p[0] = '{';  // the first member's leading comma
    out += p;
    out += '}';
}

void objects(std::string& out, const AuditRecord& r) {
    if (r.objects.empty()) return;
    member(out, "objects");
    const std::size_t start = out.size();
    out += '[';
    std::size_t written = 0;
    for (const auto& [kind, id] : r.objects) {
        if (out.size() - start > kMaxObjectsBytes) break;
        if (written > 0) out += ',';
        out += "{\"kind\":";
        appendString(out, kind, 64);
        out += ",\"id\":";
        appendString(out, id);
        out += '}';
        ++written;
    }
    if (written < r.objects.size()) {
        out += ",{\"kind\":\"truncated\",\"id\":\"" + std::to_string(r.objects.size() - written) +
               " more\"}";
    }
    out += ']';
}

}  // namespace

std::size_t utf8SequenceLength(std::string_view s) {
    if (s.empty()) return 0;
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char c = b(0);
    if (c < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;  // overlong
        if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;  // overlong
        if (c == 0xF4) hi = 0x8F;  // past U+10FFFF
    } else {
        return 0;
    }
    if (s.size() < n || b(1) < lo || b(1) > hi) return 0;
    for (std::size_t i = 2; i < n; ++i) {
        if (!continuation(b(i))) return 0;
    }
    return n;
}

void appendString(std::string& out, std::string_view s, std::size_t maxBytes) {
    out += '"';
    std::size_t used = 0;
    for (std::size_t i = 0; i < s.size();) {
        // Runs of plain ASCII (ids, routes, addresses: nearly everything) go in one piece.
        std::size_t run = i;
        while (run < s.size() && run - i < maxBytes - used &&
               plainAscii(static_cast<unsigned char>(s[run]))) {
            ++run;
        }
        if (run > i) {
            out.append(s.substr(i, run - i));
            used += run - i;
            i = run;
            continue;
        }
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = utf8SequenceLength(s.substr(i));
        std::string_view piece;
        std::string escaped;
        if (n == 1 && plainAscii(c)) {
            piece = s.substr(i, 1);
        } else if (n > 1) {
            piece = s.substr(i, n);
        } else {
            escaped = escapedByte(c);  // a control byte, '"', '\', or not UTF-8
            piece = escaped;
            n = 1;
        }
        if (used + piece.size() > maxBytes) {
            out += "...";
            break;
        }
        out += piece;
        used += piece.size();
        i += n;
    }
    out += '"';
}

std::string utcTime(std::int64_t epochMs) {
    std::int64_t secs = epochMs / 1000, ms = epochMs % 1000;
    if (ms < 0) {
        ms += 1000;
        secs -= 1;
    }
    const std::time_t t = static_cast<std::time_t>(secs);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[96];  // room for any int the format could be given
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms));
    return buf;
}

std::string requestBody(const AuditRecord& r) {
    std::string out;
    out.reserve(512);
    timeAndType(out, r.timeMs, "request");
    optionalString(out, "request_id", r.requestId);
    optionalString(out, "dialect", r.dialect);
    optionalString(out, "method", r.method);
    optionalString(out, "route", r.route);
    optionalString(out, "peer", r.peer);
    optionalString(out, "peer_subject", r.peerSubject);
    principal(out, r);
    objects(out, r);
    member(out, "status");
    out += std::to_string(r.status);
    optionalString(out, "error_code", r.errorCode);
    optionalString(out, "unwrap_path", r.unwrapPath);
    member(out, "latency_ms");
    char latency[32];
    std::snprintf(latency, sizeof latency, "%.3f",
                  r.latencyMs >= 0 && r.latencyMs < 1e12 ? r.latencyMs : 0.0);
    out += latency;
    return out;
}

std::string requestLine(std::uint64_t seq, std::string_view body, std::string_view prev) {
    std::string out;
    out.reserve(body.size() + 120);
    out += "{\"seq\":";
    out += std::to_string(seq);
    out += body;
    tail(out, prev);
    return out;
}

std::string requestLine(std::uint64_t seq, const AuditRecord& r, std::string_view prev) {
    return requestLine(seq, requestBody(r), prev);
}

std::string startLine(std::uint64_t seq, std::int64_t timeMs, std::string_view version,
                      std::uint64_t tornTailBytes, std::string_view prev) {
    std::string out;
    head(out, seq, timeMs, "start");
    optionalString(out, "version", version);
    if (tornTailBytes > 0) {
        member(out, "torn_tail_bytes");
        out += std::to_string(tornTailBytes);
    }
    tail(out, prev);
    return out;
}

std::string sealLine(std::uint64_t seq, std::int64_t timeMs, std::string_view reason,
                     std::string_view region, std::string_view macHex, std::string_view prev) {
    std::string out;
    head(out, seq, timeMs, "seal");
    member(out, "reason");
    appendString(out, reason, 64);
    member(out, "region");
    appendString(out, region);
    member(out, "mac");
    out += '"';
    out += macHex;
    out += '"';
    tail(out, prev);
    return out;
}

}  // namespace keyport::audit_json
