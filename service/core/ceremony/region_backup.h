// Region backup and restore: the two ceremonies behind `keyport ceremony backup` (a
// region's static objects wrapped under a fresh backup key split M-of-N into share files)
// and `keyport ceremony restore` (the backup key rebuilt from M shares, checked, and the
// objects unwrapped onto a newly initialised token).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "hsm/module.h"
#include "service/core/base/config.h"

namespace keyport::ceremony {

// A ceremony refused before it changed anything (or, when `partial` says so, what it left).
class CeremonyRefused : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct BackupRequest {
    std::string region;
    unsigned shares = 0;     // N, 2..16
    unsigned threshold = 0;  // M, 2..N
    std::filesystem::path out;
    std::vector<std::string> custodians;  // empty: custodian-1 .. custodian-N
};

struct WrittenShare {
    unsigned index = 0;
    std::string custodian;
    std::filesystem::path file;
    std::string check;  // the share file's check value
};

struct BackupResult {
    std::string backupId;
    std::string backupKeyCheck;  // AES-CMAC(B, 0^128)[0..3), computed on the token
    std::filesystem::path manifest;
    std::vector<WrittenShare> shares;
    std::vector<std::string> objects;      // "label (class)" backed up
    std::vector<std::string> notBackedUp;  // static objects that are not backup-capable
    std::size_t shareFileBytes = 0;
};

BackupResult backupRegion(const Config& config, hsm::Module& module, const BackupRequest& req);

struct RestoreRequest {
    std::string region;
    std::filesystem::path backupDir;
    std::vector<std::filesystem::path> shares;
    bool reinitialize = false;
};

struct RestoreResult {
    std::string backupId;
    std::string tokenLabel;
    bool reinitialized = false;
    std::string checkedOn;               // the region whose token checked B first
    std::vector<std::string> restored;   // labels unwrapped or recreated from the backup
    std::vector<std::string> generated;  // static objects made fresh (not in the backup)
};

RestoreResult restoreRegion(const Config& config, hsm::Module& module, const RestoreRequest& req);

}  // namespace keyport::ceremony
