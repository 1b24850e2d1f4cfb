#include "service/core/ceremony/transcript_line.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <set>

#include "service/core/audit/audit_record_json.h"
#include "service/core/base/encoding.h"

namespace keyport {
namespace {

[[noreturn]] void bad(const std::string& why) {
    throw TranscriptFormatError(why);
}

bool validUtf8(std::string_view s) {
    while (!s.empty()) {
        const std::size_t n = audit_json::utf8SequenceLength(s);
        if (n == 0) return false;
        s.remove_prefix(n);
    }
    return true;
}

bool isHex64(std::string_view s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

bool isTime(std::string_view s) {
    constexpr std::string_view pattern = "dddd-dd-ddTdd:dd:dd.dddZ";
    if (s.size() != pattern.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = s[i];
        if (pattern[i] == 'd' ? (c < '0' || c > '9') : c != pattern[i]) return false;
    }
    return true;
}

bool isStepName(std::string_view s) {
    return !s.empty() && s.size() <= kMaxTranscriptStepBytes &&
           std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
           });
}

bool isDetailName(std::string_view s) {
    return !s.empty() && s.size() <= kMaxTranscriptNameBytes &&
           std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.';
           });
}

void checkText(std::string_view s, std::size_t max, bool mayBeEmpty, const char* what) {
    if (s.empty() && !mayBeEmpty) bad(std::string("has an empty ") + what);
    if (s.size() > max) bad(std::string("has a ") + what + " longer than a record takes");
    if (!validUtf8(s)) bad(std::string("has a ") + what + " that is not valid UTF-8");
}

// Strings are escaped by the audit trail's writer: valid UTF-8 passes through, '"', '\'
// and control characters are escaped, so the form is a function of the text alone and
// the parser can demand it byte for byte.
void appendString(std::string& out, std::string_view s) {
    audit_json::appendString(out, s, kMaxTranscriptLineBytes);
}

// A cursor over one line, for the fixed member sequence of a record.
class Reader {
  public:
    explicit Reader(std::string_view s) : s_(s) {}

    std::size_t pos() const { return pos_; }
    bool atEnd() const { return pos_ == s_.size(); }
    bool peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }

    void literal(std::string_view lit, const char* what) {
        if (s_.substr(pos_, lit.size()) != lit) bad(what);
        pos_ += lit.size();
    }

    std::uint64_t count(const char* what) {
        const std::size_t start = pos_;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        const std::string_view digits = s_.substr(start, pos_ - start);
        if (digits.empty() || digits.size() > 19 || (digits.size() > 1 && digits[0] == '0')) {
            bad(std::string("has an invalid ") + what);
        }
        std::uint64_t n = 0;
        for (char c : digits) n = n * 10 + static_cast<std::uint64_t>(c - '0');
        return n;
    }

    std::string string(const char* what) {
        if (!peek('"')) bad(std::string("has a ") + what + " that is not a string");
        ++pos_;
        std::string out;
        for (;;) {
            if (pos_ >= s_.size()) bad("has a string that does not close");
            const auto c = static_cast<unsigned char>(s_[pos_]);
            if (c == '"') {
                ++pos_;
                return out;
            }
            if (c < 0x20) bad("has a raw control byte in a string");
            if (c == '\\') {
                escape(out);
                continue;
            }
            const std::size_t n = audit_json::utf8SequenceLength(s_.substr(pos_));
            if (n == 0) bad("is not valid UTF-8");
            out.append(s_.substr(pos_, n));
            pos_ += n;
        }
    }

  private:
    static int hexDigit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    unsigned hex4() {
        if (s_.size() - pos_ < 4) bad("has a short \\u escape");
        unsigned u = 0;
        for (int i = 0; i < 4; ++i) {
            const int d = hexDigit(s_[pos_++]);
            if (d < 0) bad("has a bad \\u escape");
            u = u * 16 + static_cast<unsigned>(d);
        }
        return u;
    }

    // Only what the writer emits: \" \\ \n \r \t \b \f and \u00XX for other control bytes.
    // Anything else would decode to a string the writer spells differently.
    void escape(std::string& out) {
        if (++pos_ >= s_.size()) bad("has a string that does not close");
        const char e = s_[pos_++];
        switch (e) {
            case '"':
                out += '"';
                return;
            case '\\':
                out += '\\';
                return;
            case 'n':
                out += '\n';
                return;
            case 'r':
                out += '\r';
                return;
            case 't':
                out += '\t';
                return;
            case 'b':
                out += '\b';
                return;
            case 'f':
                out += '\f';
                return;
            case 'u': {
                const unsigned cp = hex4();
                if (cp >= 0x80) bad("has a \\u escape the writer does not use");
                out += static_cast<char>(cp);
                return;
            }
            default:
                bad("has a bad escape in a string");
        }
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

}  // namespace

