// The request target's text checked before any route runs: percent-escapes (RFC 3986 §2.1)
// well formed and no control byte in it, raw or escaped; and escapes decoded without
// throwing, for the handlers that read a decoded path segment or query value.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keyport::api {

// What is wrong with a request's path and query, for a 400; nullopt when nothing is: every
// '%' starts an escape of two hex digits, and no byte below 0x20 or 0x7F appears, sent as
// is or escaped (an id or tag key never holds one; a NUL would cut it short in C APIs).
std::optional<std::string> requestTargetProblem(std::string_view path, std::string_view query);

// `text` with its %XX escapes decoded ('+' stays '+'); nullopt on a malformed escape.
std::optional<std::string> percentDecoded(std::string_view text);

// The query's name=value pairs in order, decoded as HTML forms encode them ('+' is a space,
// as Poco::URI::getQueryParameters reads it); nullopt on a malformed escape.
std::optional<std::vector<std::pair<std::string, std::string>>> queryParameters(
    std::string_view query);

}  // namespace keyport::api
