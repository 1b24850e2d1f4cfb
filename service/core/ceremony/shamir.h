// Shamir secret sharing over GF(256): splits a secret (the ceremony backup key) into N
// shares any M of which rebuild it, and fewer reveal nothing about it.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "hsm/bytes.h"

namespace keyport::shamir {

// Share x-coordinates are 1..N (x = 0 is the secret itself, so it is never a share).
inline constexpr unsigned kMaxShares = 255;

struct Share {
    std::uint8_t index = 0;  // the x-coordinate, 1..N
    hsm::SecretBytes value;  // one byte per secret byte: the polynomials at x = index
};

// Random bytes for the polynomial coefficients: the token's C_GenerateRandom in Keyport.
using RandomSource = std::function<hsm::SecretBytes(std::size_t)>;

// N shares of `secret` (indices 1..N), threshold M: 1 <= M <= N <= 255 (std::invalid_argument
// otherwise; policy limits such as M >= 2 are the caller's). Each secret byte gets its own
// polynomial of degree M-1 whose constant term is the byte and whose other coefficients
// come from `random`; they live only in SecretBytes.
std::vector<Share> split(const hsm::SecretBytes& secret, unsigned shares, unsigned threshold,
                         const RandomSource& random);

// Lagrange interpolation at x = 0 of the given shares. The caller passes exactly the
// shares it means (M of them or more: with fewer the result is a wrong secret, which
// nothing here can tell). std::invalid_argument for no shares, differing lengths, an index
// of 0 or a repeated index.
hsm::SecretBytes combine(std::span<const Share> shares);

// The field itself, exposed for the tests' known vectors (AES's field: x^8+x^4+x^3+x+1).
std::uint8_t gfMul(std::uint8_t a, std::uint8_t b) noexcept;
std::uint8_t gfInv(std::uint8_t a) noexcept;  // gfInv(0) == 0

}  // namespace keyport::shamir
