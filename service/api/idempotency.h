// Idempotency: Huawei's `sequence` as an idempotency key per project. A repeat with the
// same request returns the first response; with another request it is refused. Responses
// that carry plaintext (decrypt, data keys, random) are never stored: their repeat runs
// again, so no secret lands in the database.
#pragma once

#include <optional>
#include <string>

#include "hsm/bytes.h"
#include "service/api/http.h"
#include "service/core/storage/database.h"

namespace keyport::api {

class Idempotency {
  public:
    explicit Idempotency(Database& db) : db_(db) {}

    struct Seen {
        std::optional<Response> response;  // nullopt: recorded without its response, run again
    };
    // nullopt when the sequence is new; Error(SequenceConflict) when it was used for a
    // different request.
    std::optional<Seen> lookup(const std::string& projectId, const std::string& sequence,
                               const hsm::Bytes& requestHash);
    void record(const std::string& projectId, const std::string& sequence,
                const hsm::Bytes& requestHash, const Response& response, bool storeResponse);

  private:
    Database& db_;
};

}  // namespace keyport::api
