#include "service/core/secrets/secret_password.h"

#include <algorithm>
#include <vector>

#include "service/core/base/errors.h"

namespace keyport {
namespace {

constexpr char kLower[] = "abcdefghijklmnopqrstuvwxyz";
constexpr char kUpper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr char kNumbers[] = "0123456789";
constexpr char kPunctuation[] = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
constexpr char kSpace[] = " ";

// Uniform indexes below `n` (n <= 65536) from token randomness: 16-bit draws at or above the
// largest multiple of n are dropped, so no index is likelier than another.
class Draw {
  public:
    explicit Draw(hsm::Session& s) : session_(s) {}
    std::size_t below(std::size_t n) {
        const std::size_t limit = 65536 - 65536 % n;
        for (;;) {
            if (at_ + 2 > pool_.size()) {
                pool_ = session_.random(512);
                at_ = 0;
            }
            const std::size_t b = (std::size_t{pool_[at_]} << 8) | pool_[at_ + 1];
            at_ += 2;
            if (b < limit) return b % n;
        }
    }

  private:
    hsm::Session& session_;
    hsm::Bytes pool_;
    std::size_t at_ = 0;
};

}  // namespace

hsm::SecretBytes generatePassword(hsm::Session& session, const PasswordRules& rules) {
    if (rules.length < 1 || rules.length > kMaxPasswordLength) {
        throw Error(
            ErrorCode::InvalidParameter,
            "A password is 1 to " + std::to_string(kMaxPasswordLength) + " characters long.")
            .withLimit(kMaxPasswordLength);
    }
    std::vector<std::string> classes;
    const auto keep = [&](bool excluded, const char* chars) {
        if (excluded) return;
        std::string c;
        for (const char* p = chars; *p; ++p) {
            if (rules.excludeCharacters.find(*p) == std::string::npos) c.push_back(*p);
        }
        if (!c.empty())
            classes.push_back(std::move(c));
        else if (rules.requireEachIncludedType)
            throw Error(ErrorCode::InvalidParameter,
                        "The excluded characters remove a whole character class that every "
                        "password must contain.");
    };
    keep(rules.excludeLowercase, kLower);
    keep(rules.excludeUppercase, kUpper);
    keep(rules.excludeNumbers, kNumbers);
    keep(rules.excludePunctuation, kPunctuation);
    keep(!rules.includeSpace, kSpace);
    if (classes.empty()) {
        throw Error(ErrorCode::InvalidParameter,
                    "The password rules exclude every character; keep at least one class.");
    }
    if (rules.requireEachIncludedType && classes.size() > rules.length) {
        throw Error(ErrorCode::InvalidParameter,
                    "The password is shorter than the number of character classes it must "
                    "contain.");
    }
    std::string all;
    for (const auto& c : classes) all += c;
    Draw draw(session);
    std::string out;
    out.reserve(rules.length);
    if (rules.requireEachIncludedType) {
        for (const auto& c : classes) out.push_back(c[draw.below(c.size())]);
    }
    while (out.size() < rules.length) out.push_back(all[draw.below(all.size())]);
    // Fisher-Yates, so the required characters sit anywhere.
    for (std::size_t i = out.size(); i > 1; --i) std::swap(out[i - 1], out[draw.below(i)]);
    hsm::SecretBytes secret = hsm::SecretBytes::fromString(out);
    std::fill(out.begin(), out.end(), '\0');
    return secret;
}

}  // namespace keyport
