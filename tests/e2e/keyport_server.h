// KeyportServer: a real keyportd child process on an ephemeral port over a fresh state dir
// (its own SoftHSM tokens, provisioned with the real `keyport token init`), for end-to-end
// tests. Stop, kill -9 and restart keep the state dir.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace keyport::test {

// The lab demo credential, as in config/keyport.properties.
inline constexpr char kDemoProject[] = "0a1b2c3d4e5f40718293a4b5c6d7e8f9";
inline constexpr char kDemoToken[] = "keyport-demo-token-do-not-use-in-production";
inline constexpr char kDemoAccessKey[] = "KEYPORTDEMOACCESSKEY";
inline constexpr char kDemoSecretKey[] = "keyport-demo-secret-key-do-not-use-in-production";

struct Credential {
    std::string domainId, projectId, region, token, accessKey, secretKey;
};

// The real `keyport` CLI run with exactly `args` (no stdin): exit code, stdout, stderr.
struct CliResult {
    int exitCode = -1;
    std::string out, err;
};
CliResult runKeyport(const std::vector<std::string>& args);

class KeyportServer {
  public:
    // `extraConfig` lines are appended to the generated config (later keys win).
    explicit KeyportServer(const std::string& extraConfig = {});
    ~KeyportServer();
    KeyportServer(const KeyportServer&) = delete;
    KeyportServer& operator=(const KeyportServer&) = delete;

    void start();
    void stop();   // SIGTERM, wait
    void kill9();  // SIGKILL, wait
    void restart() {
        stop();
        start();
    }

    unsigned port() const { return port_; }
    const std::filesystem::path& dir() const { return dir_; }
    std::filesystem::path configFile() const { return dir_ / "keyport.properties"; }
    std::filesystem::path databaseFile() const { return dir_ / "var" / "keyport.db"; }

    // Runs the real `keyport` CLI with --config; returns stdout, throws on a non-zero exit.
    std::string cli(const std::vector<std::string>& args) const;
    Credential addCredential(const std::string& domain, const std::string& project,
                             const std::string& region, const std::string& role = "user") const;
    static Credential demo();

  private:
    std::filesystem::path dir_;
    pid_t pid_ = -1;
    unsigned port_ = 0;
};

}  // namespace keyport::test
