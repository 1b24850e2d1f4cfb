#include "service/core/tokens/oaep.h"

#include <openssl/evp.h>

#include "hsm/openssl_util.h"

namespace keyport {
namespace {

const EVP_MD* md(hsm::Hash h) {
    switch (h) {
        case hsm::Hash::Sha1:
            return EVP_sha1();
        case hsm::Hash::Sha256:
            return EVP_sha256();
        case hsm::Hash::Sha384:
            return EVP_sha384();
        case hsm::Hash::Sha512:
            return EVP_sha512();
    }
    return EVP_sha256();
}

// out ^= MGF1(seed, out.size())
void xorMgf1(std::span<std::uint8_t> out, hsm::ByteView seed, const EVP_MD* digest) {
    const auto hLen = static_cast<std::size_t>(EVP_MD_get_size(digest));
    hsm::SecretBytes buf(seed.size() + 4);
    std::copy(seed.begin(), seed.end(), buf.reveal().begin());
    std::uint8_t h[EVP_MAX_MD_SIZE];
    for (std::uint32_t counter = 0, done = 0; done < out.size(); ++counter) {
        auto b = buf.reveal();
        b[seed.size()] = static_cast<std::uint8_t>(counter >> 24);
        b[seed.size() + 1] = static_cast<std::uint8_t>(counter >> 16);
        b[seed.size() + 2] = static_cast<std::uint8_t>(counter >> 8);
        b[seed.size() + 3] = static_cast<std::uint8_t>(counter);
        hsm::ossl::check(EVP_Digest(b.data(), b.size(), h, nullptr, digest, nullptr) == 1,
                         "EVP_Digest");
        for (std::size_t i = 0; i < hLen && done < out.size(); ++i, ++done) out[done] ^= h[i];
    }
    OPENSSL_cleanse(h, sizeof h);
}

}  // namespace

std::optional<hsm::SecretBytes> oaepDecode(hsm::ByteView block, hsm::Hash hash) {
    const EVP_MD* digest = md(hash);
    const auto hLen = static_cast<std::size_t>(EVP_MD_get_size(digest));
    const std::size_t k = block.size();
    if (k < 2 * hLen + 2) return std::nullopt;
    hsm::SecretBytes em(block);
    auto e = em.reveal();
    auto seed = e.subspan(1, hLen);
    auto db = e.subspan(1 + hLen);
    xorMgf1(seed, db, digest);
    xorMgf1(db, seed, digest);

    std::uint8_t lHash[EVP_MAX_MD_SIZE];
    hsm::ossl::check(EVP_Digest("", 0, lHash, nullptr, digest, nullptr) == 1, "EVP_Digest");
    // Check every condition without early exit, so timing does not tell which failed.
    unsigned bad = e[0];
    for (std::size_t i = 0; i < hLen; ++i) bad |= static_cast<unsigned>(db[i] ^ lHash[i]);
    std::size_t msgStart = 0;
    unsigned found = 0;
    for (std::size_t i = hLen; i < db.size(); ++i) {
        const unsigned isOne = db[i] == 0x01;
        const unsigned isZero = db[i] == 0x00;
        const unsigned first = isOne & ~found & 1u;
        if (first) msgStart = i + 1;
        found |= isOne;
        bad |= ~found & ~isZero & ~isOne & 1u;  // a byte other than 0 before the 0x01
    }
    bad |= ~found & 1u;
    if (bad != 0) return std::nullopt;
    return hsm::SecretBytes(hsm::ByteView(db.data() + msgStart, db.size() - msgStart));
}

}  // namespace keyport
