#include "service/core/audit/audit_verify.h"

#include <fstream>
#include <stdexcept>

#include "service/core/audit/audit_line.h"
#include "service/core/audit/audit_seal.h"
#include "service/core/audit/audit_trail_files.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

namespace fs = std::filesystem;

namespace {

// Walks the lines in chain order and records the first problem.
class TrailWalk {
  public:
    TrailWalk(AuditVerifyReport& report, RegionTokens& tokens, const AuditVerifyOptions& options)
        : report_(report), tokens_(tokens), options_(options) {}

    // False once a problem is recorded.
    bool line(const fs::path& file, std::uint64_t lineNo, const std::string& text) {
        AuditLine rec;
        try {
            rec = parseAuditLine(text);
        } catch (const AuditFormatError& e) {
            return fail(file, lineNo, std::nullopt,
                        std::string("is not an audit record: it ") + e.what());
        }
        if (!report_.firstSeq) {
            report_.firstSeq = rec.seq;
            if (!options_.from && rec.prev != kAuditGenesisPrev) {
                return fail(file, lineNo, rec.seq,
                            "the trail does not begin with the first record ever (its prev is "
                            "not zero): earlier files are missing, or pass --from to start at "
                            "this file");
            }
        } else {
            if (rec.seq != lastSeq_ + 1) {
                return fail(file, lineNo, rec.seq,
                            "seq " + std::to_string(rec.seq) + " follows seq " +
                                std::to_string(lastSeq_) + ": records are missing or out of order");
            }
            if (rec.prev != lastHash_) {
                return fail(file, lineNo, rec.seq,
                            "its prev is not the SHA-256 of the line before (" + lastWhere_ +
                                "): that record was altered, or this one was");
            }
        }
        const std::string hash = auditLineHash(text);
        if (rec.type == "seal") {
            if (!tokens_.has(rec.region)) {
                return fail(file, lineNo, rec.seq,
                            "the seal names a region that is not configured");
            }
            if (!verifyAuditSeal(tokens_.region(rec.region), rec.seq, rec.prev, rec.mac)) {
                return fail(file, lineNo, rec.seq,
                            "the seal's MAC does not verify on the token of region " + rec.region);
            }
            ++report_.seals;
            report_.lastSealedSeq = rec.seq;
            report_.unsealedTail = 0;
        } else {
            ++report_.unsealedTail;
            if (rec.type == "start") {
                ++report_.starts;
                if (rec.tornTailBytes > 0) ++report_.tornTailsCut;
            }
        }
        if (options_.anchor && rec.seq == options_.anchor->seq) {
            if (rec.type != "seal" || hash != options_.anchor->lineHash) {
                return fail(file, lineNo, rec.seq,
                            "it is not the seal the service recorded in the database as its "
                            "latest: the trail was cut back and rewritten");
            }
            report_.anchorReached = true;
        }
        ++report_.records;
        report_.lastSeq = rec.seq;
        lastSeq_ = rec.seq;
        lastHash_ = hash;
        lastWhere_ = file.filename().string() + " line " + std::to_string(lineNo) + ", seq " +
                     std::to_string(rec.seq);
        lastFile_ = file;
        lastLine_ = lineNo;
        return true;
    }

    bool fail(const fs::path& file, std::uint64_t lineNo, std::optional<std::uint64_t> seq,
              std::string problem) {
        report_.badFile = file;
        report_.badLine = lineNo;
        report_.badSeq = seq;
        report_.problem = std::move(problem);
        return false;
    }

    // After the last line: the trail must reach the anchor.
    void end() {
        if (!report_.intact() || !options_.anchor) return;
        const AuditAnchor& anchor = *options_.anchor;
        if (report_.lastSeq && *report_.lastSeq >= anchor.seq) return;
        if (report_.firstSeq && *report_.firstSeq > anchor.seq) return;  // before --from
        fail(lastFile_, lastLine_, report_.lastSeq,
             "the trail ends at seq " +
                 (report_.lastSeq ? std::to_string(*report_.lastSeq) : std::string("(none)")) +
                 ", before the last seal the service recorded in the database (seq " +
                 std::to_string(anchor.seq) + "): records were removed from its end");
    }

  private:
    AuditVerifyReport& report_;
    RegionTokens& tokens_;
    const AuditVerifyOptions& options_;
    std::uint64_t lastSeq_ = 0;
    std::string lastHash_;
    std::string lastWhere_;
    fs::path lastFile_;
    std::uint64_t lastLine_ = 0;
};

std::vector<fs::path> filesFrom(const fs::path& active, const std::optional<fs::path>& from) {
    std::vector<fs::path> files = trailFiles(active);
    if (files.empty()) throw std::runtime_error("no audit trail at " + active.string());
    if (!from) return files;
    std::error_code ec;
    for (auto it = files.begin(); it != files.end(); ++it) {
        if (fs::equivalent(*it, *from, ec)) return std::vector<fs::path>(it, files.end());
    }
    throw std::runtime_error(from->string() + " is not a file of the audit trail at " +
                             active.string());
}

}  // namespace

AuditVerifyReport verifyAuditTrail(const fs::path& active, RegionTokens& tokens,
                                   const AuditVerifyOptions& options) {
    AuditVerifyReport report;
    report.files = filesFrom(active, options.from);
    TrailWalk walk(report, tokens, options);
    for (std::size_t f = 0; f < report.files.size(); ++f) {
        const fs::path& file = report.files[f];
        std::ifstream in(file, std::ios::binary);
        if (!in) throw std::runtime_error("cannot open " + file.string());
        std::string text;
        std::uint64_t lineNo = 0;
        while (std::getline(in, text)) {
            ++lineNo;
            if (in.eof()) {
                // No newline after it: a line being written (or torn) at the end of the
                // active file; anywhere else it is a bad record.
                if (f + 1 == report.files.size()) {
                    report.incompleteTailBytes = text.size();
                    break;
                }
                walk.fail(file, lineNo, std::nullopt, "is an incomplete line (no newline)");
                return report;
            }
            if (!walk.line(file, lineNo, text)) return report;
        }
        if (in.bad()) throw std::runtime_error("cannot read " + file.string());
    }
    walk.end();
    return report;
}

}  // namespace keyport
