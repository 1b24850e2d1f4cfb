#include "service/api/request_target.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace keyport::api {
namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool isControl(unsigned char c) {
    return c < 0x20 || c == 0x7f;
}

// Why `text` (the path or the query, named `part`) is refused; nullopt when it is not.
std::optional<std::string> partProblem(std::string_view text, const char* part) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (isControl(c)) return std::string("the ") + part + " holds a control character";
        if (c != '%') continue;
        const int hi = i + 1 < text.size() ? hexValue(text[i + 1]) : -1;
        const int lo = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
            return std::string("the ") + part +
                   " holds a malformed percent-escape: '%' must be followed by two hex digits";
        }
        if (isControl(static_cast<unsigned char>(hi * 16 + lo))) {
            return std::string("the ") + part + " holds an escaped control character";
        }
        i += 2;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> requestTargetProblem(std::string_view path, std::string_view query) {
    if (auto p = partProblem(path, "path")) return p;
    return partProblem(query, "query");
}

std::optional<std::string> percentDecoded(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        const int hi = i + 1 < text.size() ? hexValue(text[i + 1]) : -1;
        const int lo = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> queryParameters(
    std::string_view query) {
    // Poco's reading, kept exactly (the EXO2 signature covers values as it decodes them);
    // only its exception on a malformed escape becomes an answer.
    try {
        return Poco::URI("/?" + std::string(query)).getQueryParameters();
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

}  // namespace keyport::api
