#include "service/core/storage/audit_anchor_store.h"

#include <vector>

namespace keyport::audit_anchor_store {
namespace {

using namespace Poco::Data::Keywords;

}  // namespace

std::optional<AuditAnchor> find(Poco::Data::Session& s) {
    std::vector<Poco::Int64> seq, at;
    std::vector<std::string> hash;
    s << "SELECT seq, line_hash, at_ms FROM audit_anchor WHERE id = 1", into(seq), into(hash),
        into(at), now;
    if (seq.empty()) return std::nullopt;
    return AuditAnchor{static_cast<std::uint64_t>(seq[0]), hash[0], at[0]};
}

void advance(Poco::Data::Session& s, const AuditAnchor& anchor) {
    s << "INSERT INTO audit_anchor (id, seq, line_hash, at_ms) VALUES (1, ?, ?, ?)"
         " ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, line_hash = excluded.line_hash,"
         " at_ms = excluded.at_ms WHERE excluded.seq > audit_anchor.seq",
        bind(static_cast<Poco::Int64>(anchor.seq)), bind(anchor.lineHash),
        bind(static_cast<Poco::Int64>(anchor.atMs)), now;
}

}  // namespace keyport::audit_anchor_store
