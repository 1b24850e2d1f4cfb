// The key-token reader's host-side steps (NAVER's x-ncp-ocapi-token) on any text: prefix,
// base64 and length (decodeText), then the claims (parseBody) of the body before the MAC —
// which verify reads before checking the MAC. Only Error(Unauthorized) may come out; the raw
// input is parsed as a body too.
#include "service/core/base/errors.h"
#include "service/core/tenancy/key_access_token.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

void parse(hsm::ByteView body) {
    try {
        const auto t = keyport::KeyAccessToken::parseBody(body);
        KEYPORT_FUZZ_CHECK(t.domainId.size() + t.projectId.size() + t.region.size() +
                               t.keyTag.size() + 4 + 38 ==
                           body.size());
    } catch (const keyport::Error& e) {
        KEYPORT_FUZZ_CHECK(e.code() == keyport::ErrorCode::Unauthorized);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using keyport::KeyAccessToken;
    parse(hsm::ByteView(data, size));
    try {
        const hsm::Bytes raw =
            KeyAccessToken::decodeText(std::string_view(reinterpret_cast<const char*>(data), size));
        KEYPORT_FUZZ_CHECK(raw.size() >= KeyAccessToken::kMacSize);
        parse(hsm::ByteView(raw.data(), raw.size() - KeyAccessToken::kMacSize));
    } catch (const keyport::Error& e) {
        KEYPORT_FUZZ_CHECK(e.code() == keyport::ErrorCode::Unauthorized);
    }
    return 0;
}
