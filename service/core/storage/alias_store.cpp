#include "service/core/storage/alias_store.h"

#include <Poco/Data/RecordSet.h>

#include "service/core/storage/sql_values.h"

namespace keyport::alias_store {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;

constexpr char kColumns[] = "project_id, alias, domain_id, key_id, created_ms, updated_ms";

std::vector<AliasRecord> rows(const RecordSet& rs) {
    std::vector<AliasRecord> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r) {
        AliasRecord a;
        a.projectId = str(rs, 0, r);
        a.alias = str(rs, 1, r);
        a.domainId = str(rs, 2, r);
        a.keyId = str(rs, 3, r);
        a.createdAtMs = rs.value(4, r).convert<std::int64_t>();
        a.updatedAtMs = rs.value(5, r).convert<std::int64_t>();
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace

bool insert(Poco::Data::Session& s, const AliasRecord& a) {
    // ON CONFLICT DO NOTHING rather than catching the constraint error: a failed statement
    // inside the writer's savepoint is noisier than a zero row count.
    Statement st(s);
    st << "INSERT INTO kms_aliases (" << kColumns
       << ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, alias) DO NOTHING",
        bind(a.projectId), bind(a.alias), bind(a.domainId), bind(a.keyId), bind(a.createdAtMs),
        bind(a.updatedAtMs);
    return st.execute() > 0;
}

std::optional<AliasRecord> find(Poco::Data::Session& s, const std::string& projectId,
                                const std::string& alias) {
    Statement st(s);
    st << "SELECT " << kColumns << " FROM kms_aliases WHERE project_id = ? AND alias = ?",
        bind(projectId), bind(alias), now;
    auto found = rows(RecordSet(st));
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

void setKey(Poco::Data::Session& s, const std::string& projectId, const std::string& alias,
            const std::string& keyId, std::int64_t updatedAtMs) {
    s << "UPDATE kms_aliases SET key_id = ?, updated_ms = ? WHERE project_id = ? AND alias = ?",
        bind(keyId), bind(updatedAtMs), bind(projectId), bind(alias), now;
}

bool remove(Poco::Data::Session& s, const std::string& projectId, const std::string& alias) {
    Statement st(s);
    st << "DELETE FROM kms_aliases WHERE project_id = ? AND alias = ?", bind(projectId),
        bind(alias);
    return st.execute() > 0;
}

std::vector<AliasRecord> list(Poco::Data::Session& s, const std::string& projectId,
                              const std::optional<std::string>& keyId, std::size_t limit,
                              const std::optional<std::string>& marker) {
    Statement st(s);
    const auto lim = static_cast<std::int64_t>(limit);
    const std::string key = keyId.value_or("");
    const std::string after = marker.value_or("");
    st << "SELECT " << kColumns
       << " FROM kms_aliases WHERE project_id = ? AND (? = '' OR key_id = ?) AND alias > ?"
          " ORDER BY alias LIMIT ?",
        bind(projectId), bind(key), bind(key), bind(after), bind(lim), now;
    return rows(RecordSet(st));
}

}  // namespace keyport::alias_store
