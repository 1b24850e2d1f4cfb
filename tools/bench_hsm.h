// The raw token benchmark, reusable by the HTTP benchmarks that print it as their yardstick.
#pragma once

#include <vector>

#include "hsm/token.h"
#include "tools/bench_runner.h"

namespace keyport::cli {

std::vector<bench::Result> runHsmBench(hsm::Token& token, unsigned threads, double seconds,
                                       bool print);

}  // namespace keyport::cli
