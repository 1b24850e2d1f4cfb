// AuditLine: one line of the trail parsed strictly (valid UTF-8 JSON, a record type with
// its members in the order the writer puts them, no unknown ones) — what start-up continues
// the chain from and what `keyport audit verify` checks; and the line hash of the chain.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace keyport {

// A line that is not a record of the format; what() says what is wrong (never the
// line's content).
class AuditFormatError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct AuditLine {
    std::uint64_t seq = 0;
    std::string type;  // "request", "start" or "seal"
    std::string prev;  // 64 lowercase hex
    // A seal's members.
    std::string reason, region, mac;
    // A start's: bytes of a torn last line cut off at start-up (0: none).
    std::uint64_t tornTailBytes = 0;
};

// Throws AuditFormatError.
AuditLine parseAuditLine(std::string_view line);

// The chain's link: SHA-256 of a line's bytes (no newline) in lowercase hex.
std::string auditLineHash(std::string_view line);
// The prev of the first record ever.
inline const std::string kAuditGenesisPrev(64, '0');

}  // namespace keyport
