// SQL value helpers: optional values to and from Poco::Data, and BLOB columns read safely.
#pragma once

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Nullable.h>

#include <optional>
#include <string>

#include "hsm/bytes.h"

namespace keyport {

inline hsm::Bytes blobValue(const Poco::Data::RecordSet& rs, std::size_t col, std::size_t row) {
    // RecordSet::value returns a Var by value and extract() refers into it: keep it alive
    // (binding the reference to a temporary's extract() is a use-after-free).
    const Poco::Dynamic::Var v = rs.value(col, row);
    const auto& b = v.extract<Poco::Data::BLOB>();
    return hsm::Bytes(b.begin(), b.end());
}

template <typename T>
Poco::Nullable<T> nullable(const std::optional<T>& v) {
    return v ? Poco::Nullable<T>(*v) : Poco::Nullable<T>();
}

inline Poco::Nullable<Poco::Data::BLOB> nullableBlob(const std::optional<hsm::Bytes>& v) {
    if (!v) return {};
    return Poco::Data::BLOB(v->data(), v->size());
}

inline std::optional<std::int64_t> optInt(const Poco::Data::RecordSet& rs, std::size_t col,
                                          std::size_t row) {
    if (rs.isNull(col, row)) return std::nullopt;
    return rs.value(col, row).convert<std::int64_t>();
}

inline std::optional<std::string> optString(const Poco::Data::RecordSet& rs, std::size_t col,
                                            std::size_t row) {
    if (rs.isNull(col, row)) return std::nullopt;
    return rs.value(col, row).convert<std::string>();
}

inline std::optional<hsm::Bytes> optBlob(const Poco::Data::RecordSet& rs, std::size_t col,
                                         std::size_t row) {
    if (rs.isNull(col, row)) return std::nullopt;
    return blobValue(rs, col, row);
}

inline std::string str(const Poco::Data::RecordSet& rs, std::size_t col, std::size_t row) {
    return rs.value(col, row).convert<std::string>();
}

}  // namespace keyport
