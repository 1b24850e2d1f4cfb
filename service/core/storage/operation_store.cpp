#include "service/core/storage/operation_store.h"
#include "service/core/storage/sql_values.h"

#include <Poco/Data/RecordSet.h>

namespace keyport {

std::string_view name(OperationState s) {
    switch (s) {
        case OperationState::Pending:
            return "pending";
        case OperationState::Success:
            return "success";
        case OperationState::Failure:
            return "failure";
        case OperationState::Timeout:
            return "timeout";
    }
    return "failure";
}

std::optional<OperationState> parseOperationState(std::string_view s) {
    for (auto st : {OperationState::Pending, OperationState::Success, OperationState::Failure,
                    OperationState::Timeout}) {
        if (name(st) == s) return st;
    }
    return std::nullopt;
}

}  // namespace keyport

namespace keyport::operation_store {
namespace {

using namespace Poco::Data::Keywords;

std::optional<std::string> failureName(const std::optional<ErrorCode>& c) {
    if (!c) return std::nullopt;
    return std::string(name(*c));
}

constexpr char kColumns[] =
    "id, domain_id, project_id, key_id, zone, state, reason, message, reference_id, created_ms, "
    "updated_ms";

}  // namespace

void insert(Poco::Data::Session& s, const Operation& o) {
    s << "INSERT INTO operations (id, domain_id, project_id, kind, key_id, zone, state, "
         "created_ms, updated_ms)"
         " VALUES (?, ?, ?, 'replicate', ?, ?, 'pending', ?, ?)",
        bind(o.id), bind(o.domainId), bind(o.projectId), bind(o.keyId), bind(o.zone),
        bind(o.createdMs), bind(o.updatedMs), now;
}

void save(Poco::Data::Session& s, const Operation& o) {
    s << "UPDATE operations SET state = ?, reason = ?, message = ?, reference_id = ?, "
         "updated_ms = ? WHERE id = ?",
        bind(std::string(name(o.state))), bind(nullable(failureName(o.failure))),
        bind(nullable(o.message)), bind(nullable(o.referenceId)), bind(o.updatedMs), bind(o.id),
        now;
}

std::optional<Operation> find(Poco::Data::Session& s, const std::string& id) {
    Poco::Data::Statement st(s);
    st << "SELECT " << kColumns << " FROM operations WHERE id = ?", bind(id), now;
    Poco::Data::RecordSet rs(st);
    if (rs.rowCount() == 0) return std::nullopt;
    Operation o;
    o.id = str(rs, 0, 0);
    o.domainId = str(rs, 1, 0);
    o.projectId = str(rs, 2, 0);
    o.keyId = str(rs, 3, 0);
    o.zone = str(rs, 4, 0);
    o.state = parseOperationState(str(rs, 5, 0)).value_or(OperationState::Failure);
    if (const auto reason = optString(rs, 6, 0)) {
        o.failure = parseErrorCode(*reason).value_or(ErrorCode::Internal);
    }
    o.message = optString(rs, 7, 0);
    o.referenceId = optString(rs, 8, 0);
    o.createdMs = rs.value(9, 0).convert<std::int64_t>();
    o.updatedMs = rs.value(10, 0).convert<std::int64_t>();
    return o;
}

std::vector<std::string> pendingIds(Poco::Data::Session& s) {
    std::vector<std::string> v;
    s << "SELECT id FROM operations WHERE state = 'pending'", into(v), now;
    return v;
}

}  // namespace keyport::operation_store
