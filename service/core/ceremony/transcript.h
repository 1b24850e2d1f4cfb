// Transcript: the hash-chained, token-signed record of every key ceremony step, kept under
// the state dir (STATE/ceremony/transcript.jsonl) for auditors and `keyport ceremony verify`.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "service/core/base/config.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

// One ceremony step. Never secrets, shares, components or PINs: names, labels, check
// values and hashes only.
struct TranscriptEntry {
    std::string step;    // "backup", "restore", "restore-refused", "rollover-start", ...
    std::string region;  // the region the step is about
    std::vector<std::string> custodians;
    // Ordered name/value pairs: object labels, check values, SHA-256 of files written or
    // read, counts, the outcome of a refusal.
    std::vector<std::pair<std::string, std::string>> details;
};

class Transcript {
  public:
    explicit Transcript(std::filesystem::path file);
    // STATE/ceremony/transcript.jsonl
    static std::filesystem::path defaultPath(const Config& config);

    // Appends one record, chained to the previous one and signed on the token by the
    // ceremony signing key of `signerRegion` (`signer`: a user-logged-in session on that
    // region's token; the key is created there first if the token predates it).
    void append(const TranscriptEntry& entry, hsm::Session& signer,
                const std::string& signerRegion);
    // The same, signed by the entry's region's token if `tokens` has it, else by the first
    // region `tokens` has.
    void append(const TranscriptEntry& entry, RegionTokens& tokens);

    const std::filesystem::path& file() const { return file_; }

  private:
    std::filesystem::path file_;
};

}  // namespace keyport
