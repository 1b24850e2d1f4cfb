#include "service/core/audit/audit_seal.h"

#include <stdexcept>

#include "service/core/base/encoding.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {
namespace {

void requireMacKey(const Region& region) {
    if (region.mac == CK_INVALID_HANDLE) {
        throw std::runtime_error("region " + region.name +
                                 " has no MAC key on its token: run `keyport token init`");
    }
}

}  // namespace

std::string auditSealMessage(std::uint64_t seq, std::string_view prev) {
    std::string m = "keyport-audit-seal-v1\n";
    m += std::to_string(seq);
    m += '\n';
    m += prev;
    return m;
}

std::string computeAuditSeal(Region& region, std::uint64_t seq, std::string_view prev) {
    requireMacKey(region);
    const std::string message = auditSealMessage(seq, prev);
    auto session = region.token->session();
    return hexEncode(
        session->sign(hsm::Mechanism::hmacSha256(), region.mac, hsm::asBytes(message)));
}

bool verifyAuditSeal(Region& region, std::uint64_t seq, std::string_view prev,
                     std::string_view macHex) {
    requireMacKey(region);
    const auto mac = hexDecode(macHex);
    if (!mac || mac->size() != 32) return false;
    const std::string message = auditSealMessage(seq, prev);
    auto session = region.token->session();
    return session->verify(hsm::Mechanism::hmacSha256(), region.mac, hsm::asBytes(message), *mac);
}

}  // namespace keyport
