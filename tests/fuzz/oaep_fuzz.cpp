// oaepDecode on any block: first byte picks the hash (even: SHA-1, odd: SHA-256), the rest
// is the raw RSA output. A decoded message must fit in the block.
#include "service/core/tokens/oaep.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const hsm::Hash hash = data[0] % 2 == 0 ? hsm::Hash::Sha1 : hsm::Hash::Sha256;
    const hsm::ByteView block(data + 1, size - 1);
    const auto m = keyport::oaepDecode(block, hash);
    if (m) {
        const std::size_t hLen = hash == hsm::Hash::Sha1 ? 20 : 32;
        KEYPORT_FUZZ_CHECK(m->size() + 2 * hLen + 2 <= block.size());
    }
    return 0;
}
