#include "tests/core/audit_trail_env.h"

#include <stdlib.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "hsm/module.h"
#include "service/core/base/state_dir.h"
#include "service/core/tokens/provisioning.h"

namespace keyport::test {
namespace fs = std::filesystem;
namespace {

fs::path makeTempDir(const char* prefix) {
    std::string tmpl = (fs::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return tmpl;
}

struct Env {
    fs::path dir = makeTempDir("keyport-audit");
    Config config;
    std::unique_ptr<hsm::Module> module;
    std::unique_ptr<RegionTokens> tokens;

    Env() {
        std::ofstream(dir / "keyport.properties")
            << "keyport.state_dir = " << (dir / "var").string() << "\n"
            << "hsm.module = softhsm2\nhsm.softhsm.manage = true\nhsm.transport_key_bits = 2048\n"
            << "regions = " << kAuditRegion << "\n";
        config = Config::load((dir / "keyport.properties").string());
        prepareStateDir(config);
        module = std::make_unique<hsm::Module>(config.module);
        provisionTokens(config, *module);
        tokens = std::make_unique<RegionTokens>(config, *module, true);
    }
    ~Env() {
        tokens.reset();
        module.reset();
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

Env& env() {
    static Env e;
    return e;
}

}  // namespace

const Config& auditConfigBase() {
    return env().config;
}
RegionTokens& auditTokens() {
    return *env().tokens;
}
fs::path auditConfigFile() {
    return env().dir / "keyport.properties";
}

TrailDir::TrailDir() : dir_(makeTempDir("keyport-trail")) {}

TrailDir::~TrailDir() {
    db_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

AuditConfig TrailDir::config() const {
    AuditConfig c = auditConfigBase().audit;
    c.path = active();
    c.region = kAuditRegion;
    return c;
}

Database& TrailDir::db() {
    if (!db_) db_ = std::make_unique<Database>(database());
    return *db_;
}

std::vector<std::string> TrailDir::defines() const {
    return {"--define", "audit.path=" + active().string(), "--define",
            "database.path=" + database().string()};
}

AuditRecord sampleRecord(int i) {
    AuditRecord r;
    r.timeMs = 1796155200123 + i;
    r.requestId = "req-" + std::to_string(i);
    r.dialect = "huawei-kms";
    r.method = "POST";
    r.route = "/v1.0/{project_id}/kms/encrypt-data";
    r.peer = "127.0.0.1";
    r.domainId = "demo-domain";
    r.projectId = "0a1b2c3d4e5f40718293a4b5c6d7e8f9";
    r.accessKey = "KEYPORTDEMOACCESSKEY";
    r.role = "admin";
    r.objects = {{"key_id", "0d0466b0-e727-4d9c-b35d-f84bb474a37f"}};
    r.status = 200;
    r.latencyMs = 1.234;
    return r;
}

std::vector<std::string> readLines(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
}

std::string readFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void writeFile(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace keyport::test
