// `keyport token init` and `keyport token status`.
#include <cstdio>

#include "service/core/tokens/provisioning.h"
#include "tools/cli_context.h"
#include "tools/commands.h"

namespace keyport::cli {
namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string s;
    for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
    return s;
}

}  // namespace

int tokenInit(const Argv& argv) {
    Args args(argv, {"config", "define"}, {"reinitialize"});
    auto ctx = CliContext::open(args);
    const auto results = provisionTokens(ctx.config, *ctx.module, args.has("reinitialize"));
    std::size_t changed = 0;
    for (const auto& r : results) {
        std::printf("%-16s token %-28s %s", r.region.c_str(), r.label.c_str(),
                    outcomeName(r.outcome));
        if (!r.created.empty()) std::printf(" (created %s)", joined(r.created).c_str());
        std::printf("\n");
        if (r.outcome != ProvisionResult::Outcome::Unchanged) ++changed;
    }
    if (changed == 0) {
        std::printf("nothing changed: all %zu region tokens were already provisioned\n",
                    results.size());
    } else {
        std::printf("%zu of %zu region tokens changed; PIN files in %s\n", changed, results.size(),
                    ctx.config.pinDir().c_str());
    }
    return 0;
}

int tokenStatus(const Argv& argv) {
    Args args(argv, {"config", "define"}, {});
    auto ctx = CliContext::open(args);
    std::printf("module %s\n", ctx.module->path().c_str());
    bool allProvisioned = true;
    for (const auto& st : tokenStatus(ctx.config, *ctx.module)) {
        std::string state = !st.present         ? "absent"
                            : !st.error.empty() ? "error"
                            : st.provisioned    ? "provisioned"
                                                : "incomplete";
        allProvisioned = allProvisioned && st.provisioned;
        std::printf("%-16s token %-28s %s\n", st.region.c_str(), st.label.c_str(), state.c_str());
        if (!st.error.empty()) std::printf("    error: %s\n", st.error.c_str());
        if (st.present && st.error.empty()) {
            std::printf(
                "    static objects: %s; ceremony signing key: %s\n",
                st.missing.empty() ? "all present" : ("missing " + joined(st.missing)).c_str(),
                st.ceremonyKey ? "present" : "none yet (made at the first ceremony step)");
        }
        if (st.capabilities) {
            std::vector<std::string> yes, no;
            for (const auto& c : st.capabilities->results()) {
                (c.available ? yes : no).push_back(hsm::capabilityName(c.capability));
            }
            std::printf("    capabilities: %s\n", joined(yes).c_str());
            for (const auto& c : st.capabilities->results()) {
                if (!c.available) {
                    std::printf("    unavailable: %s (%s)\n", hsm::capabilityName(c.capability),
                                c.detail.c_str());
                }
            }
        }
    }
    // Scripts can rely on the exit code: 0 only when every region is ready.
    return allProvisioned ? 0 : 3;
}

}  // namespace keyport::cli
