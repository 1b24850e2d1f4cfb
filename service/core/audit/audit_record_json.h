// The exact JSON-line form of each audit record type (members in a fixed order, optional
// ones omitted when empty), escaped so that every line is valid UTF-8 whatever a client sent
// and capped at kMaxRecordBytes so that the space admit() reserves always suffices.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "service/core/audit/audit_log.h"

namespace keyport::audit_json {

// No line is longer than this (without its newline): long fields are cut ("..."), a long
// object list ends with {"kind":"truncated","id":"<n> more"}.
inline constexpr std::size_t kMaxRecordBytes = 16 * 1024;
// What a string member may take once escaped (the rest is cut).
inline constexpr std::size_t kMaxFieldBytes = 512;
// What the "objects" array may take before it is cut.
inline constexpr std::size_t kMaxObjectsBytes = 6 * 1024;

std::string requestLine(std::uint64_t seq, const AuditRecord& record, std::string_view prev);
// The same in two steps: everything after "seq" and before "prev", built without the chain's
// lock (it is most of the work), then the line around it, under the lock.
std::string requestBody(const AuditRecord& record);
std::string requestLine(std::uint64_t seq, std::string_view body, std::string_view prev);
// `version` empty: omitted; `tornTailBytes` 0: omitted.
std::string startLine(std::uint64_t seq, std::int64_t timeMs, std::string_view version,
                      std::uint64_t tornTailBytes, std::string_view prev);
std::string sealLine(std::uint64_t seq, std::int64_t timeMs, std::string_view reason,
                     std::string_view region, std::string_view macHex, std::string_view prev);

// `s` as a JSON string literal (quotes included): valid UTF-8 passes through, '"', '\' and
// control characters are escaped, and each byte that is not part of valid UTF-8 becomes
// \u00XX. Cut with "..." where the escaped text would pass `maxBytes`.
void appendString(std::string& out, std::string_view s, std::size_t maxBytes = kMaxFieldBytes);
// Length of the valid UTF-8 sequence at the start of `s` (1-4), or 0 when it is not one
// (overlong forms, surrogates and code points past U+10FFFF are not).
std::size_t utf8SequenceLength(std::string_view s);
// "2026-12-01T20:00:00.123Z"
std::string utcTime(std::int64_t epochMs);

}  // namespace keyport::audit_json
