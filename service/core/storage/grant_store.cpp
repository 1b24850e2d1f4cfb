#include "service/core/storage/grant_store.h"

#include <Poco/Data/RecordSet.h>

#include <algorithm>
#include <array>

#include "service/core/storage/sql_values.h"

namespace keyport {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;

constexpr std::array<std::pair<GrantOperation, std::string_view>, 9> kOperations{{
    {GrantOperation::CreateDataKey, "CreateDataKey"},
    {GrantOperation::CreateDataKeyWithoutPlaintext, "CreateDataKeyWithoutPlaintext"},
    {GrantOperation::EncryptDataKey, "EncryptDataKey"},
    {GrantOperation::DecryptDataKey, "DecryptDataKey"},
    {GrantOperation::DescribeKey, "DescribeKey"},
    {GrantOperation::CreateGrant, "CreateGrant"},
    {GrantOperation::RetireGrant, "RetireGrant"},
    {GrantOperation::EncryptData, "EncryptData"},
    {GrantOperation::DecryptData, "DecryptData"},
}};

constexpr char kColumns[] =
    "id, key_id, name, grantee_kind, grantee, operations, issuing_principal,"
    " retiring_principal, created_ms";

// Operations are stored as one comma-separated column of core's names.
std::string joinOperations(const std::vector<GrantOperation>& ops) {
    std::string out;
    for (GrantOperation op : ops) {
        if (!out.empty()) out += ',';
        out += name(op);
    }
    return out;
}

std::vector<GrantOperation> splitOperations(const std::string& text) {
    std::vector<GrantOperation> out;
    std::size_t i = 0;
    while (i <= text.size()) {
        const std::size_t j = std::min(text.find(',', i), text.size());
        if (auto op = parseGrantOperation(std::string_view(text).substr(i, j - i))) {
            out.push_back(*op);
        }
        i = j + 1;
    }
    return out;
}

std::vector<GrantRecord> rows(const RecordSet& rs) {
    std::vector<GrantRecord> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r) {
        GrantRecord g;
        g.id = str(rs, 0, r);
        g.keyId = str(rs, 1, r);
        g.name = str(rs, 2, r);
        g.granteeKind = parseGranteeKind(str(rs, 3, r)).value_or(GranteeKind::Credential);
        g.grantee = str(rs, 4, r);
        g.operations = splitOperations(str(rs, 5, r));
        g.issuingPrincipal = str(rs, 6, r);
        g.retiringPrincipal = str(rs, 7, r);
        g.createdAtMs = rs.value(8, r).convert<std::int64_t>();
        out.push_back(std::move(g));
    }
    return out;
}

}  // namespace

std::string_view name(GrantOperation op) {
    for (const auto& [o, n] : kOperations) {
        if (o == op) return n;
    }
    return "";
}

std::optional<GrantOperation> parseGrantOperation(std::string_view s) {
    for (const auto& [o, n] : kOperations) {
        if (n == s) return o;
    }
    return std::nullopt;
}

std::string_view name(GranteeKind k) {
    return k == GranteeKind::Domain ? "domain" : "credential";
}

std::optional<GranteeKind> parseGranteeKind(std::string_view s) {
    if (s == "domain") return GranteeKind::Domain;
    if (s == "credential") return GranteeKind::Credential;
    return std::nullopt;
}

bool GrantRecord::allows(GrantOperation op) const {
    return std::find(operations.begin(), operations.end(), op) != operations.end();
}

namespace grant_store {

void insert(Poco::Data::Session& s, const GrantRecord& g) {
    s << "INSERT INTO grants (" << kColumns << ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", bind(g.id),
        bind(g.keyId), bind(g.name), bind(std::string(name(g.granteeKind))), bind(g.grantee),
        bind(joinOperations(g.operations)), bind(g.issuingPrincipal), bind(g.retiringPrincipal),
        bind(g.createdAtMs), now;
}

std::optional<GrantRecord> find(Poco::Data::Session& s, const std::string& id) {
    Statement st(s);
    st << "SELECT " << kColumns << " FROM grants WHERE id = ?", bind(id), now;
    auto found = rows(RecordSet(st));
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

bool remove(Poco::Data::Session& s, const std::string& id) {
    Statement st(s);
    st << "DELETE FROM grants WHERE id = ?", bind(id);
    return st.execute() > 0;
}

std::size_t countForKey(Poco::Data::Session& s, const std::string& keyId) {
    std::int64_t n = 0;
    s << "SELECT COUNT(*) FROM grants WHERE key_id = ?", bind(keyId), into(n), now;
    return static_cast<std::size_t>(n);
}

GrantPage listForKey(Poco::Data::Session& s, const std::string& keyId, std::size_t limit,
                     const std::optional<std::string>& marker) {
    GrantPage out;
    Statement st(s);
    const auto lim = static_cast<std::int64_t>(limit);
    if (marker) {
        st << "SELECT " << kColumns
           << " FROM grants WHERE key_id = ? AND (created_ms, id) >"
              " (SELECT created_ms, id FROM grants WHERE id = ?) ORDER BY created_ms, id LIMIT ?",
            bind(keyId), bind(*marker), bind(lim), now;
    } else {
        st << "SELECT " << kColumns
           << " FROM grants WHERE key_id = ? ORDER BY created_ms, id LIMIT ?",
            bind(keyId), bind(lim), now;
    }
    out.grants = rows(RecordSet(st));
    out.total = countForKey(s, keyId);
    return out;
}

GrantPage listRetirable(Poco::Data::Session& s, const std::string& domainId,
                        const std::string& accessKey, std::size_t limit,
                        const std::optional<std::string>& marker) {
    GrantPage out;
    Statement st(s);
    const auto lim = static_cast<std::int64_t>(limit);
    if (marker) {
        st << "SELECT " << kColumns
           << " FROM grants WHERE retiring_principal IN (?, ?) AND (created_ms, id) >"
              " (SELECT created_ms, id FROM grants WHERE id = ?) ORDER BY created_ms, id LIMIT ?",
            bind(domainId), bind(accessKey), bind(*marker), bind(lim), now;
    } else {
        st << "SELECT " << kColumns
           << " FROM grants WHERE retiring_principal IN (?, ?) ORDER BY created_ms, id LIMIT ?",
            bind(domainId), bind(accessKey), bind(lim), now;
    }
    out.grants = rows(RecordSet(st));
    std::int64_t n = 0;
    s << "SELECT COUNT(*) FROM grants WHERE retiring_principal IN (?, ?)", bind(domainId),
        bind(accessKey), into(n), now;
    out.total = static_cast<std::size_t>(n);
    return out;
}

std::vector<GrantRecord> forGrantee(Poco::Data::Session& s, const std::string& keyId,
                                    const std::string& domainId, const std::string& accessKey) {
    Statement st(s);
    st << "SELECT " << kColumns
       << " FROM grants WHERE key_id = ? AND ((grantee_kind = 'domain' AND grantee = ?)"
          " OR (grantee_kind = 'credential' AND grantee = ?))",
        bind(keyId), bind(domainId), bind(accessKey), now;
    return rows(RecordSet(st));
}

}  // namespace grant_store
}  // namespace keyport
