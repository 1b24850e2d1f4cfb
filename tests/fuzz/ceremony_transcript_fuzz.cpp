// The ceremony transcript's strict line parser (what `keyport ceremony verify` and every
// append read) on any bytes: only TranscriptFormatError may come out, and a line it accepts
// is within the record cap and is exactly what the writer renders for the record it parsed
// to. The same input, split into a record's fields, is rendered by the writer: a record it
// accepts parses back to itself.
#include "service/core/ceremony/transcript_line.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace keyport;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const ParsedTranscriptLine p = parseTranscriptLine(text);
        KEYPORT_FUZZ_CHECK(text.size() <= kMaxTranscriptLineBytes);
        KEYPORT_FUZZ_CHECK(p.record.prev.size() == 64 && p.record.signerKey.size() == 64);
        KEYPORT_FUZZ_CHECK(transcriptLine(transcriptHead(p.record), p.record.sig) == text);
    } catch (const TranscriptFormatError&) {
    }

    const auto f = fuzz::fields(data, size, 8);
    TranscriptRecord r;
    r.seq = size + 1;
    r.time = "2026-12-02T01:00:00.123Z";
    r.step = f[0];
    r.region = f[1];
    if (!f[2].empty()) r.custodians = {f[2], f[3]};
    r.details = {{f[4], f[5]}, {f[6], f[7]}};
    r.signerRegion = "r1";
    r.signerKey = std::string(64, 'a');
    r.prev = kTranscriptGenesisPrev;
    std::string head;
    try {
        head = transcriptHead(r);
    } catch (const TranscriptFormatError&) {
        return 0;
    }
    // "MEQCIB..": base64 of a DER SEQUENCE (0x30 0x44 0x02 0x20 ...), 70 bytes.
    const std::string sig = "MEQCI" + std::string(90, 'A') + "=";
    const std::string line = transcriptLine(head, sig);
    if (line.size() > kMaxTranscriptLineBytes) return 0;
    KEYPORT_FUZZ_CHECK(line.find('\n') == std::string::npos);
    try {
        const ParsedTranscriptLine p = parseTranscriptLine(line);
        KEYPORT_FUZZ_CHECK(p.record.step == r.step && p.record.details == r.details);
        KEYPORT_FUZZ_CHECK(p.head == head);
    } catch (const TranscriptFormatError& e) {
        std::fprintf(stderr, "rendered record refused: %s\n", e.what());
        KEYPORT_FUZZ_CHECK(false);
    }
    return 0;
}
