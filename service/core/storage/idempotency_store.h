// Idempotency rows: a project's request sequences (Huawei's `sequence`) with the hash of
// the request that first used each and, where it may be kept, its response; and the SQL
// that reads and writes them.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>

#include "hsm/bytes.h"

namespace keyport {

struct IdempotencyRow {
    hsm::Bytes requestHash;
    int status = 0;  // 0: recorded without its response
    std::string body;
};

namespace idempotency_store {

std::optional<IdempotencyRow> find(Poco::Data::Session& s, const std::string& projectId,
                                   const std::string& sequence);
// Records the sequence unless it is already recorded (the first to commit wins).
void insert(Poco::Data::Session& s, const std::string& projectId, const std::string& sequence,
            const IdempotencyRow& row, std::int64_t createdAt);

}  // namespace idempotency_store
}  // namespace keyport
