#include "service/core/keys/convergent_iv.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

#include "hsm/key_policies.h"
#include "hsm/mechanism.h"
#include "hsm/scoped_objects.h"

namespace keyport {
namespace {

// Two AES blocks, each 12 label bytes then 32 zero bits (see the header: GCM never
// encrypts a block that ends in a zero counter, so AES_K of these stays unseen).
constexpr std::array<std::uint8_t, 32> kDerivationLabels{
    'k', 'e', 'y', 'p', 'o', 'r', 't', '-', 's', 'i', 'v', '1', 0, 0, 0, 0,
    'k', 'e', 'y', 'p', 'o', 'r', 't', '-', 's', 'i', 'v', '2', 0, 0, 0, 0};
constexpr std::string_view kMacTag = "keyport convergent iv v1\n";

void putLength(std::uint8_t* at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) at[i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

}  // namespace

hsm::Bytes convergentIv(hsm::Session& session, hsm::ObjectHandle aesKey, const Ciphertext& c,
                        hsm::ByteView plaintext) {
    hsm::ScopedObjects scratch(session);
    const auto ivKey =
        scratch.keep(session.deriveKey(hsm::Mechanism::aesEcbEncryptData(kDerivationLabels), aesKey,
                                       hsm::policy::convergentIvKey()));
    const hsm::Bytes aad = c.associatedData();
    // The MAC input holds the plaintext: build it in wiped memory.
    hsm::SecretBytes message(kMacTag.size() + 4 + aad.size() + plaintext.size());
    std::uint8_t* p = message.reveal().data();
    std::copy(kMacTag.begin(), kMacTag.end(), p);
    putLength(p + kMacTag.size(), static_cast<std::uint32_t>(aad.size()));
    std::copy(aad.begin(), aad.end(), p + kMacTag.size() + 4);
    std::copy(plaintext.begin(), plaintext.end(), p + kMacTag.size() + 4 + aad.size());
    hsm::Bytes mac =
        session.sign(hsm::Mechanism::hmacSha256(), ivKey, std::as_const(message).reveal());
    mac.resize(Ciphertext::kIvSize);
    return mac;
}

}  // namespace keyport
