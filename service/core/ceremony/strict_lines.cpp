#include "service/core/ceremony/strict_lines.h"

#include <openssl/evp.h>

#include <charconv>

#include "service/core/base/encoding.h"

namespace keyport::ceremony {

StrictLines::StrictLines(std::string_view text, std::string source)
    : text_(text), source_(std::move(source)) {}

void StrictLines::fail(const std::string& why) const {
    throw CeremonyFileError(source_ + ": line " + std::to_string(line_) + ": " + why);
}

namespace {

bool printable(std::string_view s) {
    for (char c : s) {
        if (c < 0x20 || c > 0x7e) return false;
    }
    return true;
}

}  // namespace

void StrictLines::header(std::string_view header) {
    const auto end = text_.find('\n', pos_);
    ++line_;
    if (end == std::string_view::npos || text_.substr(pos_, end - pos_) != header) {
        fail("not a Keyport file of this kind (expected '" + std::string(header) + "')");
    }
    pos_ = end + 1;
}

bool StrictLines::next(std::string_view key) const {
    const auto rest = text_.substr(pos_);
    return rest.size() > key.size() + 1 && rest.substr(0, key.size()) == key &&
           rest.substr(key.size(), 2) == ": ";
}

std::string_view StrictLines::field(std::string_view key) {
    ++line_;
    const auto end = text_.find('\n', pos_);
    if (end == std::string_view::npos) {
        fail("expected '" + std::string(key) + ": ...' ending in a newline");
    }
    const auto line = text_.substr(pos_, end - pos_);
    if (line.size() < key.size() + 2 || line.substr(0, key.size()) != key ||
        line.substr(key.size(), 2) != ": ") {
        fail("expected '" + std::string(key) + ": ...'");
    }
    const auto value = line.substr(key.size() + 2);
    if (value.empty() || value.size() > 1024 * 1024 || !printable(value)) {
        fail("the value of '" + std::string(key) + "' is empty or not printable ASCII");
    }
    pos_ = end + 1;
    return value;
}

unsigned StrictLines::number(std::string_view key, unsigned min, unsigned max) {
    const auto v = field(key);
    unsigned n = 0;
    const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size() || (v.size() > 1 && v[0] == '0') || n < min ||
        n > max) {
        fail("'" + std::string(key) + "' must be a number from " + std::to_string(min) + " to " +
             std::to_string(max));
    }
    return n;
}

std::string_view StrictLines::check(std::string_view& covered) {
    covered = text_.substr(0, pos_);
    const auto value = field("check");
    if (pos_ != text_.size()) fail("unexpected text after the check line");
    if (!isLowerHex(value)) fail("the check value is not lowercase hex");
    return value;
}

bool isPlainName(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

bool isCustodianName(std::string_view s) {
    return !s.empty() && s.size() <= 64 && printable(s) && s.front() != ' ' && s.back() != ' ';
}

bool isLowerHex(std::string_view s) {
    if (s.empty() || s.size() % 2 != 0) return false;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

std::string sha256Hex(hsm::ByteView data) {
    unsigned char md[32];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1 || len != 32) {
        throw std::runtime_error("SHA-256 failed");
    }
    return hexEncode(hsm::ByteView(md, len));
}

}  // namespace keyport::ceremony
