// The ceremony transcript's strict line parser as a vector table: the writer's lines parse
// back to the same record (escapes included); every malformed or merely re-spelled line is
// refused with TranscriptFormatError, and so is every prefix of a good line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "service/core/base/encoding.h"
#include "service/core/ceremony/transcript_line.h"

namespace keyport {
namespace {

const std::string kKey(64, 'a');
const std::string kPrev = "0f" + std::string(62, '1');

// A syntactically valid DER ECDSA-Sig-Value (SEQUENCE of two INTEGERs): the parser checks
// form only; signatures are the verifier's business.
std::string fakeSig() {
    hsm::Bytes der = {0x30, 0x44, 0x02, 0x20};
    der.resize(4 + 32, 0x11);
    der.push_back(0x02);
    der.push_back(0x20);
    der.resize(der.size() + 32, 0x22);
    return base64Encode(der);
}

TranscriptRecord sample() {
    TranscriptRecord r;
    r.seq = 7;
    r.time = "2026-12-02T01:00:00.123Z";
    r.step = "backup";
    r.region = "cn-north-4";
    r.custodians = {"alice", "bob"};
    r.details = {{"kek-label", "keyport-kek"}, {"shares", "5"}, {"threshold", "3"}};
    r.signerRegion = "cn-north-4";
    r.signerKey = kKey;
    r.prev = kPrev;
    return r;
}

std::string lineOf(const TranscriptRecord& r) {
    return transcriptLine(transcriptHead(r), fakeSig());
}

std::string replaced(std::string s, const std::string& from, const std::string& to) {
    const auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return s;
}

TEST(TranscriptLine, TheWritersLineParsesBackToTheRecord) {
    const TranscriptRecord r = sample();
    const std::string line = lineOf(r);
    EXPECT_EQ(line.rfind("{\"seq\":7,\"time\":\"2026-12-02T01:00:00.123Z\",\"step\":\"backup\","
                         "\"region\":\"cn-north-4\",\"custodians\":[\"alice\",\"bob\"],"
                         "\"details\":{\"kek-label\":\"keyport-kek\",\"shares\":\"5\","
                         "\"threshold\":\"3\"},\"signer\":{\"region\":\"cn-north-4\",\"key\":\"" +
                             kKey + "\"},\"prev\":\"" + kPrev + "\",\"sig\":\"",
                         0),
              0u)
        << line;
    const auto p = parseTranscriptLine(line);
    EXPECT_EQ(p.record.seq, 7u);
    EXPECT_EQ(p.record.step, "backup");
    EXPECT_EQ(p.record.custodians, r.custodians);
    EXPECT_EQ(p.record.details, r.details);
    EXPECT_EQ(p.record.signerKey, kKey);
    EXPECT_EQ(p.record.prev, kPrev);
    EXPECT_EQ(p.head, transcriptHead(r));
    EXPECT_EQ(transcriptSignedMessage(p.head), "keyport-ceremony-v1\n" + transcriptHead(r));
}

TEST(TranscriptLine, EscapedTextRoundTrips) {
    TranscriptRecord r = sample();
    r.custodians = {"Zoë \"Z\" Ng", "back\\slash"};
    r.details = {{"note", "line\nbreak\ttab\x01\x7f"}, {"empty", ""}, {"unicode", "鍵 🔑"}};
    r.region = "";
    r.custodians.push_back("x");
    const auto p = parseTranscriptLine(lineOf(r));
    EXPECT_EQ(p.record.custodians, r.custodians);
    EXPECT_EQ(p.record.details, r.details);
    EXPECT_EQ(p.record.region, "");
}

TEST(TranscriptLine, EmptyListsParse) {
    TranscriptRecord r = sample();
    r.custodians.clear();
    r.details.clear();
    const auto p = parseTranscriptLine(lineOf(r));
    EXPECT_TRUE(p.record.custodians.empty());
    EXPECT_TRUE(p.record.details.empty());
}

TEST(TranscriptLine, EveryPrefixOfAGoodLineIsRefused) {
    const std::string line = lineOf(sample());
    for (std::size_t n = 0; n < line.size(); ++n) {
        EXPECT_THROW(parseTranscriptLine(line.substr(0, n)), TranscriptFormatError) << n;
    }
}

TEST(TranscriptLine, MalformedLinesAreRefused) {
    const std::string good = lineOf(sample());
    const std::string sig = fakeSig();
    struct Row {
        const char* what;
        std::string line;
    };
    const std::vector<Row> rows = {
        {"empty", ""},
        {"not JSON", "hello"},
        {"whitespace after a colon", replaced(good, "\"seq\":7", "\"seq\": 7")},
        {"whitespace at the end", good + " "},
        {"a newline inside", replaced(good, ",\"time\"", "\n,\"time\"")},
        {"trailing bytes", good + "{}"},
        {"seq with a leading zero", replaced(good, "\"seq\":7", "\"seq\":07")},
        {"seq 0", replaced(good, "\"seq\":7", "\"seq\":0")},
        {"seq negative", replaced(good, "\"seq\":7", "\"seq\":-7")},
        {"seq as a string", replaced(good, "\"seq\":7", "\"seq\":\"7\"")},
        {"seq too long", replaced(good, "\"seq\":7", "\"seq\":12345678901234567890")},
        {"seq fraction", replaced(good, "\"seq\":7", "\"seq\":7.0")},
        {"time without millis", replaced(good, "01:00:00.123Z", "01:00:00Z")},
        {"time not UTC", replaced(good, "01:00:00.123Z", "01:00:00.123+01")},
        {"step uppercase", replaced(good, "\"backup\"", "\"Backup\"")},
        {"step empty", replaced(good, "\"step\":\"backup\"", "\"step\":\"\"")},
        {"step with a space", replaced(good, "\"backup\"", "\"back up\"")},
        {"members reordered",
         replaced(good, "\"time\":\"2026-12-02T01:00:00.123Z\",\"step\":\"backup\"",
                  "\"step\":\"backup\",\"time\":\"2026-12-02T01:00:00.123Z\"")},
        {"an unknown member", replaced(good, ",\"prev\"", ",\"extra\":\"x\",\"prev\"")},
        {"region missing",
         replaced(good, "\"region\":\"cn-north-4\",\"custodians\"", "\"custodians\"")},
        {"custodians not an array", replaced(good, "[\"alice\",\"bob\"]", "\"alice\"")},
        {"custodian not a string", replaced(good, "[\"alice\",\"bob\"]", "[\"alice\",1]")},
        {"custodian empty", replaced(good, "[\"alice\",\"bob\"]", "[\"alice\",\"\"]")},
        {"trailing comma in custodians", replaced(good, "\"bob\"]", "\"bob\",]")},
        {"trailing comma in details", replaced(good, "\"3\"}", "\"3\",}")},
        {"detail value a number", replaced(good, "\"shares\":\"5\"", "\"shares\":5")},
        {"detail name twice", replaced(good, "\"threshold\":\"3\"", "\"shares\":\"3\"")},
        {"detail name with a space", replaced(good, "\"kek-label\"", "\"kek label\"")},
        {"detail name empty", replaced(good, "\"kek-label\"", "\"\"")},
        {"escape the writer does not use (\\u0041)", replaced(good, "alice", "\\u0041lice")},
        {"escape the writer does not use (\\/)", replaced(good, "alice", "al\\/ice")},
        {"escape the writer does not use (\\u00e9)", replaced(good, "alice", "al\\u00e9ce")},
        {"a bad escape", replaced(good, "alice", "al\\qice")},
        {"a short \\u escape", replaced(good, "alice\"", "al\\u00\"")},
        {"a raw control byte", replaced(good, "alice", std::string("al\x01ice"))},
        {"a raw tab", replaced(good, "alice", "al\tice")},
        {"invalid UTF-8", replaced(good, "alice", "al\xff\xfeice")},
        {"overlong UTF-8", replaced(good, "alice", "al\xc0\xafice")},
        {"UTF-8 surrogate", replaced(good, "alice", "al\xed\xa0\x80ice")},
        {"signer without key", replaced(good, ",\"key\":\"" + kKey + "\"", "")},
        {"signer with an extra member",
         replaced(good, "\"key\":\"" + kKey + "\"}", "\"key\":\"" + kKey + "\",\"x\":\"y\"}")},
        {"signer key uppercase", replaced(good, kKey, std::string(64, 'A'))},
        {"signer key short", replaced(good, kKey, std::string(63, 'a'))},
        {"prev uppercase", replaced(good, kPrev, "0F" + std::string(62, '1'))},
        {"prev not hex", replaced(good, kPrev, "0g" + std::string(62, '1'))},
        {"prev missing", replaced(good, ",\"prev\":\"" + kPrev + "\"", "")},
        {"sig missing", replaced(good, ",\"sig\":\"" + sig + "\"", "")},
        {"sig not base64", replaced(good, sig, "not*base64")},
        {"sig with an escaped character", replaced(good, sig, "\\u004d" + sig.substr(1))},
        {"sig unpadded", replaced(good, sig, sig.substr(0, sig.size() - 1))},
        {"sig not DER", replaced(good, sig, base64Encode(hsm::Bytes(64, 0x31)))},
        {"sig too short", replaced(good, sig, base64Encode(hsm::Bytes{0x30, 0x00}))},
        {"sig as raw r||s hex", replaced(good, sig, std::string(128, 'a'))},
        {"a member after sig", replaced(good, sig + "\"}", sig + "\",\"x\":\"y\"}")},
        {"longer than a record", replaced(good, "\"keyport-kek\"",
                                          "\"" + std::string(kMaxTranscriptLineBytes, 'k') + "\"")},
        {"a detail value longer than a record takes",
         replaced(good, "\"keyport-kek\"",
                  "\"" + std::string(kMaxTranscriptValueBytes + 1, 'k') + "\"")},
        {"the audit trail's record",
         "{\"seq\":1,\"time\":\"2026-12-02T01:00:00.123Z\",\"type\":"
         "\"start\",\"prev\":\"" +
             std::string(64, '0') + "\"}"},
    };
    for (const auto& row : rows) {
        EXPECT_THROW(parseTranscriptLine(row.line), TranscriptFormatError) << row.what;
    }
    EXPECT_NO_THROW(parseTranscriptLine(good));
}

TEST(TranscriptLine, TheWriterRefusesWhatItCouldNotParse) {
    const auto refused = [](TranscriptRecord r) {
        EXPECT_THROW(transcriptHead(r), TranscriptFormatError);
    };
    TranscriptRecord r = sample();
    r.step = "Backup";
    refused(r);
    r = sample();
    r.details.push_back({"shares", "again"});
    refused(r);
    r = sample();
    r.custodians.push_back("bad\xff");
    refused(r);
    r = sample();
    r.details.push_back({"long", std::string(kMaxTranscriptValueBytes + 1, 'x')});
    refused(r);
    r = sample();
    r.custodians.assign(kMaxTranscriptCustodians + 1, "c");
    refused(r);
    r = sample();
    r.signerRegion.clear();
    refused(r);
    r = sample();
    r.seq = 0;
    refused(r);
}

TEST(TranscriptLine, TheFuzzSeedCorpusParses) {
    std::size_t seeds = 0;
    for (const auto& e : std::filesystem::directory_iterator(
             KEYPORT_SOURCE_DIR "/tests/fuzz/corpus/ceremony_transcript")) {
        std::ifstream in(e.path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        EXPECT_NO_THROW(parseTranscriptLine(text.str())) << e.path();
        ++seeds;
    }
    EXPECT_GE(seeds, 2u);
}

TEST(TranscriptLine, LineHashIsSha256Hex) {
    EXPECT_EQ(transcriptLineHash("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace keyport
