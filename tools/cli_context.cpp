#include "tools/cli_context.h"

#include "service/core/base/state_dir.h"

namespace keyport::cli {

CliContext CliContext::open(const Args& args) {
    CliContext ctx{Config::load(args.required("config"), args.all("define")), nullptr};
    prepareStateDir(ctx.config);  // sets SOFTHSM2_CONF, so before the module loads
    ctx.module = std::make_unique<hsm::Module>(ctx.config.module);
    return ctx;
}

}  // namespace keyport::cli
