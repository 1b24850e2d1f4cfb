// The CSMS secret backup (backup_format in secret_backup.h: what POST secrets/restore takes
// from a client, read before its MAC is checked) on any bytes, both as a whole blob and as a
// body alone. Only Error(InvalidParameter, Ciphertext) may come out; what frame() accepts
// points into the input (the MAC its last 32 bytes), and whatever decodes encodes back to
// the very bytes it came from.
#include <optional>

#include "service/core/base/errors.h"
#include "service/core/replication/transfer_blob.h"
#include "service/core/secrets/secret_backup.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using namespace keyport;
using namespace keyport::backup_format;

bool refusedAsCiphertext(const Error& e) {
    return e.code() == ErrorCode::InvalidParameter && e.input() == Input::Ciphertext;
}

std::optional<Contents> decoded(hsm::ByteView body) {
    try {
        return decodeBody(body);
    } catch (const Error& e) {
        KEYPORT_FUZZ_CHECK(refusedAsCiphertext(e));
        return std::nullopt;
    }
}

// The body Writer would write for `c`: encodeUnsigned's output after its frame header
// ("KPSB", version, empty region, body length).
hsm::Bytes bodyOf(const Contents& c) {
    const hsm::Bytes blob = encodeUnsigned("", c);
    constexpr std::size_t kHeader = 4 + 1 + 4 + 4;
    KEYPORT_FUZZ_CHECK(blob.size() >= kHeader);
    return hsm::Bytes(blob.begin() + kHeader, blob.end());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const hsm::ByteView in(data, size);
    const hsm::Bytes input(in.begin(), in.end());

    // The input as a body on its own (the fuzzer reaches the body's fields without first
    // having to build a frame around them).
    if (const auto c = decoded(in)) {
        KEYPORT_FUZZ_CHECK(bodyOf(*c) == input);
        for (const auto& v : c->versions) TransferBlob::decode(v.transfer);
    }

    // The input as a whole backup.
    std::optional<Framed> f;
    try {
        f = frame(in);
    } catch (const Error& e) {
        KEYPORT_FUZZ_CHECK(refusedAsCiphertext(e));
        return 0;
    }
    KEYPORT_FUZZ_CHECK(size >= 4 + 1 + 4 + 4 + kMacSize);
    KEYPORT_FUZZ_CHECK(f->mac.size() == kMacSize && f->mac.data() == data + size - kMacSize);
    KEYPORT_FUZZ_CHECK(f->signedPart.data() == data && f->signedPart.size() == size - kMacSize);
    KEYPORT_FUZZ_CHECK(f->body.size() + f->region.size() + 4 + 1 + 4 + 4 == f->signedPart.size());
    if (const auto c = decoded(f->body)) {
        // decode → encode gives back the signed part byte for byte: what the MAC covered is
        // all there is, nothing a restore reads comes from outside it.
        const hsm::Bytes again = encodeUnsigned(f->region, *c);
        KEYPORT_FUZZ_CHECK(again == hsm::Bytes(f->signedPart.begin(), f->signedPart.end()));
    }
    return 0;
}
