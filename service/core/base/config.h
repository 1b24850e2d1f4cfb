// Config: keyport.properties read once into a typed, validated struct. Shared by keyportd
// and the keyport CLI; a bad config throws ConfigError naming the key.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace Poco::Util {
class AbstractConfiguration;
}

namespace keyport {

class ConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct RegionConfig {
    std::string name;        // e.g. "cn-north-4"
    std::string tokenLabel;  // PKCS#11 token label of the region's token
};

// The lab's documented demo credential, registered at start-up when configured.
struct DemoCredential {
    std::string domain;
    std::string project;
    std::string region;
    std::string xAuthToken;
    std::string accessKey;
    std::string secretKey;
};

struct ServerConfig {
    std::string address = "127.0.0.1";
    unsigned port = 8080;   // 0: an ephemeral port (tests)
    unsigned threads = 64;  // Poco serves a keep-alive connection on one thread
    std::size_t bodyLimit = 64 * 1024;
};

struct Config {
    std::filesystem::path stateDir;  // absolute
    std::string module;              // p11-kit module name or library path
    bool manageSoftHsm = true;       // keep softhsm2.conf and the token dir in stateDir
    unsigned long transportKeyBits = 3072;
    std::vector<RegionConfig> regions;
    ServerConfig server;
    std::filesystem::path database;  // default stateDir/keyport.db
    bool hostAssistedOaep = false;   // import.host_assisted_oaep
    std::int64_t wrappingPairMaxAgeSeconds = 24 * 3600;
    std::uint64_t wrappingPairMaxUses = 100000;
    std::int64_t importTokenValiditySeconds = 24 * 3600;  // Huawei: 24 h
    std::size_t keyCacheSize = 4096;
    // The length of one day of a scheduled secret deletion's recovery window (labs and tests
    // shorten it); secrets.recovery_day_seconds.
    std::int64_t secretRecoveryDaySeconds = 24 * 3600;
    std::int64_t operationStartDelayMs = 0;   // operations.start_delay_ms (tests)
    std::int64_t rotationDaySeconds = 86400;  // keys.rotation_day_seconds (lab/tests: shorter)
    // How far past now an EXO2 signature's `expires` may lie
    // (exoscale.signature_max_lifetime_seconds): the vendor's clients sign 10 minutes ahead.
    std::int64_t exoscaleSignatureMaxLifetimeSeconds = 900;
    std::optional<DemoCredential> demo;

    std::filesystem::path softhsmConf() const { return stateDir / "softhsm2.conf"; }
    std::filesystem::path tokenDir() const { return stateDir / "tokens"; }
    std::filesystem::path pinDir() const { return stateDir / "pins"; }
    std::filesystem::path soPinFile(const RegionConfig& r) const;
    std::filesystem::path userPinFile(const RegionConfig& r) const;
    const RegionConfig& region(const std::string& name) const;

    // Reads `file`, then applies `defines` ("key=value", later ones win). Throws
    // ConfigError for an unreadable file, an unknown key or an invalid value.
    static Config load(const std::string& file, const std::vector<std::string>& defines = {});
    static Config fromConfiguration(const Poco::Util::AbstractConfiguration& conf);
};

}  // namespace keyport
