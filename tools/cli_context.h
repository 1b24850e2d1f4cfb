// CliContext: what most subcommands start with — the config (from --config and --define)
// with its state dir prepared, and the PKCS#11 module loaded.
#pragma once

#include <memory>

#include "hsm/module.h"
#include "service/core/base/config.h"
#include "tools/args.h"

namespace keyport::cli {

struct CliContext {
    Config config;
    std::unique_ptr<hsm::Module> module;

    static CliContext open(const Args& args);
};

}  // namespace keyport::cli
