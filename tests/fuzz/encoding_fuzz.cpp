// base64Decode, hexDecode and isUuid on any text, and both encoders round-tripping the raw
// input.
#include "service/core/base/encoding.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace keyport;
    const hsm::ByteView raw(data, size);
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto b = base64Decode(text);
    if (b) {
        KEYPORT_FUZZ_CHECK(b->size() <= text.size() / 4 * 3);
        KEYPORT_FUZZ_CHECK(base64Decode(base64Encode(*b)) == b);
    }
    if (const auto h = hexDecode(text)) {
        KEYPORT_FUZZ_CHECK(h->size() * 2 == text.size());
        KEYPORT_FUZZ_CHECK(hexDecode(hexEncode(*h)) == h);
    }
    KEYPORT_FUZZ_CHECK(base64Decode(base64Encode(raw)) == hsm::Bytes(raw.begin(), raw.end()));
    KEYPORT_FUZZ_CHECK(hexDecode(hexEncode(raw)) == hsm::Bytes(raw.begin(), raw.end()));
    if (isUuid(text)) {
        KEYPORT_FUZZ_CHECK(hexDecode(std::string(text.substr(0, 8)) +
                                     std::string(text.substr(9, 4)) +
                                     std::string(text.substr(14, 4)) +
                                     std::string(text.substr(19, 4)) + std::string(text.substr(24)))
                               .has_value());
    }
    return 0;
}
