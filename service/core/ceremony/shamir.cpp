#include "service/core/ceremony/shamir.h"

#include <stdexcept>
#include <utility>

namespace keyport::shamir {

// The field operations are bitwise and branch-free, not log/exp tables: a table lookup
// indexed by a secret byte leaks the byte through the cache, and splitting one 32-byte key
// costs microseconds either way.
std::uint8_t gfMul(std::uint8_t a, std::uint8_t b) noexcept {
    unsigned p = 0;
    unsigned x = a;
    unsigned y = b;
    for (int i = 0; i < 8; ++i) {
        p ^= x & (0u - (y & 1u));                   // add x when the low bit of y is set
        const unsigned carry = 0u - (x >> 7 & 1u);  // reduce by x^8+x^4+x^3+x+1 on overflow
        x = ((x << 1) ^ (0x1bu & carry)) & 0xffu;
        y >>= 1;
    }
    return static_cast<std::uint8_t>(p);
}

// a^254 = a^-1 in GF(256) (a^255 = 1), by a fixed square-and-multiply chain: the same
// operations for every a, and 0 maps to 0.
std::uint8_t gfInv(std::uint8_t a) noexcept {
    std::uint8_t result = 1;
    std::uint8_t power = a;        // a^(2^i)
    for (int i = 1; i < 8; ++i) {  // 254 = 0b11111110: every bit but the lowest
        power = gfMul(power, power);
        result = gfMul(result, power);
    }
    return result;
}

std::vector<Share> split(const hsm::SecretBytes& secret, unsigned shares, unsigned threshold,
                         const RandomSource& random) {
    if (threshold < 1 || threshold > shares || shares > kMaxShares) {
        throw std::invalid_argument("shamir: need 1 <= threshold <= shares <= 255");
    }
    if (secret.empty()) throw std::invalid_argument("shamir: empty secret");
    const std::size_t len = secret.size();
    // Coefficient j (1..M-1) of byte b's polynomial at coeffs[(j-1)*len + b].
    const std::size_t need = (threshold - 1) * len;
    hsm::SecretBytes coeffs = need ? random(need) : hsm::SecretBytes();
    if (coeffs.size() != need) throw std::runtime_error("shamir: short random read");
    const auto s = secret.reveal();
    const auto c = std::as_const(coeffs).reveal();

    std::vector<Share> out;
    out.reserve(shares);
    for (unsigned i = 1; i <= shares; ++i) {
        Share share{static_cast<std::uint8_t>(i), hsm::SecretBytes(len)};
        auto v = share.value.reveal();
        const auto x = static_cast<std::uint8_t>(i);
        for (std::size_t b = 0; b < len; ++b) {
            // Horner from the highest coefficient down to the secret byte.
            std::uint8_t acc = 0;
            for (unsigned j = threshold - 1; j >= 1; --j) {
                acc = gfMul(acc, x) ^ c[(j - 1) * len + b];
            }
            v[b] = static_cast<std::uint8_t>(gfMul(acc, x) ^ s[b]);
        }
        out.push_back(std::move(share));
    }
    return out;
}

hsm::SecretBytes combine(std::span<const Share> shares) {
    if (shares.empty()) throw std::invalid_argument("shamir: no shares");
    const std::size_t len = shares[0].value.size();
    for (std::size_t i = 0; i < shares.size(); ++i) {
        if (shares[i].index == 0) throw std::invalid_argument("shamir: share index 0");
        if (shares[i].value.size() != len)
            throw std::invalid_argument("shamir: shares of different lengths");
        for (std::size_t j = 0; j < i; ++j) {
            if (shares[j].index == shares[i].index)
                throw std::invalid_argument("shamir: the same share twice");
        }
    }
    hsm::SecretBytes secret(len);
    auto out = secret.reveal();
    for (std::size_t i = 0; i < shares.size(); ++i) {
        // Lagrange basis at 0: prod over j != i of x_j / (x_j - x_i); minus is XOR here.
        // The indices are public, so only the share bytes need constant-time handling.
        std::uint8_t num = 1;
        std::uint8_t den = 1;
        for (std::size_t j = 0; j < shares.size(); ++j) {
            if (j == i) continue;
            num = gfMul(num, shares[j].index);
            den = gfMul(den, static_cast<std::uint8_t>(shares[j].index ^ shares[i].index));
        }
        const std::uint8_t basis = gfMul(num, gfInv(den));
        const auto y = shares[i].value.reveal();
        for (std::size_t b = 0; b < len; ++b) out[b] ^= gfMul(y[b], basis);
    }
    return secret;
}

}  // namespace keyport::shamir
