#include "tests/cli/cli_runner.h"

#include <stdlib.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace keyport::test {
namespace fs = std::filesystem;
namespace {

std::string shellQuote(const std::string& s) {
    std::string q = "'";
    for (char c : s) {
        if (c == '\'') {
            q += "'\\''";
        } else {
            q += c;
        }
    }
    return q + "'";
}

}  // namespace

CliRunner::CliRunner() {
    std::string tmpl = (fs::temp_directory_path() / "keyport-cli-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
}

CliRunner::~CliRunner() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

CliResult CliRunner::run(const std::vector<std::string>& args, bool raw) const {
    std::string cmd = shellQuote(KEYPORT_CLI_PATH);
    // append() rather than `" " + quoted`: GCC 12 at -O3 reports a false -Wrestrict on
    // "literal" + std::string&& (a known bug), which breaks Release builds.
    for (const auto& a : args) cmd.append(" ").append(shellQuote(a));
    if (!raw) {
        cmd.append(" --config ").append(shellQuote(config));
        cmd.append(" --define ").append(shellQuote("keyport.state_dir=" + stateDir().string()));
        for (const auto& d : defines) cmd.append(" --define ").append(shellQuote(d));
    }
    cmd += " 2>&1 </dev/null";
    CliResult r;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) throw std::runtime_error("popen failed");
    std::array<char, 4096> buf;
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    const int status = ::pclose(p);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

void CliRunner::writeConfig(const std::string& text) {
    config = (dir_ / "keyport.properties").string();
    std::ofstream(config, std::ios::trunc) << text;
}

std::map<std::string, std::string> CliRunner::tokenFiles() const {
    std::map<std::string, std::string> files;
    const fs::path tokens = stateDir() / "tokens";
    if (!fs::exists(tokens)) return files;
    for (const auto& e : fs::recursive_directory_iterator(tokens)) {
        if (!e.is_regular_file()) continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        files[fs::relative(e.path(), tokens).string()] = s.str();
    }
    return files;
}

}  // namespace keyport::test
