// verifyTranscript: what `keyport ceremony verify` checks — every line parsed strictly, seq
// counting up from 1, each prev the SHA-256 of the line before it, and each signature
// checked with OpenSSL against the public key its record names — stopping at the first
// record that fails and saying why, by line and seq only (never the record's content).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "hsm/bytes.h"

namespace keyport {

// A ceremony public key the verifier trusts, by its fingerprint (SHA-256 of `spki`).
struct TranscriptSigner {
    hsm::Bytes spki;
    std::string source;  // "token keyport-cn-north-4", "file region.pem": for the summary
    // The region whose token holds it; empty for a key given as a file (then any record's
    // signer region is taken as it says).
    std::string tokenRegion;
};

struct TranscriptVerifyReport {
    std::uint64_t records = 0;  // good records before the first bad one (or all)
    std::optional<std::uint64_t> lastSeq;
    std::string lastLineHash;                    // of the last good line: note it to detect a cut
    std::map<std::string, std::uint64_t> steps;  // step -> records
    struct SignerUse {
        std::string region;  // as the records say
        std::string source;
        std::uint64_t records = 0;
    };
    std::map<std::string, SignerUse> signers;  // by fingerprint
    // A last line without its newline: a torn append (cut at the next append), not checked.
    std::uint64_t incompleteTailBytes = 0;

    // The first bad record: its 1-based line, its seq when the line parsed, and why.
    std::uint64_t badLine = 0;
    std::optional<std::uint64_t> badSeq;
    std::string badStep;
    std::string problem;
    bool intact() const { return problem.empty(); }
};

// Reads `file` under a shared flock (an append in progress finishes first). A missing file
// is reported as a problem at line 0; an empty one is intact with no records.
TranscriptVerifyReport verifyTranscript(const std::filesystem::path& file,
                                        const std::map<std::string, TranscriptSigner>& keys);

}  // namespace keyport
