// ByteWriter and ByteReader: the fields of Keyport's own MAC'd binary tokens (import tokens,
// NAVER key access tokens): bytes, big-endian 64-bit integers and strings of at most 255
// bytes after a length byte. Each format keeps its own layout and its own error for a bad one.
#pragma once

#include <cstdint>
#include <string>

#include "hsm/bytes.h"
#include "service/core/base/errors.h"

namespace keyport {

struct ByteWriter {
    hsm::Bytes& out;

    void u8(std::uint8_t v) { out.push_back(v); }
    void u64(std::int64_t v) {
        for (int i = 7; i >= 0; --i)
            out.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (8 * i)));
    }
    void raw(hsm::ByteView b) { out.insert(out.end(), b.begin(), b.end()); }
    // Ids and names only: a longer field is the caller's bug, not bad input.
    void shortString(const std::string& s) {
        if (s.size() > 255) throw Error(ErrorCode::Internal, "token field too long");
        u8(static_cast<std::uint8_t>(s.size()));
        out.insert(out.end(), s.begin(), s.end());
    }
};

// Reads what ByteWriter wrote. Reading past the end throws Truncated (never reads out of
// bounds), which the format turns into its own "invalid" error.
struct ByteReader {
    struct Truncated {};

    hsm::ByteView data;
    std::size_t pos = 0;

    std::uint8_t u8() {
        if (pos >= data.size()) throw Truncated{};
        return data[pos++];
    }
    std::int64_t u64() {
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v = v << 8 | u8();
        return static_cast<std::int64_t>(v);
    }
    void skip(std::size_t n) {
        if (data.size() - pos < n) throw Truncated{};
        pos += n;
    }
    std::string shortString() {
        const std::size_t n = u8();
        if (data.size() - pos < n) throw Truncated{};
        std::string s(reinterpret_cast<const char*>(data.data() + pos), n);
        pos += n;
        return s;
    }
    bool done() const { return pos == data.size(); }
};

}  // namespace keyport
