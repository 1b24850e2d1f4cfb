// The audit trail's strict line parser (what `keyport audit verify` and start-up read) on any
// bytes: only AuditFormatError may come out, and a line it accepts is no longer than a
// record. The same input, split into a request record's fields, is rendered by the writer:
// the line is valid UTF-8 JSON within the record cap, and parses back to its seq.
#include "service/core/audit/audit_line.h"
#include "service/core/audit/audit_record_json.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace keyport;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const AuditLine line = parseAuditLine(text);
        KEYPORT_FUZZ_CHECK(text.size() <= audit_json::kMaxRecordBytes);
        KEYPORT_FUZZ_CHECK(line.prev.size() == 64);
        KEYPORT_FUZZ_CHECK(line.type == "request" || line.type == "start" || line.type == "seal");
    } catch (const AuditFormatError&) {
    }

    const auto f = fuzz::fields(data, size, 12);
    AuditRecord r;
    r.timeMs = static_cast<std::int64_t>(size) * 1000003;
    r.requestId = f[0];
    r.dialect = f[1];
    r.method = f[2];
    r.route = f[3];
    r.peer = f[4];
    r.peerSubject = f[5];
    r.domainId = f[6];
    r.projectId = f[7];
    r.accessKey = f[8];
    r.errorCode = f[9];
    r.status = static_cast<int>(size % 600);
    r.latencyMs = static_cast<double>(size) / 7;
    // Many objects from the last field, so the list cap is reached too.
    for (std::size_t i = 0; i < f[11].size(); i += 3)
        r.objects.emplace_back(f[10], f[11].substr(i, 40));
    const std::uint64_t seq = size + 1;
    const std::string rendered = audit_json::requestLine(seq, r, kAuditGenesisPrev);
    KEYPORT_FUZZ_CHECK(rendered.size() <= audit_json::kMaxRecordBytes);
    KEYPORT_FUZZ_CHECK(rendered.find('\n') == std::string::npos);
    try {
        KEYPORT_FUZZ_CHECK(parseAuditLine(rendered).seq == seq);
    } catch (const AuditFormatError& e) {
        std::fprintf(stderr, "rendered record refused: %s\n", e.what());
        KEYPORT_FUZZ_CHECK(false);
    }
    return 0;
}
