#include "service/core/base/config.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Util/LayeredConfiguration.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <fstream>
#include <regex>
#include <set>

namespace keyport {
namespace {

using Poco::Util::AbstractConfiguration;

const std::set<std::string> kKnownKeys = {
    "keyport.state_dir",
    "hsm.module",
    "hsm.softhsm.manage",
    "hsm.transport_key_bits",
    "regions",
    "server.address",
    "server.port",
    "server.threads",
    "server.body_limit",
    "server.header_timeout_ms",
    "server.body_min_bytes_per_second",
    "server.keepalive_timeout_ms",
    "server.write_timeout_ms",
    "server.max_header_bytes",
    "server.max_headers",
    "server.max_connections",
    "server.max_connections_per_peer",
    "server.max_queued",
    "server.plain_http_on_any_address",
    "server.tls.cert_file",
    "server.tls.key_file",
    "server.tls.client_ca_file",
    "database.path",
    "import.host_assisted_oaep",
    "import.wrapping_pair.max_age_hours",
    "import.wrapping_pair.max_uses",
    "import.token_validity_seconds",
    "cache.keys",
    "secrets.recovery_day_seconds",
    "operations.start_delay_ms",
    "ceremony.rollover_batch",
    "ceremony.rollover_batch_pause_ms",
    "keys.rotation_day_seconds",
    "exoscale.signature_max_lifetime_seconds",
    "audit.enabled",
    "audit.path",
    "audit.max_file_bytes",
    "audit.seal_every",
    "audit.seal_interval_seconds",
    "audit.region",
    "audit.reserve_bytes",
    "log.format",
    "log.level",
    "metrics.address",
    "demo.domain",
    "demo.project",
    "demo.region",
    "demo.x_auth_token",
    "demo.access_key",
    "demo.secret_key",
};
const std::regex kRegionTokenKey(R"(region\.([A-Za-z0-9_-]+)\.token)");
const std::regex kRegionName(R"([A-Za-z0-9_-]{1,32})");

void collectKeys(const AbstractConfiguration& conf, const std::string& prefix,
                 std::vector<std::string>& out) {
    AbstractConfiguration::Keys keys;
    conf.keys(prefix, keys);
    for (const auto& k : keys) {
        const std::string full = prefix.empty() ? k : prefix + "." + k;
        if (conf.hasProperty(full)) out.push_back(full);
        collectKeys(conf, full, out);
    }
}

std::string required(const AbstractConfiguration& conf, const std::string& key,
                     const std::string& def) {
    std::string v = Poco::trim(conf.getString(key, def));
    if (v.empty()) throw ConfigError("config key '" + key + "' must not be empty");
    return v;
}

bool boolean(const AbstractConfiguration& conf, const std::string& key, bool def) {
    try {
        return conf.getBool(key, def);
    } catch (const Poco::Exception&) {
        throw ConfigError("config key '" + key + "' must be true or false");
    }
}

unsigned long number(const AbstractConfiguration& conf, const std::string& key, unsigned long def,
                     unsigned long min, unsigned long max) {
    const std::string v = Poco::trim(conf.getString(key, std::to_string(def)));
    std::size_t used = 0;
    unsigned long n = 0;
    try {
        n = std::stoul(v, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (v.empty() || used != v.size() || n < min || n > max) {
        throw ConfigError("config key '" + key + "' must be a number from " + std::to_string(min) +
                          " to " + std::to_string(max));
    }
    return n;
}

}  // namespace

std::filesystem::path Config::soPinFile(const RegionConfig& r) const {
    return pinDir() / (r.tokenLabel + ".so.pin");
}

std::filesystem::path Config::userPinFile(const RegionConfig& r) const {
    return pinDir() / (r.tokenLabel + ".user.pin");
}

const RegionConfig& Config::region(const std::string& name) const {
    for (const auto& r : regions) {
        if (r.name == name) return r;
    }
    throw ConfigError("unknown region '" + name + "'");
}

std::string MetricsConfig::host() const {
    const auto colon = address.rfind(':');
    std::string h = colon == std::string::npos ? address : address.substr(0, colon);
    if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    return h;
}

unsigned MetricsConfig::port() const {
    const auto colon = address.rfind(':');
    return colon == std::string::npos
               ? 0u
               : static_cast<unsigned>(std::stoul(address.substr(colon + 1)));
}

Config Config::fromConfiguration(const AbstractConfiguration& conf) {
    std::vector<std::string> keys;
    collectKeys(conf, "", keys);
    for (const auto& k : keys) {
        if (kKnownKeys.count(k) == 0 && !std::regex_match(k, kRegionTokenKey)) {
            throw ConfigError("unknown config key '" + k + "'");
        }
    }

    Config c;
    c.stateDir =
        std::filesystem::absolute(required(conf, "keyport.state_dir", "./var")).lexically_normal();
    c.module = required(conf, "hsm.module", "softhsm2");
    c.manageSoftHsm = boolean(conf, "hsm.softhsm.manage", c.module == "softhsm2");
    const std::string bits = required(conf, "hsm.transport_key_bits", "3072");
    if (bits != "2048" && bits != "3072" && bits != "4096") {
        throw ConfigError("config key 'hsm.transport_key_bits' must be 2048, 3072 or 4096");
    }
    c.transportKeyBits = std::stoul(bits);

    Poco::StringTokenizer names(
        required(conf, "regions", ""), ",",
        Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    std::set<std::string> seenNames, seenLabels;
    for (const auto& name : names) {
        if (!std::regex_match(name, kRegionName)) {
            throw ConfigError("config key 'regions': invalid region name '" + name + "'");
        }
        if (!seenNames.insert(name).second) {
            throw ConfigError("config key 'regions': region '" + name + "' listed twice");
        }
        const std::string key = "region." + name + ".token";
        std::string label = required(conf, key, "keyport-" + name);
        if (label.size() > 32) {
            throw ConfigError("config key '" + key + "': a token label has at most 32 bytes");
        }
        if (label.find('/') != std::string::npos || label.front() == '.') {
            throw ConfigError("config key '" + key +
                              "': label must not contain '/' or start with '.'");
        }
        if (!seenLabels.insert(label).second) {
            throw ConfigError("config key '" + key + "': token label '" + label + "' used twice");
        }
        c.regions.push_back({name, label});
    }
    if (c.regions.empty()) throw ConfigError("config key 'regions' lists no region");
    c.server.address = required(conf, "server.address", c.server.address);
    c.server.port = static_cast<unsigned>(number(conf, "server.port", 8080, 0, 65535));
    c.server.threads = static_cast<unsigned>(number(conf, "server.threads", 64, 1, 1024));
    c.server.bodyLimit = number(conf, "server.body_limit", 64 * 1024, 1024, 64 * 1024 * 1024);
    c.server.headerTimeoutMs =
        static_cast<std::int64_t>(number(conf, "server.header_timeout_ms", 10000, 100, 600000));
    c.server.bodyMinBytesPerSecond =
        number(conf, "server.body_min_bytes_per_second", 1024, 1, 1ul << 30);
    c.server.keepAliveTimeoutMs =
        static_cast<std::int64_t>(number(conf, "server.keepalive_timeout_ms", 10000, 100, 3600000));
    c.server.writeTimeoutMs =
        static_cast<std::int64_t>(number(conf, "server.write_timeout_ms", 10000, 100, 600000));
    c.server.maxHeaderBytes = number(conf, "server.max_header_bytes", 16 * 1024, 1024, 1 << 20);
    c.server.maxHeaders = number(conf, "server.max_headers", 100, 8, 10000);
    c.server.maxConnections = number(conf, "server.max_connections", 4096, 1, 1000000);
    c.server.maxConnectionsPerPeer =
        number(conf, "server.max_connections_per_peer", 256, 1, 1000000);
    c.server.maxQueued = number(conf, "server.max_queued", 1024, 1, 1000000);
    c.server.plainHttpOnAnyAddress = boolean(conf, "server.plain_http_on_any_address", false);
    const auto tlsPath = [&](const std::string& key) -> std::filesystem::path {
        const std::string v = conf.getString(key, "");
        return v.empty() ? std::filesystem::path{}
                         : std::filesystem::absolute(v).lexically_normal();
    };
    c.server.tls.certFile = tlsPath("server.tls.cert_file");
    c.server.tls.keyFile = tlsPath("server.tls.key_file");
    c.server.tls.clientCaFile = tlsPath("server.tls.client_ca_file");
    if (c.server.tls.certFile.empty() != c.server.tls.keyFile.empty()) {
        throw ConfigError(
            "config keys 'server.tls.cert_file' and 'server.tls.key_file' go together");
    }
    if (!c.server.tls.clientCaFile.empty() && !c.server.tls.enabled()) {
        throw ConfigError("config key 'server.tls.client_ca_file' needs server.tls.cert_file");
    }
    // Credentials and material travel in request bodies and headers: plain HTTP leaves
    // the machine only when the operator says a TLS-terminating proxy is in front.
    const std::string& a = c.server.address;
    const bool loopback = a.rfind("127.", 0) == 0 || a == "::1" || a == "localhost";
    if (!c.server.tls.enabled() && !loopback && !c.server.plainHttpOnAnyAddress) {
        throw ConfigError("config key 'server.address': plain HTTP on " + a +
                          " needs server.tls.cert_file/key_file (see `keyport tls init`), or "
                          "server.plain_http_on_any_address = true behind a TLS proxy");
    }
    c.database = std::filesystem::absolute(
                     conf.getString("database.path", (c.stateDir / "keyport.db").string()))
                     .lexically_normal();
    c.hostAssistedOaep = boolean(conf, "import.host_assisted_oaep", false);
    c.wrappingPairMaxAgeSeconds =
        static_cast<std::int64_t>(
            number(conf, "import.wrapping_pair.max_age_hours", 24, 1, 24 * 365)) *
        3600;
    c.wrappingPairMaxUses = number(conf, "import.wrapping_pair.max_uses", 100000, 1, 1000000000);
    c.importTokenValiditySeconds = static_cast<std::int64_t>(
        number(conf, "import.token_validity_seconds", 24 * 3600, 1, 7 * 24 * 3600));
    c.keyCacheSize = number(conf, "cache.keys", 4096, 16, 1000000);
    c.secretRecoveryDaySeconds = static_cast<std::int64_t>(
        number(conf, "secrets.recovery_day_seconds", 24 * 3600, 1, 24 * 3600));
    c.operationStartDelayMs =
        static_cast<std::int64_t>(number(conf, "operations.start_delay_ms", 0, 0, 600000));
    c.rotationDaySeconds =
        static_cast<std::int64_t>(number(conf, "keys.rotation_day_seconds", 86400, 1, 86400));
    c.rolloverBatch = number(conf, "ceremony.rollover_batch", 256, 1, 100000);
    c.rolloverBatchPauseMs =
        static_cast<std::int64_t>(number(conf, "ceremony.rollover_batch_pause_ms", 0, 0, 60000));
    c.exoscaleSignatureMaxLifetimeSeconds = static_cast<std::int64_t>(
        number(conf, "exoscale.signature_max_lifetime_seconds", 900, 1, 86400));
    if (conf.hasProperty("demo.domain")) {
        DemoCredential d;
        d.domain = required(conf, "demo.domain", "");
        d.project = required(conf, "demo.project", "");
        d.region = required(conf, "demo.region", "");
        d.xAuthToken = required(conf, "demo.x_auth_token", "");
        d.accessKey = required(conf, "demo.access_key", "");
        d.secretKey = required(conf, "demo.secret_key", "");
        if (!seenNames.count(d.region)) {
            throw ConfigError("config key 'demo.region' names a region not listed in 'regions'");
        }
        c.demo = d;
    }

    c.audit.enabled = boolean(conf, "audit.enabled", true);
    c.audit.path = std::filesystem::absolute(
                       conf.getString("audit.path", (c.stateDir / "audit" / "audit.log").string()))
                       .lexically_normal();
    c.audit.maxFileBytes =
        number(conf, "audit.max_file_bytes", 64ul * 1024 * 1024, 4096, 1ul << 40);
    c.audit.sealEvery = number(conf, "audit.seal_every", 1000, 1, 1000000);
    c.audit.sealIntervalSeconds =
        static_cast<std::int64_t>(number(conf, "audit.seal_interval_seconds", 60, 1, 86400));
    c.audit.region = Poco::trim(conf.getString("audit.region", c.regions.front().name));
    if (!seenNames.count(c.audit.region)) {
        throw ConfigError("config key 'audit.region' names a region not listed in 'regions'");
    }
    c.audit.reserveBytes = number(conf, "audit.reserve_bytes", 1024 * 1024, 4096, 1ul << 30);
    const std::string format = Poco::trim(conf.getString("log.format", "text"));
    if (format == "text") {
        c.log.format = LogFormat::Text;
    } else if (format == "json") {
        c.log.format = LogFormat::Json;
    } else {
        throw ConfigError("config key 'log.format' must be text or json");
    }
    const std::string level = Poco::trim(conf.getString("log.level", "info"));
    if (level == "debug") {
        c.log.level = LogLevel::Debug;
    } else if (level == "info") {
        c.log.level = LogLevel::Info;
    } else if (level == "warn") {
        c.log.level = LogLevel::Warn;
    } else if (level == "error") {
        c.log.level = LogLevel::Error;
    } else {
        throw ConfigError("config key 'log.level' must be debug, info, warn or error");
    }
    c.metrics.address = Poco::trim(conf.getString("metrics.address", ""));
    if (!c.metrics.address.empty()) {
        const auto colon = c.metrics.address.rfind(':');
        const std::string port =
            colon == std::string::npos ? std::string() : c.metrics.address.substr(colon + 1);
        const bool digits = !port.empty() && port.size() <= 5 &&
                            port.find_first_not_of("0123456789") == std::string::npos;
        if (colon == 0 || !digits || std::stoul(port) > 65535) {
            throw ConfigError("config key 'metrics.address' must be HOST:PORT");
        }
    }

    for (const auto& k : keys) {
        std::smatch m;
        if (std::regex_match(k, m, kRegionTokenKey) && seenNames.count(m[1].str()) == 0) {
            throw ConfigError("config key '" + k + "' names a region not listed in 'regions'");
        }
    }
    return c;
}

Config Config::load(const std::string& file, const std::vector<std::string>& defines) {
    if (file.empty()) throw ConfigError("no config file given (--config FILE)");
    std::ifstream probe(file);
    if (!probe) throw ConfigError("cannot read config file '" + file + "'");
    Poco::AutoPtr<Poco::Util::LayeredConfiguration> layered(new Poco::Util::LayeredConfiguration);
    try {
        Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> props(
            new Poco::Util::PropertyFileConfiguration(file));
        layered->add(props, 0);
    } catch (const Poco::Exception& e) {
        throw ConfigError("cannot parse config file '" + file + "': " + e.displayText());
    }
    Poco::AutoPtr<Poco::Util::MapConfiguration> overrides(new Poco::Util::MapConfiguration);
    for (const auto& d : defines) {
        const auto eq = d.find('=');
        if (eq == std::string::npos || eq == 0) {
            throw ConfigError("--define expects key=value, got '" + d + "'");
        }
        overrides->setString(Poco::trim(d.substr(0, eq)), Poco::trim(d.substr(eq + 1)));
    }
    layered->add(overrides, -1);  // lower value = consulted first
    return fromConfiguration(*layered);
}

}  // namespace keyport
