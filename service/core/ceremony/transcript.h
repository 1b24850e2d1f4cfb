// Transcript: the hash-chained, token-signed record of every key ceremony step, kept under
// the state dir (STATE/ceremony/transcript.jsonl) for auditors and `keyport ceremony verify`.
//
// Its own file, not the audit trail: ceremonies run in the CLI process (often with keyportd
// stopped, or on another machine), while keyportd holds the audit trail open and alone (an
// exclusive flock on its directory); and a ceremony record is signed by the region's
// ceremony key (an auditor checks it with the public key alone), not sealed by a MAC.
// The record format and what is signed: transcript_line.h.
//
// Appending: the file is opened O_APPEND and held under an exclusive flock while one append
// runs (several CLI processes may append at once); under the lock the last line is read and
// parsed (the chain goes on from it: seq + 1, prev = its SHA-256), a torn last line left by
// a crash is cut off and a "transcript-torn-tail-cut" record says how many bytes went, each
// record is one write() and is fsync'ed before the lock is released. A token without a
// ceremony key gets one at its first append, and a "ceremony-key-created" record, signed by
// the new key, introduces it before the entry's record.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "service/core/base/config.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

// One ceremony step. Never secrets, shares, components or PINs: names, labels, check
// values and hashes only — the transcript is public: anyone who may read the state dir may
// read it. As a backstop, append() refuses a detail whose name ends in a word that names a
// secret ("pin", "password", "passphrase", "secret", "plaintext": e.g. "user-pin";
// "pin-file" is fine). Limits (transcript_line.h): step [a-z0-9-] up to 64 bytes, detail
// names [A-Za-z0-9._-] and unique, names up to 128 bytes, values up to 1 KiB, valid UTF-8,
// at most 64 custodians and 64 details.
struct TranscriptEntry {
    std::string step;    // "backup", "restore", "restore-refused", "rollover-start", ...
    std::string region;  // the region the step is about
    std::vector<std::string> custodians;
    // Ordered name/value pairs: object labels, check values, SHA-256 of files written or
    // read, counts, the outcome of a refusal.
    std::vector<std::pair<std::string, std::string>> details;
    // Adds each value as "<name>-1", "<name>-2", ... in order (detail names are unique).
    void addNumbered(const std::string& name, const std::vector<std::string>& values);
};

class Transcript {
  public:
    explicit Transcript(std::filesystem::path file);
    // STATE/ceremony/transcript.jsonl
    static std::filesystem::path defaultPath(const Config& config);

    // Appends one record, chained to the previous one and signed on the token by the
    // ceremony signing key of `signerRegion` (`signer`: a user-logged-in, read-write session
    // on that region's token; the key is created there first if the token predates it).
    // Throws std::invalid_argument for an entry that breaks the rules above (nothing is
    // written), std::runtime_error when the file cannot be written or its last line is not
    // a record (run `keyport ceremony verify`), hsm::Error when the token cannot sign.
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
