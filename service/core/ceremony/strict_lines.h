// StrictLines: the reader (and writer helpers) of the ceremony files' line format — one
// "key: value" per line, every key in a fixed order, nothing else — shared by the share
// files and the backup manifest so both refuse the same way.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "hsm/bytes.h"

namespace keyport::ceremony {

// A ceremony file that is not exactly what Keyport writes; the message names the file and
// the line.
class CeremonyFileError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class StrictLines {
  public:
    // `source` names the file in messages.
    StrictLines(std::string_view text, std::string source);

    // The next line must be exactly `header` (the format's name and version).
    void header(std::string_view header);
    // The next line must be "key: value"; returns value (1..1024 printable ASCII bytes).
    std::string_view field(std::string_view key);
    // True when the next line starts with "key: ".
    bool next(std::string_view key) const;
    unsigned number(std::string_view key, unsigned min, unsigned max);
    // The final "check: HEX" line, which must cover every byte before it, and then the end.
    // Returns the check's hex value and sets `covered` to the text it covers.
    std::string_view check(std::string_view& covered);

    [[noreturn]] void fail(const std::string& why) const;
    std::size_t line() const { return line_; }

  private:
    std::string_view text_;
    std::string source_;
    std::size_t pos_ = 0;
    std::size_t line_ = 0;  // of the line last read
};

// Names (region, token label, object label): 1..64 of [A-Za-z0-9._-].
bool isPlainName(std::string_view s);
// Custodian names: 1..64 printable ASCII, no leading or trailing blank.
bool isCustodianName(std::string_view s);
bool isLowerHex(std::string_view s);

// Lowercase hex of SHA-256 over `data` (public data: file contents, never a secret alone).
std::string sha256Hex(hsm::ByteView data);

}  // namespace keyport::ceremony
