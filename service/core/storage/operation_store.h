// Operation rows: Exoscale-style asynchronous replications as persisted (so they survive
// restarts), and the SQL that reads and writes them.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/core/base/errors.h"

namespace keyport {

enum class OperationState { Pending, Success, Failure, Timeout };
// As stored: "pending", "success", "failure", "timeout".
std::string_view name(OperationState s);
std::optional<OperationState> parseOperationState(std::string_view s);

struct Operation {
    std::string id;
    std::string domainId;
    std::string projectId;
    std::string keyId;
    std::string zone;
    OperationState state = OperationState::Pending;
    // Why it failed: the refusal's code, OperationInterrupted (the process stopped while it
    // ran) or Internal. Stored by ErrorCode name; each dialect words it its own way.
    std::optional<ErrorCode> failure;
    std::optional<std::string> message;
    std::optional<std::string> referenceId;  // the replica key
    std::int64_t createdMs = 0;
    std::int64_t updatedMs = 0;
};

namespace operation_store {

// Inserts a new pending replicate operation.
void insert(Poco::Data::Session& s, const Operation& o);
// Writes the outcome columns (state, reason, message, reference, updated) of an operation.
void save(Poco::Data::Session& s, const Operation& o);
std::optional<Operation> find(Poco::Data::Session& s, const std::string& id);
std::vector<std::string> pendingIds(Poco::Data::Session& s);

}  // namespace operation_store
}  // namespace keyport
