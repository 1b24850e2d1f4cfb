// ShareFile: one custodian's share of a ceremony backup key as a small strict text file
// (version, backup id, region, token label, threshold, share count, index, custodian, the
// share in hex, and a check value over all of it).
#pragma once

#include <filesystem>
#include <string>

#include "hsm/bytes.h"
#include "service/core/ceremony/shamir.h"

namespace keyport::ceremony {

inline constexpr char kShareHeader[] = "keyport-backup-share 1";
// Shares per backup: Keyport's policy (the field allows 255).
inline constexpr unsigned kMaxCeremonyShares = 16;

struct ShareFile {
    std::string backupId;  // 32 lowercase hex (128 random bits), shared with the manifest
    std::string region;
    std::string tokenLabel;
    unsigned threshold = 0;
    unsigned shares = 0;
    std::string custodian;
    shamir::Share share;  // index and value
    // The first 8 bytes of SHA-256 over every line before the check line, in hex: catches
    // a damaged or edited file (it is not a MAC: whoever edits a share can recompute it;
    // a forged share is caught by the backup key's check value instead).
    std::string check;
};

// The file's text, check value computed (and stored into `file.check`), in SecretBytes
// because it carries the share.
hsm::SecretBytes renderShareFile(ShareFile& file);

// Strict: exactly the lines renderShareFile writes, in order, with valid values and a
// matching check value; CeremonyFileError naming `source` otherwise.
ShareFile parseShareFile(const hsm::SecretBytes& text, const std::string& source);

// Reads and parses a share file (its bytes only ever in SecretBytes).
ShareFile readShareFile(const std::filesystem::path& path);

}  // namespace keyport::ceremony
