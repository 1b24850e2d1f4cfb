// Reading BLOB columns out of a Poco RecordSet safely.
#pragma once

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>

#include "hsm/bytes.h"

namespace keyport {

inline hsm::Bytes blobValue(const Poco::Data::RecordSet& rs, std::size_t col, std::size_t row) {
    // RecordSet::value returns a Var by value and extract() refers into it: keep it alive
    // (binding the reference to a temporary's extract() is a use-after-free).
    const Poco::Dynamic::Var v = rs.value(col, row);
    const auto& b = v.extract<Poco::Data::BLOB>();
    return hsm::Bytes(b.begin(), b.end());
}

}  // namespace keyport
