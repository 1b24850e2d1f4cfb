#include "service/core/storage/wrapping_pair_store.h"
#include "service/core/storage/sql_values.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>

namespace keyport::wrapping_pair_store {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::BLOB;

}  // namespace

void insert(Poco::Data::Session& s, const WrappingPairRow& p) {
    const int host = p.hostDecrypt ? 1 : 0;
    s << "INSERT INTO wrapping_pairs (id, region, bits, label, public_spki, host_decrypt,"
         " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        bind(p.id), bind(p.region), bind(static_cast<int>(p.bits)), bind(p.label),
        bind(BLOB(p.publicSpki.data(), p.publicSpki.size())), bind(host), bind(p.createdAt), now;
}

void retire(Poco::Data::Session& s, const std::string& id, std::int64_t retiredAt,
            std::int64_t destroyAfter) {
    s << "UPDATE wrapping_pairs SET retired_at = ?, destroy_after = ? WHERE id = ?",
        bind(retiredAt), bind(destroyAfter), bind(id), now;
}

void remove(Poco::Data::Session& s, const std::string& id) {
    s << "DELETE FROM wrapping_pairs WHERE id = ?", bind(id), now;
}

std::vector<WrappingPairRow> live(Poco::Data::Session& s, std::int64_t nowSeconds) {
    Poco::Data::Statement st(s);
    st << "SELECT id, region, bits, public_spki, host_decrypt, created_at, retired_at"
          " FROM wrapping_pairs"
          " WHERE destroy_after IS NULL OR destroy_after > ? ORDER BY created_at",
        bind(nowSeconds), now;
    Poco::Data::RecordSet rs(st);
    std::vector<WrappingPairRow> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r) {
        WrappingPairRow p;
        p.id = rs.value(0, r).convert<std::string>();
        p.region = rs.value(1, r).convert<std::string>();
        p.bits = rs.value(2, r).convert<unsigned>();
        p.publicSpki = blobValue(rs, 3, r);
        p.hostDecrypt = rs.value(4, r).convert<int>() != 0;
        p.createdAt = rs.value(5, r).convert<std::int64_t>();
        p.retired = !rs.isNull(6, r);
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<std::string> allIds(Poco::Data::Session& s) {
    std::vector<std::string> ids;
    s << "SELECT id FROM wrapping_pairs", into(ids), now;
    return ids;
}

std::vector<std::string> dueForDestruction(Poco::Data::Session& s, std::int64_t nowSeconds) {
    std::vector<std::string> ids;
    s << "SELECT id FROM wrapping_pairs WHERE destroy_after IS NOT NULL AND destroy_after <= ?",
        bind(nowSeconds), into(ids), now;
    return ids;
}

}  // namespace keyport::wrapping_pair_store
