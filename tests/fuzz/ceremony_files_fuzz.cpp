// The ceremony backup's two parsers on any bytes: the share file (parseShareFile) and the
// backup manifest (parseManifest). Whatever they accept renders back to the same text.
#include "service/core/ceremony/backup_bundle.h"
#include "service/core/ceremony/share_file.h"
#include "service/core/ceremony/strict_lines.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace keyport::ceremony;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        auto share = parseShareFile(hsm::SecretBytes(hsm::ByteView(data, size)), "fuzz");
        KEYPORT_FUZZ_CHECK(renderShareFile(share).revealString() == text);
    } catch (const CeremonyFileError&) {
    }
    try {
        const auto manifest = parseManifest(text, "fuzz");
        KEYPORT_FUZZ_CHECK(renderManifest(manifest) == text);
    } catch (const CeremonyFileError&) {
    }
    return 0;
}
