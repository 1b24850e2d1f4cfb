// CliRunner: runs the real `keyport` binary in a fresh state dir and captures its exit
// code and output, for end-to-end tests of the command-line tool.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace keyport::test {

struct CliResult {
    int exitCode = -1;
    std::string out;  // stdout and stderr, interleaved
};

class CliRunner {
  public:
    CliRunner();  // makes a temp dir; removed in the destructor
    ~CliRunner();
    CliRunner(const CliRunner&) = delete;
    CliRunner& operator=(const CliRunner&) = delete;

    const std::filesystem::path& dir() const { return dir_; }
    std::filesystem::path stateDir() const { return dir_ / "var"; }

    // Runs `keyport <args>`; `--config` and a `--define keyport.state_dir=` pointing into
    // the temp dir are added unless `raw`.
    CliResult run(const std::vector<std::string>& args, bool raw = false) const;

    // Path and contents of every file under the token dir, for before/after comparisons.
    std::map<std::string, std::string> tokenFiles() const;

    // Writes `text` as the config file the next runs use (default: the shipped lab config).
    void writeConfig(const std::string& text);

    std::string config = KEYPORT_SOURCE_DIR "/config/keyport.properties";
    std::vector<std::string> defines;

  private:
    std::filesystem::path dir_;
};

}  // namespace keyport::test
