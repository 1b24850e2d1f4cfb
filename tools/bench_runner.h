// Bench runner: runs one operation on N threads for a fixed time and reports the rate and
// latency percentiles. Shared by every `keyport bench` mode.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace keyport::bench {

struct Result {
    std::string name;
    unsigned threads = 0;
    std::uint64_t ops = 0;
    std::uint64_t errors = 0;
    double seconds = 0;
    double opsPerSecond = 0;
    double p50Micros = 0;
    double p99Micros = 0;
    std::string firstError;
};

// Thrown by an operation whose prepared inputs ran out: its worker stops early, and what
// it did so far counts (no error).
struct Exhausted {};

// One operation of one worker thread; throws on failure.
using Operation = std::function<void()>;
// Builds thread `index`'s operation, with whatever per-thread state it needs.
using WorkerFactory = std::function<Operation(unsigned index)>;

Result run(const std::string& name, unsigned threads, double seconds, const WorkerFactory& make);

void printHeader();
void print(const Result& r);

}  // namespace keyport::bench
