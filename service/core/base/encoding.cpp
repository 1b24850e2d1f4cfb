#include "service/core/base/encoding.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <span>
#include <stdexcept>

namespace keyport {

std::string base64Encode(hsm::ByteView bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

namespace {

// Strict-alphabet check; returns the '=' padding count, or std::nullopt when not base64.
std::optional<std::size_t> base64Padding(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t pad = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (c == '=') {
            if (i + 2 < text.size()) return std::nullopt;  // '=' only in the last two places
            ++pad;
        } else if (!alpha || pad > 0) {
            return std::nullopt;
        }
    }
    return pad;
}

}  // namespace

std::optional<hsm::Bytes> base64Decode(std::string_view text) {
    const auto pad = base64Padding(text);
    if (!pad) return std::nullopt;
    hsm::Bytes out(text.size() / 4 * 3);
    if (out.empty()) return out;
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    out.resize(static_cast<std::size_t>(n) - *pad);
    return out;
}

std::optional<hsm::SecretBytes> base64DecodeSecret(std::string_view text) {
    const auto pad = base64Padding(text);
    if (!pad) return std::nullopt;
    hsm::SecretBytes out(text.size() / 4 * 3);
    if (out.empty()) return out;
    const int n =
        EVP_DecodeBlock(out.reveal().data(), reinterpret_cast<const unsigned char*>(text.data()),
                        static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    out.truncate(static_cast<std::size_t>(n) - *pad);
    return out;
}

std::string hexEncode(hsm::ByteView bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (auto b : bytes) {
        out += kHex[b >> 4];
        out += kHex[b & 0xf];
    }
    return out;
}

namespace {

// Decodes `text` into `out` (text.size() / 2 bytes); false on a non-hex character.
bool hexInto(std::string_view text, std::span<std::uint8_t> out) {
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return true;
}

}  // namespace

std::optional<hsm::Bytes> hexDecode(std::string_view text) {
    if (text.size() % 2 != 0) return std::nullopt;
    hsm::Bytes out(text.size() / 2);
    if (!hexInto(text, out)) return std::nullopt;
    return out;
}

std::optional<hsm::SecretBytes> hexDecodeSecret(std::string_view text) {
    if (text.size() % 2 != 0) return std::nullopt;
    hsm::SecretBytes out(text.size() / 2);
    if (!hexInto(text, out.reveal())) return std::nullopt;
    return out;
}

std::string newUuid() {
    std::uint8_t b[16];
    if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("RAND_bytes failed");
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
    const std::string h = hexEncode(b);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20);
}

bool isUuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

}  // namespace keyport
