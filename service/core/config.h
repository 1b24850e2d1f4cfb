// Config: keyport.properties read once into a typed, validated struct. Shared by keyportd
// and the keyport CLI; a bad config throws ConfigError naming the key.
#pragma once

#include <filesystem>
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

struct Config {
    std::filesystem::path stateDir;  // absolute
    std::string module;              // p11-kit module name or library path
    bool manageSoftHsm = true;       // keep softhsm2.conf and the token dir in stateDir
    unsigned long transportKeyBits = 3072;
    std::vector<RegionConfig> regions;

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
