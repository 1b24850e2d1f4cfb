// The import-token reader's host-side steps on any text: base64 and length (decodeText),
// then the claims (parseBody) of the body before the MAC — never the token. Only
// Error(ImportTokenInvalid) may come out; the raw input is parsed as a body too.
#include "service/core/base/errors.h"
#include "service/core/import/import_token.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

void parse(hsm::ByteView body) {
    try {
        const auto t = keyport::ImportToken::parseBody(body);
        KEYPORT_FUZZ_CHECK(t.keyId.size() + t.projectId.size() + t.region.size() + t.pairId.size() +
                               4 + 38 ==
                           body.size());
    } catch (const keyport::Error& e) {
        KEYPORT_FUZZ_CHECK(e.code() == keyport::ErrorCode::ImportTokenInvalid);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using keyport::ImportToken;
    parse(hsm::ByteView(data, size));
    try {
        const hsm::Bytes raw =
            ImportToken::decodeText(std::string_view(reinterpret_cast<const char*>(data), size));
        KEYPORT_FUZZ_CHECK(raw.size() >= ImportToken::kMacSize);
        parse(hsm::ByteView(raw.data(), raw.size() - ImportToken::kMacSize));
    } catch (const keyport::Error& e) {
        KEYPORT_FUZZ_CHECK(e.code() == keyport::ErrorCode::ImportTokenInvalid);
    }
    return 0;
}
