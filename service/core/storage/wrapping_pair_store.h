// Wrapping pair rows: the import wrapping key pairs of each region as recorded beside
// their token objects (public half, label, rotation times), and the SQL that reads and
// writes them.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <string>
#include <vector>

#include "hsm/bytes.h"

namespace keyport {

struct WrappingPairRow {
    std::string id;
    std::string region;
    unsigned bits = 0;
    std::string label;
    hsm::Bytes publicSpki;
    bool hostDecrypt = false;
    std::int64_t createdAt = 0;
    bool retired = false;
};

namespace wrapping_pair_store {

void insert(Poco::Data::Session& s, const WrappingPairRow& p);
void retire(Poco::Data::Session& s, const std::string& id, std::int64_t retiredAt,
            std::int64_t destroyAfter);
void remove(Poco::Data::Session& s, const std::string& id);
// Pairs not yet due for destruction at `nowSeconds`, oldest first (label not read).
std::vector<WrappingPairRow> live(Poco::Data::Session& s, std::int64_t nowSeconds);
std::vector<std::string> allIds(Poco::Data::Session& s);
// Ids of retired pairs whose destroy_after is at or before `nowSeconds`.
std::vector<std::string> dueForDestruction(Poco::Data::Session& s, std::int64_t nowSeconds);

}  // namespace wrapping_pair_store
}  // namespace keyport
