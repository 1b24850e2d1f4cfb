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

// TLS on the listener (server.tls.*): empty certFile means plain HTTP.
struct TlsConfig {
    std::filesystem::path certFile;      // PEM chain, leaf first
    std::filesystem::path keyFile;       // PEM private key (mode 0600)
    std::filesystem::path clientCaFile;  // set: mutual TLS, a client certificate is required
    bool enabled() const { return !certFile.empty(); }
};

struct ServerConfig {
    std::string address = "127.0.0.1";
    unsigned port = 8080;   // 0: an ephemeral port (tests)
    unsigned threads = 64;  // workers: they run complete requests only, never wait on a peer
    std::size_t bodyLimit = 64 * 1024;
    // Front-door limits. A connection that passes one is closed (or answered 4xx/503);
    // none of them is ever held by a worker thread.
    std::int64_t headerTimeoutMs = 10000;      // first byte of a request to its blank line
    std::size_t bodyMinBytesPerSecond = 1024;  // after the head; the header timeout is grace
    std::int64_t keepAliveTimeoutMs = 10000;   // idle between requests
    std::int64_t writeTimeoutMs = 10000;       // a response must drain in this long
    std::size_t maxHeaderBytes = 16 * 1024;    // request line + header section → 431 past it
    std::size_t maxHeaders = 100;              // header lines → 431 past it
    std::size_t maxConnections = 4096;         // in total; past it new ones are closed
    std::size_t maxConnectionsPerPeer = 256;   // per peer IP address
    std::size_t maxQueued = 1024;  // complete requests waiting for a worker; past it 503
    // Plain HTTP on a non-loopback address only when this is set (a TLS proxy in front).
    bool plainHttpOnAnyAddress = false;
    TlsConfig tls;
};

// The audit trail (audit.*): hash-chained JSON lines, sealed on the token.
struct AuditConfig {
    bool enabled = true;
    std::filesystem::path path;                   // default stateDir/audit/audit.log
    std::size_t maxFileBytes = 64 * 1024 * 1024;  // rotate past this
    std::size_t sealEvery = 1000;                 // records between on-token seals
    std::int64_t sealIntervalSeconds = 60;        // and at least this often when written to
    std::string region;                           // whose MAC key seals; default the first
    std::size_t reserveBytes = 1024 * 1024;       // kept allocated ahead of the write point
};

// Logs (log.*): one line per request on stderr.
enum class LogFormat { Text, Json };
enum class LogLevel { Debug, Info, Warn, Error };
struct LogConfig {
    LogFormat format = LogFormat::Text;
    LogLevel level = LogLevel::Info;
};

// GET /metrics (metrics.*): on the main listener, or only on `address` when set.
struct MetricsConfig {
    std::string address;  // "HOST:PORT", empty: served by the main listener
    std::string host() const;
    unsigned port() const;
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
    // A KEK rollover re-seals this many blobs per transaction (ceremony.rollover_batch) and
    // pauses between batches (ceremony.rollover_batch_pause_ms: tests, or to spare a busy
    // token).
    std::size_t rolloverBatch = 256;
    std::int64_t rolloverBatchPauseMs = 0;
    // How far past now an EXO2 signature's `expires` may lie
    // (exoscale.signature_max_lifetime_seconds): the vendor's clients sign 10 minutes ahead.
    std::int64_t exoscaleSignatureMaxLifetimeSeconds = 900;
    std::optional<DemoCredential> demo;
    AuditConfig audit;
    LogConfig log;
    MetricsConfig metrics;

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
