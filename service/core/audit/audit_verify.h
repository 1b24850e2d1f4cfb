// verifyAuditTrail: what `keyport audit verify` checks of a trail, end to end — every line
// a record of the format, seq rising by one, each prev the SHA-256 of the line before, each
// seal's MAC verified on its region's token, and the trail reaching the last seal the
// service recorded in the database — stopping at the first bad record.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "service/core/storage/audit_anchor_store.h"

namespace keyport {

class RegionTokens;

struct AuditVerifyOptions {
    // Start at this file of the trail (a rotated one), trusting its first prev.
    std::optional<std::filesystem::path> from;
    std::optional<AuditAnchor> anchor;  // from the database; none: not checked
};

struct AuditVerifyReport {
    std::vector<std::filesystem::path> files;
    std::uint64_t records = 0;  // lines checked, seals and starts included
    std::uint64_t seals = 0;
    std::uint64_t starts = 0;
    std::uint64_t tornTailsCut = 0;  // starts that say a torn line was cut off
    std::optional<std::uint64_t> firstSeq, lastSeq, lastSealedSeq;
    std::uint64_t unsealedTail = 0;  // records after the last seal (normal while running)
    // The active file's last line without its newline (being written now, or torn by a
    // crash and cut at the next start): not checked.
    std::uint64_t incompleteTailBytes = 0;
    // The anchor's seal was found in the trail and matched; false with an anchor before
    // --from or none at all.
    bool anchorReached = false;

    // The first bad record; `problem` empty: the trail is intact.
    std::string problem;
    std::filesystem::path badFile;
    std::uint64_t badLine = 0;  // 1-based
    std::optional<std::uint64_t> badSeq;
    bool intact() const { return problem.empty(); }
};

// Throws std::runtime_error when a file cannot be read or `from` is not a file of the
// trail; a bad trail is a report, not an exception.
AuditVerifyReport verifyAuditTrail(const std::filesystem::path& active, RegionTokens& tokens,
                                   const AuditVerifyOptions& options = {});

}  // namespace keyport
