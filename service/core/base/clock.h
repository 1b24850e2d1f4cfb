// Wall-clock helpers: epoch seconds and milliseconds.
#pragma once

#include <chrono>
#include <cstdint>

namespace keyport {

inline std::int64_t epochSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline std::int64_t epochMillis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace keyport
