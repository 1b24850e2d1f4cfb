#include "service/core/ceremony/transcript_verify.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "service/core/base/encoding.h"
#include "service/core/ceremony/ceremony_key.h"
#include "service/core/ceremony/transcript_line.h"

namespace keyport {

namespace {

// The whole file, read under a shared lock: appenders hold it exclusively while they write.
std::optional<std::string> readLocked(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        throw std::runtime_error("cannot open " + file.string() + ": " + std::strerror(errno));
    }
    while (::flock(fd, LOCK_SH) != 0 && errno == EINTR) {
    }
    std::string text;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            throw std::runtime_error("cannot read " + file.string() + ": " + std::strerror(err));
        }
        if (n == 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return text;
}

std::string shortKey(const std::string& fingerprint) {
    return fingerprint.substr(0, 16);
}

}  // namespace

TranscriptVerifyReport verifyTranscript(const std::filesystem::path& file,
                                        const std::map<std::string, TranscriptSigner>& keys) {
    TranscriptVerifyReport report;
    const auto text = readLocked(file);
    if (!text) {
        report.problem = "there is no transcript file (no ceremony step has been recorded here)";
        return report;
    }
    std::string prevHash = kTranscriptGenesisPrev;
    std::uint64_t expectSeq = 1;
    std::uint64_t lineNo = 0;
    std::size_t pos = 0;
    while (pos < text->size()) {
        const std::size_t nl = text->find('\n', pos);
        if (nl == std::string::npos) {
            report.incompleteTailBytes = text->size() - pos;
            break;
        }
        const std::string_view line(text->data() + pos, nl - pos);
        pos = nl + 1;
        ++lineNo;
        const auto fail = [&](const std::string& why) {
            report.badLine = lineNo;
            report.problem = why;
            return report;
        };

        report.badSeq.reset();
        report.badStep.clear();
        ParsedTranscriptLine parsed;
        try {
            parsed = parseTranscriptLine(line);
        } catch (const TranscriptFormatError& e) {
            return fail(std::string("not a transcript record (it ") + e.what() + ")");
        }
        const TranscriptRecord& r = parsed.record;
        report.badSeq = r.seq;
        report.badStep = r.step;
        if (r.seq != expectSeq) {
            if (expectSeq == 1) {
                return fail("the transcript begins at seq " + std::to_string(r.seq) +
                            ", not 1: records before it were removed");
            }
            const std::string after = "seq " + std::to_string(r.seq) + " follows seq " +
                                      std::to_string(expectSeq - 1) + ": ";
            return fail(after + (r.seq > expectSeq ? "a record is missing here (removed or moved)"
                                                   : "records were reordered or repeated"));
        }
        if (r.prev != prevHash) {
            return fail(lineNo == 1 ? "the first record's prev is not 64 zeros: records before "
                                      "it were removed"
                                    : "prev is not the SHA-256 of the line before it: that line "
                                      "was changed, or lines were removed or reordered");
        }
        const auto signer = keys.find(r.signerKey);
        if (signer == keys.end()) {
            return fail("signed by ceremony key " + r.signerKey + " (signer region " +
                        r.signerRegion +
                        "), which is neither on a configured region token nor given with "
                        "--public-key");
        }
        if (!signer->second.tokenRegion.empty() && signer->second.tokenRegion != r.signerRegion) {
            return fail("names region " + r.signerRegion + " as its signer, but key " +
                        shortKey(r.signerKey) + "... is the ceremony key of region " +
                        signer->second.tokenRegion + "'s token");
        }
        // parseTranscriptLine checked it is base64 of a DER signature.
        const hsm::Bytes sig = *base64Decode(r.sig);
        if (!verifyCeremonySignature(signer->second.spki, transcriptSignedMessage(parsed.head),
                                     sig)) {
            return fail(
                "bad signature: the record was changed after it was signed (or its "
                "signature is another record's)");
        }

        ++report.records;
        report.lastSeq = r.seq;
        ++report.steps[r.step];
        auto& use = report.signers[r.signerKey];
        use.region = r.signerRegion;
        use.source = signer->second.source;
        ++use.records;
        prevHash = transcriptLineHash(line);
        report.lastLineHash = prevHash;
        ++expectSeq;
    }
    report.badSeq.reset();
    report.badStep.clear();
    return report;
}

}  // namespace keyport
