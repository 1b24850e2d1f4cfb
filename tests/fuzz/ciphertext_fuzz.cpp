// Ciphertext::decode on any bytes: whatever it accepts must encode back to the same bytes
// and name a key by UUID.
#include "service/core/base/encoding.h"
#include "service/core/keys/ciphertext.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const hsm::ByteView in(data, size);
    if (const auto c = keyport::Ciphertext::decode(in)) {
        KEYPORT_FUZZ_CHECK(keyport::isUuid(c->keyId));
        KEYPORT_FUZZ_CHECK(c->encode() == hsm::Bytes(in.begin(), in.end()));
        const std::size_t versionBytes =
            c->version == keyport::Ciphertext::kAesGcmVersioned ? 4 : 0;
        KEYPORT_FUZZ_CHECK(c->associatedData().size() == 1 + c->keyId.size() + versionBytes);
        KEYPORT_FUZZ_CHECK(c->materialVersion >= 1);
    }
    return 0;
}
