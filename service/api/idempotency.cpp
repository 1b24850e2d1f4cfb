#include "service/api/idempotency.h"

#include <algorithm>

#include "service/core/base/clock.h"
#include "service/core/base/errors.h"
#include "service/core/storage/idempotency_store.h"

namespace keyport::api {

std::optional<Idempotency::Seen> Idempotency::lookup(const std::string& projectId,
                                                     const std::string& sequence,
                                                     const hsm::Bytes& requestHash) {
    const auto row = db_.read(
        [&](Poco::Data::Session& s) { return idempotency_store::find(s, projectId, sequence); });
    if (!row) return std::nullopt;
    const auto& stored = row->requestHash;
    if (stored.size() != requestHash.size() ||
        !std::equal(stored.begin(), stored.end(), requestHash.begin())) {
        throw Error(ErrorCode::SequenceConflict,
                    "sequence " + sequence + " was already used for a different request",
                    "sequence");
    }
    if (row->status == 0) return Seen{std::nullopt};
    return Seen{Response::json(row->status, row->body)};
}

void Idempotency::record(const std::string& projectId, const std::string& sequence,
                         const hsm::Bytes& requestHash, const Response& response,
                         bool storeResponse) {
    const int status = storeResponse ? response.status : 0;
    const std::string body = storeResponse ? response.body : std::string();
    // Two concurrent first uses: the first to commit wins, the other keeps its answer.
    const IdempotencyRow row{requestHash, status, body};
    db_.write([&](Poco::Data::Session& s) {
        idempotency_store::insert(s, projectId, sequence, row, epochSeconds());
    });
}

}  // namespace keyport::api
