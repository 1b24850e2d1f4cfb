// TransferBlob::decode on any bytes: whatever it accepts must encode back to the same bytes.
#include "service/core/replication/transfer_blob.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const hsm::ByteView in(data, size);
    if (const auto t = keyport::TransferBlob::decode(in)) {
        KEYPORT_FUZZ_CHECK(!t->wrappedEphemeral.empty() && !t->wrappedKey.empty());
        const hsm::Bytes again = t->encode();
        KEYPORT_FUZZ_CHECK(again == hsm::Bytes(in.begin(), in.end()));
    }
    return 0;
}
