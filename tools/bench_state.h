// BenchState: the fresh state dir and provisioned tokens an in-process benchmark (`bench
// http`, `bench hostile`) runs keyportd on, so a run never touches the user's own state.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "service/core/base/config.h"
#include "tools/args.h"

namespace keyport::cli {

struct BenchState {
    std::filesystem::path dir;  // a new /tmp/keyport-bench-XXXXXX
    Config config;              // --config with `defines` first, then --define, on `dir`
};

// Makes the dir, loads the config (loopback, an ephemeral port) and provisions every token.
BenchState provisionBenchState(const Args& args, std::vector<std::string> defines = {});

}  // namespace keyport::cli
