#include "service/api/front/response_writer.h"

#include <charconv>
#include <cstdio>
#include <ctime>
#include <string_view>

#include "service/api/front/status_text.h"

namespace keyport::api::front {
namespace {

// The IMF-fixdate of this second, formatted once per second per thread.
std::string_view httpDate() {
    thread_local std::time_t cached = 0;
    thread_local char text[64];
    thread_local std::size_t length = 0;
    const std::time_t now = std::time(nullptr);
    if (now != cached) {
        std::tm tm{};
        gmtime_r(&now, &tm);
        static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
        static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        const int n = std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                                    kDays[tm.tm_wday % 7], tm.tm_mday, kMonths[tm.tm_mon % 12],
                                    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
        length = n > 0 ? static_cast<std::size_t>(n) : 0;
        cached = now;
    }
    return {text, length};
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

// Framing is ours alone: a handler's header cannot add a second length or split the head.
bool acceptable(const std::string& name, const std::string& value) {
    if (equalsIgnoreCase(name, "content-length") || equalsIgnoreCase(name, "connection") ||
        equalsIgnoreCase(name, "transfer-encoding") || equalsIgnoreCase(name, "date") ||
        equalsIgnoreCase(name, "content-type")) {
        return false;
    }
    return name.find_first_of("\r\n:") == std::string::npos &&
           value.find_first_of("\r\n") == std::string::npos;
}

void appendNumber(std::string& out, std::size_t n) {
    char digits[24];
    const auto r = std::to_chars(digits, digits + sizeof digits, n);
    out.append(digits, r.ptr);
}

}  // namespace

void writeResponse(std::string& out, const Response& res, bool headRequest,
                   ConnectionHeader connection) {
    std::size_t extra = 0;
    for (const auto& [name, value] : res.headers) extra += name.size() + value.size() + 4;
    const bool body = !headRequest;
    out.reserve(out.size() + 256 + res.contentType.size() + extra + (body ? res.body.size() : 0));
    out += "HTTP/1.1 ";
    appendNumber(out, static_cast<std::size_t>(res.status));
    out += ' ';
    out += reasonPhrase(res.status);
    out += "\r\nDate: ";
    out += httpDate();
    if (!res.contentType.empty()) {
        out += "\r\nContent-Type: ";
        out += res.contentType;
    }
    out += "\r\nContent-Length: ";
    appendNumber(out, res.body.size());
    if (connection == ConnectionHeader::Close) out += "\r\nConnection: close";
    if (connection == ConnectionHeader::KeepAlive) out += "\r\nConnection: keep-alive";
    for (const auto& [name, value] : res.headers) {
        if (!acceptable(name, value)) continue;
        out += "\r\n";
        out += name;
        out += ": ";
        out += value;
    }
    out += "\r\n\r\n";
    if (body) out += res.body;
}

}  // namespace keyport::api::front
