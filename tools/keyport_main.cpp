// keyport: the command-line tool (token provisioning, benchmarks; client-side wrapping and
// import come with the import service).
#include <cstdio>
#include <exception>
#include <string>

#include "tools/args.h"
#include "tools/commands.h"

namespace {

constexpr char kUsage[] =
    "usage: keyport <command> [options]\n"
    "\n"
    "  token init   --config FILE [--define key=value ...] [--reinitialize]\n"
    "               provision every configured region token (idempotent); an existing\n"
    "               token is only wiped and re-created with --reinitialize\n"
    "  token status --config FILE [--define key=value ...]\n"
    "               show each region's token, static objects and capabilities\n"
    "               (exit 3 when a region is not provisioned)\n"
    "  credentials add --config FILE --domain D --project P --region R\n"
    "               [--role admin|user|readonly]\n"
    "               register project P of domain D in region R (if new) and issue a\n"
    "               credential; prints it once as JSON (x_auth_token, access_key,\n"
    "               secret_key)\n"
    "  bench hsm    --config FILE [--region R] [--threads N] [--seconds S]\n"
    "               raw token rates, the yardstick for the other benchmarks\n";

}  // namespace

int main(int argc, char** argv) {
    using namespace keyport::cli;
    Argv args(argv + 1, argv + argc);
    const std::string cmd = args.size() >= 2 ? args[0] + " " + args[1] : "";
    const Argv rest = args.size() >= 2 ? Argv(args.begin() + 2, args.end()) : Argv{};
    try {
        if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
            std::fputs(kUsage, stdout);
            return args.empty() ? 2 : 0;
        }
        if (cmd == "token init") return tokenInit(rest);
        if (cmd == "token status") return tokenStatus(rest);
        if (cmd == "bench hsm") return benchHsm(rest);
        if (cmd == "credentials add") return credentialsAdd(rest);
        throw UsageError("unknown command '" + (cmd.empty() ? args[0] : cmd) + "'");
    } catch (const UsageError& e) {
        std::fprintf(stderr, "keyport: %s\n%s", e.what(), kUsage);
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "keyport: %s\n", e.what());
        return 1;
    }
}
