// Helpers for the parser vector tables: bytes written as hex, and the seed corpora of the
// fuzz targets (tests/fuzz/corpus/<target>/) written from the tables' accepted rows.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "hsm/bytes.h"

namespace keyport::test {

// "01 02 0a" → {1, 2, 10}; spaces are for the reader. A malformed literal fails the test.
inline hsm::Bytes hex(std::string_view text) {
    hsm::Bytes out;
    int hi = -1;
    for (char c : text) {
        if (c == ' ') continue;
        int v = -1;
        if (c >= '0' && c <= '9') v = c - '0';
        if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
        if (v < 0) {
            ADD_FAILURE() << "bad hex literal: " << text;
            return {};
        }
        if (hi < 0) {
            hi = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(hi << 4 | v));
            hi = -1;
        }
    }
    if (hi >= 0) ADD_FAILURE() << "odd hex literal: " << text;
    return out;
}

inline hsm::Bytes concat(std::initializer_list<hsm::ByteView> parts) {
    hsm::Bytes out;
    for (auto p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

inline hsm::Bytes bytesOf(std::string_view s) {
    const auto v = hsm::asBytes(s);
    return {v.begin(), v.end()};
}

// With KEYPORT_SEED_CORPUS=<dir> set, writes `input` (up to 4 KiB) as <dir>/<target>/<name>: how
// the committed seed corpora were made (`KEYPORT_SEED_CORPUS=tests/fuzz/corpus ctest -R parsers`).
inline void seedCorpus(const std::string& target, const std::string& name, hsm::ByteView input) {
    const char* dir = std::getenv("KEYPORT_SEED_CORPUS");
    if (dir == nullptr || *dir == '\0' || input.size() > 4096) return;  // small seeds only
    const auto path = std::filesystem::path(dir) / target;
    std::filesystem::create_directories(path);
    std::ofstream(path / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(input.data()),
               static_cast<std::streamsize>(input.size()));
}

}  // namespace keyport::test
