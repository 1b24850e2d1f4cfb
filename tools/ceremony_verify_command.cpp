// `keyport ceremony verify` (the transcript's chain and signatures, checked with OpenSSL
// against public keys only: no PIN, no login) and `keyport ceremony public-key` (a region's
// ceremony signing key as PEM, for auditors who verify off the machine).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "service/core/ceremony/ceremony_key.h"
#include "service/core/ceremony/transcript.h"
#include "service/core/ceremony/transcript_verify.h"
#include "service/core/keys/public_crypto.h"
#include "tools/cli_context.h"
#include "tools/commands.h"

namespace keyport::cli {
namespace {

namespace fs = std::filesystem;

bool tokenPresent(const hsm::Module& module, const std::string& label) {
    for (const auto& t : module.tokens()) {
        if (t.initialized && t.label == label) return true;
    }
    return false;
}

std::string readText(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void printSummary(const fs::path& file, const TranscriptVerifyReport& r) {
    std::printf("ceremony transcript %s: intact\n", file.c_str());
    if (r.lastSeq) {
        std::printf("  records      %llu (seq 1 .. %llu)\n",
                    static_cast<unsigned long long>(r.records),
                    static_cast<unsigned long long>(*r.lastSeq));
    } else {
        std::printf("  records      0\n");
    }
    std::string steps;
    for (const auto& [step, n] : r.steps) {
        steps += (steps.empty() ? "" : ", ") + step + " " + std::to_string(n);
    }
    if (!steps.empty()) std::printf("  steps        %s\n", steps.c_str());
    for (const auto& [key, use] : r.signers) {
        std::printf("  signer       %s region %s: %llu records (%s)\n", key.c_str(),
                    use.region.c_str(), static_cast<unsigned long long>(use.records),
                    use.source.c_str());
    }
    if (r.lastSeq) {
        // The chain cannot show records cut from its end: the seq and hash noted after the
        // last ceremony can.
        std::printf("  last record  seq %llu, line SHA-256 %s\n",
                    static_cast<unsigned long long>(*r.lastSeq), r.lastLineHash.c_str());
    }
    if (r.incompleteTailBytes > 0) {
        std::printf(
            "  note         the last line (%llu bytes) has no newline: an append that "
            "stopped part-way, not checked (the next append cuts it)\n",
            static_cast<unsigned long long>(r.incompleteTailBytes));
    }
}

}  // namespace

int ceremonyVerify(const Argv& argv) {
    Args args(argv, {"config", "define", "transcript", "public-key"}, {});
    // Public keys only: each configured token's ceremony key, read without logging in,
    // then the files given (an exported key of a token that is gone or was re-initialised).
    // Without --config nothing is loaded but the files: an auditor's machine needs neither
    // tokens nor a PKCS#11 module.
    std::map<std::string, TranscriptSigner> keys;
    fs::path file;
    if (args.has("config")) {
        auto ctx = CliContext::open(args);
        file = args.has("transcript") ? fs::absolute(args.get("transcript"))
                                      : Transcript::defaultPath(ctx.config);
        for (const auto& rc : ctx.config.regions) {
            std::optional<hsm::Bytes> spki;
            try {
                spki = ceremonyPublicSpki(*ctx.module, rc.tokenLabel);
            } catch (const std::exception& e) {
                // An unreadable token must not stop an auditor who brought the key as a file.
                std::fprintf(stderr,
                             "note: region %s: token %s could not be read (%s); its key is "
                             "not used\n",
                             rc.name.c_str(), rc.tokenLabel.c_str(), e.what());
            }
            if (!spki) continue;
            keys.emplace(spkiFingerprint(*spki),
                         TranscriptSigner{*spki, "key on token " + rc.tokenLabel, rc.name});
        }
    } else {
        if (!args.has("transcript") || !args.has("public-key")) {
            throw UsageError("ceremony verify needs --config, or --transcript and --public-key");
        }
        file = fs::absolute(args.get("transcript"));
    }
    for (const auto& f : args.all("public-key")) {
        hsm::Bytes spki;
        try {
            spki = ceremonySpkiFromPem(readText(f));
        } catch (const std::invalid_argument& e) {
            throw UsageError("--public-key " + f + ": " + e.what());
        }
        keys.emplace(spkiFingerprint(spki), TranscriptSigner{spki, "key from " + f, ""});
    }
    const TranscriptVerifyReport report = verifyTranscript(file, keys);
    if (report.intact()) {
        printSummary(file, report);
        return 0;
    }
    if (report.badLine == 0) {
        std::printf("ceremony transcript %s: %s\n", file.c_str(), report.problem.c_str());
        return 1;
    }
    // By place, seq and step only: a record's content never reaches the terminal.
    std::printf("ceremony transcript %s: BROKEN at line %llu", file.c_str(),
                static_cast<unsigned long long>(report.badLine));
    if (report.badSeq) {
        std::printf(" (seq %llu, step %s)", static_cast<unsigned long long>(*report.badSeq),
                    report.badStep.c_str());
    }
    std::printf(": %s\n", report.problem.c_str());
    std::printf("  checked %llu records before it\n",
                static_cast<unsigned long long>(report.records));
    return 1;
}

int ceremonyPublicKey(const Argv& argv) {
    Args args(argv, {"config", "define", "region", "out"}, {});
    auto ctx = CliContext::open(args);
    const std::string region = args.required("region");
    const RegionConfig* rc = nullptr;
    for (const auto& r : ctx.config.regions) {
        if (r.name == region) rc = &r;
    }
    if (rc == nullptr) throw UsageError("unknown region '" + region + "'");
    if (!tokenPresent(*ctx.module, rc->tokenLabel)) {
        throw std::runtime_error("region '" + region + "': no token labelled '" + rc->tokenLabel +
                                 "' (run `keyport token init` to provision it)");
    }
    const auto spki = ceremonyPublicSpki(*ctx.module, rc->tokenLabel);
    if (!spki) {
        throw std::runtime_error("region '" + region + "': token '" + rc->tokenLabel +
                                 "' has no ceremony signing key yet (it gets one at its first "
                                 "ceremony step)");
    }
    const std::string pem = spkiToPem(*spki);
    const std::string fingerprint = spkiFingerprint(*spki);
    if (args.has("out")) {
        const std::string out = args.get("out");
        std::ofstream f(out, std::ios::binary | std::ios::trunc);
        f << pem;
        f.close();
        if (!f) throw std::runtime_error("cannot write " + out);
        std::printf("wrote %s: ceremony key of region %s (token %s)\n", out.c_str(), region.c_str(),
                    rc->tokenLabel.c_str());
        std::printf("SHA-256 %s\n", fingerprint.c_str());
        return 0;
    }
    // The PEM alone on stdout (`> region.pem`), the fingerprint beside it on stderr.
    std::fputs(pem.c_str(), stdout);
    std::fprintf(stderr, "SHA-256 %s (ceremony key of region %s, token %s)\n", fingerprint.c_str(),
                 region.c_str(), rc->tokenLabel.c_str());
    return 0;
}

}  // namespace keyport::cli
