// Splitting one libFuzzer input into the several strings a target needs: fields separated
// by '\n', the last field taking the rest (so it may hold newlines).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace keyport::fuzz {

inline std::vector<std::string> fields(const std::uint8_t* data, std::size_t size, std::size_t n) {
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> out;
    while (out.size() + 1 < n) {
        const auto nl = rest.find('\n');
        if (nl == std::string_view::npos) break;
        out.emplace_back(rest.substr(0, nl));
        rest.remove_prefix(nl + 1);
    }
    out.emplace_back(rest);
    out.resize(n);
    return out;
}

// A property the target checks; a failure aborts so libFuzzer saves the input.
#define KEYPORT_FUZZ_CHECK(cond)                                                                \
    do {                                                                                        \
        if (!(cond)) {                                                                          \
            std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            __builtin_abort();                                                                  \
        }                                                                                       \
    } while (0)

}  // namespace keyport::fuzz
