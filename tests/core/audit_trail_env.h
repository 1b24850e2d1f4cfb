// AuditTrailEnv: a provisioned state dir for audit trail tests — one SoftHSM region token
// (real `provisionTokens`), logged in once per test binary — and a fresh trail directory
// with its own database (the anchor table) per test.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "service/core/audit/audit_log.h"
#include "service/core/base/config.h"
#include "service/core/storage/database.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport::test {

inline constexpr char kAuditRegion[] = "cn-north-4";

// The process-wide state dir, config, module and region tokens (made on first use).
const Config& auditConfigBase();
RegionTokens& auditTokens();
// The config file of that state dir (for the real `keyport` CLI).
std::filesystem::path auditConfigFile();

// One test's trail: `dir`/audit/audit.log and `dir`/keyport.db, removed afterwards.
class TrailDir {
  public:
    TrailDir();
    ~TrailDir();
    TrailDir(const TrailDir&) = delete;
    TrailDir& operator=(const TrailDir&) = delete;

    const std::filesystem::path& dir() const { return dir_; }
    std::filesystem::path active() const { return dir_ / "audit" / "audit.log"; }
    std::filesystem::path database() const { return dir_ / "keyport.db"; }
    AuditConfig config() const;  // audit.* defaults with this path
    Database& db();
    // The --define lines that point the CLI at this trail and database.
    std::vector<std::string> defines() const;

  private:
    std::filesystem::path dir_;
    std::unique_ptr<Database> db_;
};

AuditRecord sampleRecord(int i);
std::vector<std::string> readLines(const std::filesystem::path& file);
std::string readFile(const std::filesystem::path& file);
void writeFile(const std::filesystem::path& file, const std::string& text);

}  // namespace keyport::test
