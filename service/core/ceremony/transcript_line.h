// TranscriptLine: the exact form of one ceremony transcript record (what the writer renders
// and what it signs) and its strict parser (what `keyport ceremony verify` and every append
// read). One record per line, members in this fixed order, no whitespace:
//
//   {"seq":1,"time":"2026-12-02T01:00:00.123Z","step":"backup","region":"cn-north-4",
//    "custodians":["alice","bob"],"details":{"kek-label":"keyport-kek",...},
//    "signer":{"region":"cn-north-4","key":"<SHA-256 hex of the signer's DER SPKI>"},
//    "prev":"<SHA-256 hex of the previous line's bytes, 64 zeros for the first>",
//    "sig":"<base64 of the DER ECDSA P-256 signature>"}
//
// The signature is made on the token (CKM_ECDSA over SHA-256) of kTranscriptDomain followed
// by the line's head: its bytes up to, not including, `,"sig":`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keyport {

// A line that is not a transcript record; what() says what is wrong, never the content.
class TranscriptFormatError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct TranscriptRecord {
    std::uint64_t seq = 0;
    std::string time;  // "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC)
    std::string step;  // [a-z0-9-], 1..64
    std::string region;
    std::vector<std::string> custodians;
    std::vector<std::pair<std::string, std::string>> details;  // names unique, in order
    std::string signerRegion;
    std::string signerKey;  // 64 lowercase hex: SHA-256 of the signing key's DER SPKI
    std::string prev;       // 64 lowercase hex
    std::string sig;        // base64 (standard, padded) of a DER ECDSA-Sig-Value
};

// The limits every record keeps (the writer refuses an entry past them; the parser a line).
inline constexpr std::size_t kMaxTranscriptLineBytes = 16 * 1024;  // without the newline
inline constexpr std::size_t kMaxTranscriptStepBytes = 64;
inline constexpr std::size_t kMaxTranscriptNameBytes = 128;  // region, custodian, detail name
inline constexpr std::size_t kMaxTranscriptValueBytes = 1024;
inline constexpr std::size_t kMaxTranscriptCustodians = 64;
inline constexpr std::size_t kMaxTranscriptDetails = 64;

// What the ceremony key signs: this, then the line's head.
inline constexpr std::string_view kTranscriptDomain = "keyport-ceremony-v1\n";
inline const std::string kTranscriptGenesisPrev(64, '0');

// The head of a record: everything before `,"sig":` (record.sig is not used). Throws
// TranscriptFormatError when a member breaks the rules above (invalid UTF-8, a bad step
// name, a duplicate detail name, too long...).
std::string transcriptHead(const TranscriptRecord& record);
// The whole line (no newline): head + `,"sig":"<sig>"}`.
std::string transcriptLine(std::string_view head, std::string_view sigBase64);
std::string transcriptSignedMessage(std::string_view head);

struct ParsedTranscriptLine {
    TranscriptRecord record;
    std::string_view head;  // into the parsed line: the signed bytes after the domain
};
// Strict: exactly the writer's form (a line that decodes to the same record but is written
// differently — other escapes, whitespace, member order — is refused). Throws
// TranscriptFormatError.
ParsedTranscriptLine parseTranscriptLine(std::string_view line);

// The chain's link: SHA-256 of a line's bytes (no newline), lowercase hex.
std::string transcriptLineHash(std::string_view line);

}  // namespace keyport
