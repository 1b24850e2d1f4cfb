#include "service/core/storage/idempotency_store.h"

#include <Poco/Data/LOB.h>

#include <vector>

namespace keyport::idempotency_store {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::BLOB;

}  // namespace

std::optional<IdempotencyRow> find(Poco::Data::Session& s, const std::string& projectId,
                                   const std::string& sequence) {
    std::vector<BLOB> hash;
    std::vector<int> status;
    std::vector<std::string> body;
    s << "SELECT request_hash, status, body FROM idempotency WHERE project_id = ? AND sequence "
         "= ?",
        bind(projectId), bind(sequence), into(hash), into(status), into(body), now;
    if (hash.empty()) return std::nullopt;
    const auto& stored = hash[0].content();
    return IdempotencyRow{hsm::Bytes(stored.begin(), stored.end()), status[0], body[0]};
}

void insert(Poco::Data::Session& s, const std::string& projectId, const std::string& sequence,
            const IdempotencyRow& row, std::int64_t createdAt) {
    s << "INSERT OR IGNORE INTO idempotency (project_id, sequence, request_hash, status, body, "
         "created_at)"
         " VALUES (?, ?, ?, ?, ?, ?)",
        bind(projectId), bind(sequence), bind(BLOB(row.requestHash.data(), row.requestHash.size())),
        bind(row.status), bind(row.body), bind(createdAt), now;
}

}  // namespace keyport::idempotency_store
