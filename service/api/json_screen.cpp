#include "service/api/json_screen.h"

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "service/core/base/errors.h"

namespace keyport::api {
namespace {

bool numberChar(char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// True when `token` (a JSON number as sent) is one an int64 or uint64 (integers) or a double
// (the rest) holds. Tokens that are no JSON number at all pass: the parser refuses them.
bool representable(std::string_view token) {
    const bool integer = token.find_first_of(".eE") == std::string_view::npos;
    if (integer) {
        std::int64_t v = 0;
        const auto first = token.data();
        const auto last = token.data() + token.size();
        if (std::from_chars(first, last, v).ec != std::errc::result_out_of_range) return true;
        std::uint64_t u = 0;  // 2^63 to 2^64-1: an unsigned value parsers hold exactly
        return token.front() != '-' && std::from_chars(first, last, u).ec == std::errc{};
    }
    const std::string copy(token);  // strtod needs a terminator
    errno = 0;
    char* end = nullptr;
    (void)std::strtod(copy.c_str(), &end);
    return errno != ERANGE;
}

// One level of nesting: an object remembers the member whose value is being read.
struct Level {
    bool object = false;
    std::string_view key;
};

// The member a value at the current position belongs to: the innermost object's key (an
// array's elements belong to the member holding the array).
std::string_view memberName(const Level* levels, std::size_t depth) {
    for (std::size_t d = depth; d > 0; --d) {
        if (levels[d - 1].object && !levels[d - 1].key.empty()) return levels[d - 1].key;
    }
    return {};
}

}  // namespace

void screenJson(std::string_view body) {
    std::array<Level, kMaxJsonDepth> levels;  // on the stack: this runs on every request
    std::size_t depth = 0;
    std::string_view lastString;  // the string just closed: a key if ':' follows
    std::size_t i = 0;
    while (i < body.size()) {
        const char c = body[i];
        if (c == '"') {
            const std::size_t start = ++i;
            while (i < body.size()) {
                i = body.find_first_of("\"\\", i);
                if (i == std::string_view::npos || body[i] == '"') break;
                i += 2;  // an escape: the next character cannot close the string
            }
            if (i >= body.size()) return;  // unterminated: the parser says so
            lastString = body.substr(start, i - start);
            ++i;
            continue;
        }
        if (c == ':') {
            if (depth > 0 && levels[depth - 1].object) levels[depth - 1].key = lastString;
        } else if (c == '{' || c == '[') {
            if (depth == kMaxJsonDepth) {
                throw Error(ErrorCode::MalformedRequest, "the request body nests deeper than " +
                                                             std::to_string(kMaxJsonDepth) +
                                                             " levels");
            }
            levels[depth++] = Level{c == '{', {}};
        } else if (c == '}' || c == ']') {
            if (depth > 0) --depth;
        } else if ((c >= '0' && c <= '9') || c == '-') {
            const std::size_t start = i;
            while (i < body.size() && numberChar(body[i])) ++i;
            if (!representable(body.substr(start, i - start))) {
                const std::string name(memberName(levels.data(), depth).substr(0, 64));
                throw Error(
                    ErrorCode::InvalidParameter,
                    (name.empty() ? std::string("a number") : name) + " is a number out of range",
                    name);
            }
            continue;
        }
        ++i;
    }
}

}  // namespace keyport::api
