#include "tools/bench_state.h"

#include <cstdlib>
#include <stdexcept>

#include "hsm/module.h"
#include "service/core/base/state_dir.h"
#include "service/core/tokens/provisioning.h"

namespace keyport::cli {

BenchState provisionBenchState(const Args& args, std::vector<std::string> defines) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "keyport-bench-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    const auto given = args.all("define");  // after the bench's own: --define may change them
    defines.insert(defines.end(), given.begin(), given.end());
    defines.push_back("keyport.state_dir=" + tmpl);
    defines.push_back("server.address=127.0.0.1");
    defines.push_back("server.port=0");
    BenchState s{tmpl, Config::load(args.required("config"), defines)};
    prepareStateDir(s.config);
    hsm::Module module(s.config.module);
    provisionTokens(s.config, module);
    return s;
}

}  // namespace keyport::cli
