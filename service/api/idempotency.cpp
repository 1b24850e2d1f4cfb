#include "service/api/idempotency.h"

#include <Poco/Data/LOB.h>

#include "service/core/base/clock.h"
#include "service/core/base/errors.h"

namespace keyport::api {

using namespace Poco::Data::Keywords;
using Poco::Data::BLOB;

std::optional<Idempotency::Seen> Idempotency::lookup(const std::string& projectId,
                                                     const std::string& sequence,
                                                     const hsm::Bytes& requestHash) {
    return db_.read([&](Poco::Data::Session& s) -> std::optional<Seen> {
        std::vector<BLOB> hash;
        std::vector<int> status;
        std::vector<std::string> body;
        s << "SELECT request_hash, status, body FROM idempotency WHERE project_id = ? AND sequence "
             "= ?",
            bind(projectId), bind(sequence), into(hash), into(status), into(body), now;
        if (hash.empty()) return std::nullopt;
        const auto& stored = hash[0].content();
        if (stored.size() != requestHash.size() ||
            !std::equal(stored.begin(), stored.end(), requestHash.begin())) {
            throw Error(ErrorCode::SequenceConflict,
                        "sequence " + sequence + " was already used for a different request",
                        "sequence");
        }
        if (status[0] == 0) return Seen{std::nullopt};
        return Seen{Response::json(status[0], body[0])};
    });
}

void Idempotency::record(const std::string& projectId, const std::string& sequence,
                         const hsm::Bytes& requestHash, const Response& response,
                         bool storeResponse) {
    const int status = storeResponse ? response.status : 0;
    const std::string body = storeResponse ? response.body : std::string();
    db_.write([&](Poco::Data::Session& s) {
        // Two concurrent first uses: the first to commit wins, the other keeps its answer.
        s << "INSERT OR IGNORE INTO idempotency (project_id, sequence, request_hash, status, body, "
             "created_at)"
             " VALUES (?, ?, ?, ?, ?, ?)",
            bind(projectId), bind(sequence), bind(BLOB(requestHash.data(), requestHash.size())),
            bind(status), bind(body), bind(epochSeconds()), now;
    });
}

}  // namespace keyport::api
