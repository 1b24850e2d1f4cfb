// Random passwords for CSMS (GenerateRandomPassword, and the value of a rotated secret's new
// version): characters drawn without bias from the classes the rules keep, randomness from a
// region token.
#pragma once

#include <cstddef>
#include <string>

#include "hsm/bytes.h"
#include "hsm/session.h"

namespace keyport {

struct PasswordRules {
    std::size_t length = 32;
    std::string excludeCharacters;
    bool excludeLowercase = false;
    bool excludeUppercase = false;
    bool excludeNumbers = false;
    bool excludePunctuation = false;
    bool includeSpace = false;
    bool requireEachIncludedType = true;  // at least one character of every kept class
};

inline constexpr std::size_t kMaxPasswordLength = 4096;

// Throws InvalidParameter when the rules leave nothing to draw from or ask for more classes
// than the length holds.
hsm::SecretBytes generatePassword(hsm::Session& session, const PasswordRules& rules);

}  // namespace keyport
