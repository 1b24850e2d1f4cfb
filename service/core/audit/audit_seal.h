// The seal of the audit trail: HMAC-SHA256 computed on the audit region's token with its
// MAC key (keyport-mac) over a domain-separated message naming the seal's seq and the hash
// of the line before it, so one seal authenticates every line up to it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hsm/bytes.h"

namespace keyport {

struct Region;

// "keyport-audit-seal-v1\n<seq>\n<prev hex>": the label keeps these MACs apart from every
// other use of the region MAC key (import tokens, key access tokens, secret backups).
std::string auditSealMessage(std::uint64_t seq, std::string_view prev);
// The MAC in lowercase hex, computed on the token.
std::string computeAuditSeal(Region& region, std::uint64_t seq, std::string_view prev);
// Verified on the token (C_Verify); false for a MAC that is not hex or does not verify.
bool verifyAuditSeal(Region& region, std::uint64_t seq, std::string_view prev,
                     std::string_view macHex);

}  // namespace keyport
