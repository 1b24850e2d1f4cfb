// Operation rows: Exoscale-style asynchronous replications as persisted (so they survive
// restarts), and the SQL that reads and writes them.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace keyport {

struct Operation {
    std::string id;
    std::string domainId;
    std::string projectId;
    std::string keyId;
    std::string zone;
    std::string state = "pending";  // pending, success, failure, timeout
    std::optional<std::string> reason;
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
