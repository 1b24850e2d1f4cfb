// `keyport audit verify`: checks the audit trail's chain, its on-token seals and the
// database anchor, and names the first bad record (exit 1) or prints a summary (exit 0).
#include <cstdio>

#include "service/core/audit/audit_verify.h"
#include "service/core/storage/audit_anchor_store.h"
#include "service/core/storage/database.h"
#include "service/core/tokens/region_tokens.h"
#include "service/core/tokens/static_objects.h"
#include "tools/cli_context.h"
#include "tools/commands.h"

namespace keyport::cli {
namespace {

std::string seqText(const std::optional<std::uint64_t>& seq) {
    return seq ? std::to_string(*seq) : std::string("none");
}

void printSummary(const std::filesystem::path& active, const AuditVerifyReport& r,
                  const std::optional<AuditAnchor>& anchor) {
    std::printf("audit trail %s: intact\n", active.c_str());
    std::printf("  files        %zu (%s .. %s)\n", r.files.size(),
                r.files.front().filename().c_str(), r.files.back().filename().c_str());
    std::printf("  records      %llu (seq %s .. %s), %llu starts",
                static_cast<unsigned long long>(r.records), seqText(r.firstSeq).c_str(),
                seqText(r.lastSeq).c_str(), static_cast<unsigned long long>(r.starts));
    if (r.tornTailsCut > 0) {
        std::printf(" (%llu after a crash cut a torn line)",
                    static_cast<unsigned long long>(r.tornTailsCut));
    }
    std::printf("\n  seals        %llu, last sealed seq %s, unsealed tail %llu records\n",
                static_cast<unsigned long long>(r.seals), seqText(r.lastSealedSeq).c_str(),
                static_cast<unsigned long long>(r.unsealedTail));
    if (r.unsealedTail > 0) {
        std::printf("               (normal while keyportd runs: sealed at the next seal)\n");
    }
    if (!anchor) {
        std::printf("  anchor       none in the database (no seal recorded yet)\n");
    } else if (r.anchorReached) {
        std::printf("  anchor       seal seq %llu recorded in the database: reached, matches\n",
                    static_cast<unsigned long long>(anchor->seq));
    } else {
        std::printf("  anchor       seal seq %llu lies before the first file checked\n",
                    static_cast<unsigned long long>(anchor->seq));
    }
    if (r.incompleteTailBytes > 0) {
        std::printf("  note         the last line (%llu bytes) has no newline yet: not checked\n",
                    static_cast<unsigned long long>(r.incompleteTailBytes));
    }
}

}  // namespace

int auditVerify(const Argv& argv) {
    Args args(argv, {"config", "define", "from"}, {});
    auto ctx = CliContext::open(args);
    const std::filesystem::path active = ctx.config.audit.path;
    // Logged in without the capability probe of a serving keyportd; the seals need only
    // each region's MAC key.
    RegionTokens tokens(ctx.config, *ctx.module);
    for (const auto& rc : ctx.config.regions) {
        Region& region = tokens.region(rc.name);
        const auto found =
            region.token->withOwnerSession([](hsm::Session& s) { return StaticObjects::find(s); });
        if (found.mac) region.mac = *found.mac;
    }
    Database db(ctx.config.database);
    AuditVerifyOptions options;
    if (args.has("from")) options.from = std::filesystem::absolute(args.get("from"));
    options.anchor = db.read([](auto& s) { return audit_anchor_store::find(s); });
    const AuditVerifyReport report = verifyAuditTrail(active, tokens, options);
    if (report.intact()) {
        printSummary(active, report, options.anchor);
        return 0;
    }
    // Names the record by place and seq only: a record's content never reaches the terminal.
    std::printf("audit trail %s: BROKEN at %s line %llu", active.c_str(), report.badFile.c_str(),
                static_cast<unsigned long long>(report.badLine));
    if (report.badSeq) std::printf(" (seq %llu)", static_cast<unsigned long long>(*report.badSeq));
    std::printf(": %s\n", report.problem.c_str());
    std::printf("  checked %llu records in %zu files before it\n",
                static_cast<unsigned long long>(report.records), report.files.size());
    return 1;
}

}  // namespace keyport::cli
