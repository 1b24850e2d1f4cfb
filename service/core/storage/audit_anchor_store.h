// The audit trail's anchor row: the latest seal keyportd wrote to the trail (its seq and the
// SHA-256 of its line), and the SQL that reads and advances it.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>

namespace keyport {

struct AuditAnchor {
    std::uint64_t seq = 0;
    std::string lineHash;  // lowercase hex
    std::int64_t atMs = 0;
};

namespace audit_anchor_store {

std::optional<AuditAnchor> find(Poco::Data::Session& s);
// Moves the anchor forward; an anchor at or past `anchor.seq` is kept (never backwards, so a
// trail cut back and continued still misses the seal recorded here).
void advance(Poco::Data::Session& s, const AuditAnchor& anchor);

}  // namespace audit_anchor_store
}  // namespace keyport
