#include "service/core/tokens/host_oaep.h"

#include <algorithm>

#include "hsm/error.h"
#include "service/core/tokens/oaep.h"

namespace keyport {

std::optional<hsm::SecretBytes> hostOaepDecrypt(hsm::Session& session, hsm::ObjectHandle key,
                                                std::size_t modulusBytes, hsm::ByteView ciphertext,
                                                hsm::Hash hash) {
    if (ciphertext.size() != modulusBytes) return std::nullopt;
    hsm::SecretBytes raw;
    try {
        raw = session.decrypt(hsm::Mechanism::rsaX509(), key, ciphertext);
    } catch (const hsm::Error&) {
        return std::nullopt;
    }
    // Some tokens return the raw block without its leading zero bytes: left-pad it back
    // to the modulus size, which is what OAEP decoding expects.
    if (raw.size() > modulusBytes) return std::nullopt;
    hsm::SecretBytes block(modulusBytes);
    std::copy(raw.reveal().begin(), raw.reveal().end(),
              block.reveal().begin() + static_cast<long>(modulusBytes - raw.size()));
    return oaepDecode(block.reveal(), hash);
}

}  // namespace keyport