std::string transcriptHead(const TranscriptRecord& r) {
    if (r.seq == 0) bad("has seq 0 (records count from 1)");
    if (!isTime(r.time)) bad("has an invalid \"time\"");
    if (!isStepName(r.step)) bad("has an invalid \"step\" (lowercase letters, digits, '-')");
    checkText(r.region, kMaxTranscriptNameBytes, /*mayBeEmpty=*/true, "region");
    if (r.custodians.size() > kMaxTranscriptCustodians) bad("has too many custodians");
    for (const auto& c : r.custodians) {
        checkText(c, kMaxTranscriptNameBytes, /*mayBeEmpty=*/false, "custodian name");
    }
    if (r.details.size() > kMaxTranscriptDetails) bad("has too many details");
    std::set<std::string_view> names;
    for (const auto& [name, value] : r.details) {
        if (!isDetailName(name)) bad("has an invalid detail name (letters, digits, '-', '_', '.')");
        if (!names.insert(name).second) bad("has a detail name twice");
        checkText(value, kMaxTranscriptValueBytes, /*mayBeEmpty=*/true, "detail value");
    }
    checkText(r.signerRegion, kMaxTranscriptNameBytes, /*mayBeEmpty=*/false, "signer region");
    if (!isHex64(r.signerKey)) bad("has an invalid signer \"key\"");
    if (!isHex64(r.prev)) bad("has an invalid \"prev\"");

    std::string out = "{\"seq\":" + std::to_string(r.seq) + ",\"time\":\"" + r.time + "\"";
    out += ",\"step\":\"" + r.step + "\",\"region\":";
    appendString(out, r.region);
    out += ",\"custodians\":[";
    for (std::size_t i = 0; i < r.custodians.size(); ++i) {
        if (i > 0) out += ',';
        appendString(out, r.custodians[i]);
    }
    out += "],\"details\":{";
    for (std::size_t i = 0; i < r.details.size(); ++i) {
        if (i > 0) out += ',';
        appendString(out, r.details[i].first);
        out += ':';
        appendString(out, r.details[i].second);
    }
    out += "},\"signer\":{\"region\":";
    appendString(out, r.signerRegion);
    out += ",\"key\":\"" + r.signerKey + "\"},\"prev\":\"" + r.prev + "\"";
    return out;
}

std::string transcriptLine(std::string_view head, std::string_view sigBase64) {
    std::string line(head);
    line.append(",\"sig\":\"").append(sigBase64).append("\"}");
    return line;
}

std::string transcriptSignedMessage(std::string_view head) {
    std::string m(kTranscriptDomain);
    m.append(head);
    return m;
}

ParsedTranscriptLine parseTranscriptLine(std::string_view line) {
    if (line.empty()) bad("is empty");
    if (line.size() > kMaxTranscriptLineBytes) bad("is longer than a record may be");
    ParsedTranscriptLine out;
    TranscriptRecord& r = out.record;
    Reader in(line);
    in.literal("{\"seq\":", "does not begin with {\"seq\":");
    r.seq = in.count("\"seq\"");
    in.literal(",\"time\":", "lacks \"time\" after \"seq\"");
    r.time = in.string("\"time\"");
    in.literal(",\"step\":", "lacks \"step\" after \"time\"");
    r.step = in.string("\"step\"");
    in.literal(",\"region\":", "lacks \"region\" after \"step\"");
    r.region = in.string("\"region\"");
    in.literal(",\"custodians\":[", "lacks the \"custodians\" array after \"region\"");
    if (!in.peek(']')) {
        for (;;) {
            r.custodians.push_back(in.string("custodian"));
            if (r.custodians.size() > kMaxTranscriptCustodians) bad("has too many custodians");
            if (!in.peek(',')) break;
            in.literal(",", "");
        }
    }
    in.literal("]", "has a \"custodians\" array that does not close");
    in.literal(",\"details\":{", "lacks the \"details\" object after \"custodians\"");
    if (!in.peek('}')) {
        for (;;) {
            std::string name = in.string("detail name");
            in.literal(":", "lacks a ':' after a detail name");
            std::string value = in.string("detail value");
            r.details.emplace_back(std::move(name), std::move(value));
            if (r.details.size() > kMaxTranscriptDetails) bad("has too many details");
            if (!in.peek(',')) break;
            in.literal(",", "");
        }
    }
    in.literal("}", "has a \"details\" object that does not close");
    in.literal(",\"signer\":{\"region\":", "lacks the \"signer\" object after \"details\"");
    r.signerRegion = in.string("signer region");
    in.literal(",\"key\":", "lacks the signer's \"key\"");
    r.signerKey = in.string("signer key");
    in.literal("}", "has a \"signer\" object with members it does not have");
    in.literal(",\"prev\":", "lacks \"prev\" after \"signer\"");
    r.prev = in.string("\"prev\"");
    const std::size_t headEnd = in.pos();
    in.literal(",\"sig\":", "lacks \"sig\" after \"prev\"");
    r.sig = in.string("\"sig\"");
    in.literal("}", "has members after \"sig\"");
    if (!in.atEnd()) bad("has bytes after the record's closing brace");

    out.head = line.substr(0, headEnd);
    // Every rule of the writer, and its exact spelling: a record that says the same in
    // other bytes is not one the writer made.
    if (transcriptHead(r) != out.head || transcriptLine(out.head, r.sig) != line) {
        bad("is not in the writer's exact form");
    }
    const auto sig = base64Decode(r.sig);
    // A DER ECDSA-Sig-Value on P-256: a SEQUENCE of two INTEGERs, 8..72 bytes.
    if (!sig || sig->size() < 8 || sig->size() > 72 || (*sig)[0] != 0x30) {
        bad("has an invalid \"sig\" (not base64 of a DER ECDSA signature)");
    }
    return out;
}

std::string transcriptLineHash(std::string_view line) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (sha256 == nullptr ||
        EVP_Digest(line.data(), line.size(), md.data(), &len, sha256, nullptr) != 1) {
        throw std::runtime_error("EVP_Digest(SHA-256) failed");
    }
    return hexEncode(hsm::ByteView(md.data(), len));
}

}  // namespace keyport
