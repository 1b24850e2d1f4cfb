#include "service/core/storage/key_store.h"
#include "service/core/storage/sql_values.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Nullable.h>

#include <chrono>

#include "service/core/base/clock.h"

namespace keyport::key_store {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::BLOB;
using Poco::Data::RecordSet;
using Poco::Data::Statement;

constexpr char kColumns[] =
    "id, domain_id, project_id, region, alias, description, key_spec, key_usage, origin,"
    " state, created_at_ms, deletion_date_ms, expiration_time, unwrap_path, blob,"
    " public_spki, primary_key_id, multi_zone, key_tag,"
    " material_version, rotation_enabled, rotation_interval_days, rotation_since_ms,"
    " last_rotation_ms, convergent, revision, status_since_ms, revision_at_ms";

Poco::Nullable<std::string> nullablePath(const std::optional<UnwrapPath>& p) {
    if (!p) return {};
    return std::string(name(*p));
}

std::vector<KeyRecord> rows(const RecordSet& rs) {
    std::vector<KeyRecord> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r) {
        KeyRecord k;
        k.id = str(rs, 0, r);
        k.domainId = str(rs, 1, r);
        k.projectId = str(rs, 2, r);
        k.region = str(rs, 3, r);
        k.alias = str(rs, 4, r);
        k.description = str(rs, 5, r);
        k.spec = parseKeySpec(str(rs, 6, r)).value_or(KeySpec::Aes256);
        k.usage = parseStoredKeyUsage(str(rs, 7, r)).value_or(KeyUsage::EncryptDecrypt);
        k.origin = parseOrigin(str(rs, 8, r)).value_or(Origin::Kms);
        k.state = static_cast<KeyState>(rs.value(9, r).convert<int>());
        k.createdAtMs = rs.value(10, r).convert<std::int64_t>();
        k.deletionDateMs = optInt(rs, 11, r);
        k.expirationTime = optInt(rs, 12, r);
        if (auto p = optString(rs, 13, r)) k.unwrapPath = parseUnwrapPath(*p);
        k.blob = optBlob(rs, 14, r);
        k.publicSpki = optBlob(rs, 15, r);
        k.primaryKeyId = optString(rs, 16, r);
        k.multiZone = rs.value(17, r).convert<int>() != 0;
        k.keyTag = optString(rs, 18, r);
        k.materialVersion = rs.value(19, r).convert<std::uint32_t>();
        k.rotation.enabled = rs.value(20, r).convert<int>() != 0;
        k.rotation.intervalDays = rs.value(21, r).convert<std::int64_t>();
        k.rotation.sinceMs = rs.value(22, r).convert<std::int64_t>();
        k.rotation.lastRotationMs = optInt(rs, 23, r);
        k.convergent = rs.value(24, r).convert<int>() != 0;
        k.revision = rs.value(25, r).convert<std::int64_t>();
        k.statusSinceMs = optInt(rs, 26, r).value_or(k.createdAtMs);
        k.revisionAtMs = optInt(rs, 27, r).value_or(k.createdAtMs);
        out.push_back(std::move(k));
    }
    return out;
}

}  // namespace

void insert(Poco::Data::Session& s, const KeyRecord& k) {
    s << "INSERT INTO keys (" << kColumns
      << ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, "
         "?, ?)",
        bind(k.id), bind(k.domainId), bind(k.projectId), bind(k.region), bind(k.alias),
        bind(k.description), bind(std::string(name(k.spec))), bind(std::string(name(k.usage))),
        bind(std::string(name(k.origin))), bind(static_cast<int>(k.state)), bind(k.createdAtMs),
        bind(nullable(k.deletionDateMs)), bind(nullable(k.expirationTime)),
        bind(nullablePath(k.unwrapPath)), bind(nullableBlob(k.blob)),
        bind(nullableBlob(k.publicSpki)), bind(nullable(k.primaryKeyId)), bind(k.multiZone ? 1 : 0),
        bind(nullable(k.keyTag)), bind(static_cast<std::int64_t>(k.materialVersion)),
        bind(k.rotation.enabled ? 1 : 0), bind(k.rotation.intervalDays), bind(k.rotation.sinceMs),
        bind(nullable(k.rotation.lastRotationMs)), bind(k.convergent ? 1 : 0),
        bind(k.statusSinceMs ? k.statusSinceMs : k.createdAtMs), bind(k.createdAtMs), now;
}

// Every UPDATE of a key's row advances its revision (Exoscale's revision.seq); a change of
// state stamps status_since_ms (SQLite compares the row's old state in SET).
void save(Poco::Data::Session& s, const KeyRecord& k) {
    s << "UPDATE keys SET alias = ?, description = ?, state = ?, deletion_date_ms = ?,"
         " expiration_time = ?, unwrap_path = ?, blob = ?, public_spki = ?,"
         " status_since_ms = CASE WHEN state <> ? THEN ? ELSE status_since_ms END,"
         " revision = revision + 1, revision_at_ms = ? WHERE id = ?",
        bind(k.alias), bind(k.description), bind(static_cast<int>(k.state)),
        bind(nullable(k.deletionDateMs)), bind(nullable(k.expirationTime)),
        bind(nullablePath(k.unwrapPath)), bind(nullableBlob(k.blob)),
        bind(nullableBlob(k.publicSpki)), bind(static_cast<int>(k.state)), bind(epochMillis()),
        bind(epochMillis()), bind(k.id), now;
}

std::optional<KeyRecord> find(Poco::Data::Session& s, const std::string& id) {
    Statement st(s);
    st << "SELECT " << kColumns << " FROM keys WHERE id = ?", bind(id), now;
    auto found = rows(RecordSet(st));
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::vector<KeyRecord> group(Poco::Data::Session& s, const std::string& primaryId) {
    Statement st(s);
    st << "SELECT " << kColumns
       << " FROM keys WHERE id = ? OR primary_key_id = ? ORDER BY created_at_ms",
        bind(primaryId), bind(primaryId), now;
    return rows(RecordSet(st));
}

std::optional<KeyRecord> findByTag(Poco::Data::Session& s, const std::string& projectId,
                                   const std::string& tag) {
    Statement st(s);
    st << "SELECT " << kColumns << " FROM keys WHERE project_id = ? AND key_tag = ?",
        bind(projectId), bind(tag), now;
    auto found = rows(RecordSet(st));
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

void move(Poco::Data::Session& s, const std::string& id, const std::string& projectId,
          const std::string& region, const hsm::Bytes& blob) {
    s << "UPDATE keys SET project_id = ?, region = ?, blob = ?, revision = revision + 1,"
         " revision_at_ms = ? WHERE id = ?",
        bind(projectId), bind(region), bind(BLOB(blob.data(), blob.size())), bind(epochMillis()),
        bind(id), now;
}

std::optional<KeyRecord> findByAlias(Poco::Data::Session& s, const std::string& projectId,
                                     const std::string& alias) {
    Statement st(s);
    st << "SELECT " << kColumns << " FROM keys WHERE project_id = ? AND alias = ?", bind(projectId),
        bind(alias), now;
    auto found = rows(RecordSet(st));
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::vector<KeyRecord> list(Poco::Data::Session& s, const std::string& projectId, std::size_t limit,
                            const std::optional<std::string>& marker) {
    Statement st(s);
    const auto lim = static_cast<std::int64_t>(limit);
    if (marker) {
        st << "SELECT " << kColumns
           << " FROM keys WHERE project_id = ? AND (created_at_ms, id) >"
              " (SELECT created_at_ms, id FROM keys WHERE id = ?)"
              " ORDER BY created_at_ms, id LIMIT ?",
            bind(projectId), bind(*marker), bind(lim), now;
    } else {
        st << "SELECT " << kColumns
           << " FROM keys WHERE project_id = ? ORDER BY created_at_ms, id LIMIT ?",
            bind(projectId), bind(lim), now;
    }
    return rows(RecordSet(st));
}

std::size_t count(Poco::Data::Session& s, const std::string& projectId) {
    std::int64_t n = 0;
    s << "SELECT COUNT(*) FROM keys WHERE project_id = ?", bind(projectId), into(n), now;
    return static_cast<std::size_t>(n);
}

namespace {

// The state as readers see it (KeyService applies expiry the same way on every read).
constexpr char kSeenState[] =
    "(CASE WHEN blob IS NOT NULL AND expiration_time IS NOT NULL AND expiration_time <= ?"
    " THEN 5 ELSE state END)";

// " AND ..." for the set fields of `f`; `binds` gets their values in order.
std::string filterSql(const KeyFilter& f) {
    std::string sql;
    if (f.state) sql += std::string(" AND ") + kSeenState + " = ?";
    if (f.spec) sql += " AND key_spec = ?";
    return sql;
}

void bindFilter(Statement& st, const KeyFilter& f, std::int64_t& state, std::string& spec,
                std::int64_t& nowSeconds) {
    nowSeconds = f.nowSeconds;
    if (f.state) {
        state = static_cast<std::int64_t>(*f.state);
        st, bind(nowSeconds), bind(state);
    }
    if (f.spec) {
        spec = std::string(name(*f.spec));
        st, bind(spec);
    }
}

}  // namespace

std::vector<KeyRecord> listFiltered(Poco::Data::Session& s, const std::string& projectId,
                                    const KeyFilter& filter, std::size_t limit,
                                    const std::optional<std::string>& marker) {
    Statement st(s);
    std::int64_t lim = static_cast<std::int64_t>(limit), state = 0, nowSeconds = 0;
    std::string spec;
    st << "SELECT " << kColumns << " FROM keys WHERE project_id = ?" << filterSql(filter)
       << (marker ? " AND (created_at_ms, id) > (SELECT created_at_ms, id FROM keys WHERE id = ?)"
                  : "")
       << " ORDER BY created_at_ms, id LIMIT ?";
    st, bind(projectId);
    bindFilter(st, filter, state, spec, nowSeconds);
    if (marker) st, bind(*marker);
    st, bind(lim), now;
    return rows(RecordSet(st));
}

std::size_t countFiltered(Poco::Data::Session& s, const std::string& projectId,
                          const KeyFilter& filter) {
    Statement st(s);
    std::int64_t n = 0, state = 0, nowSeconds = 0;
    std::string spec;
    st << "SELECT COUNT(*) FROM keys WHERE project_id = ?" << filterSql(filter);
    st, bind(projectId);
    bindFilter(st, filter, state, spec, nowSeconds);
    st, into(n), now;
    return static_cast<std::size_t>(n);
}

std::vector<std::string> expiredIds(Poco::Data::Session& s, std::int64_t nowSeconds) {
    std::vector<std::string> ids;
    s << "SELECT id FROM keys WHERE expiration_time IS NOT NULL AND expiration_time <= ?"
         " AND blob IS NOT NULL",
        bind(nowSeconds), into(ids), now;
    return ids;
}

std::optional<std::int64_t> nextExpiry(Poco::Data::Session& s) {
    Poco::Nullable<std::int64_t> next;
    s << "SELECT MIN(expiration_time) FROM keys WHERE expiration_time IS NOT NULL"
         " AND blob IS NOT NULL",
        into(next), now;
    if (next.isNull()) return std::nullopt;
    return next.value();
}

void saveRotation(Poco::Data::Session& s, const KeyRecord& k) {
    s << "UPDATE keys SET blob = ?, material_version = ?, rotation_enabled = ?,"
         " rotation_interval_days = ?, rotation_since_ms = ?, last_rotation_ms = ?,"
         " revision = revision + 1, revision_at_ms = ? WHERE id = ?",
        bind(nullableBlob(k.blob)), bind(static_cast<std::int64_t>(k.materialVersion)),
        bind(k.rotation.enabled ? 1 : 0), bind(k.rotation.intervalDays), bind(k.rotation.sinceMs),
        bind(nullable(k.rotation.lastRotationMs)), bind(epochMillis()), bind(k.id), now;
}

void putVersion(Poco::Data::Session& s, const std::string& keyId, const MaterialVersion& v) {
    s << "INSERT INTO key_versions (key_id, version, blob) VALUES (?, ?, ?)", bind(keyId),
        bind(static_cast<std::int64_t>(v.version)), bind(BLOB(v.blob.data(), v.blob.size())), now;
}

std::optional<hsm::Bytes> findVersion(Poco::Data::Session& s, const std::string& keyId,
                                      std::uint32_t version) {
    Statement st(s);
    st << "SELECT blob FROM key_versions WHERE key_id = ? AND version = ?", bind(keyId),
        bind(static_cast<std::int64_t>(version)), now;
    RecordSet rs(st);
    if (rs.rowCount() == 0) return std::nullopt;
    return blobValue(rs, 0, 0);
}

std::vector<MaterialVersion> versions(Poco::Data::Session& s, const std::string& keyId) {
    Statement st(s);
    st << "SELECT version, blob FROM key_versions WHERE key_id = ? ORDER BY version", bind(keyId),
        now;
    RecordSet rs(st);
    std::vector<MaterialVersion> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r)
        out.push_back({rs.value(0, r).convert<std::uint32_t>(), blobValue(rs, 1, r)});
    return out;
}

void deleteVersions(Poco::Data::Session& s, const std::string& keyId) {
    s << "DELETE FROM key_versions WHERE key_id = ?", bind(keyId), now;
}

void putMaterialEvent(Poco::Data::Session& s, const std::string& keyId, const MaterialEvent& e) {
    s << "INSERT INTO key_material_events (key_id, version, created_at_ms, automatic)"
         " VALUES (?, ?, ?, ?)",
        bind(keyId), bind(static_cast<std::int64_t>(e.version)), bind(e.createdAtMs),
        bind(e.automatic ? 1 : 0), now;
}

std::vector<MaterialEvent> materialEvents(Poco::Data::Session& s, const std::string& keyId) {
    Statement st(s);
    st << "SELECT version, created_at_ms, automatic FROM key_material_events WHERE key_id = ?"
          " ORDER BY version",
        bind(keyId), now;
    RecordSet rs(st);
    std::vector<MaterialEvent> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r) {
        out.push_back({rs.value(0, r).convert<std::uint32_t>(),
                       rs.value(1, r).convert<std::int64_t>(), rs.value(2, r).convert<int>() != 0});
    }
    return out;
}

void touch(Poco::Data::Session& s, const std::string& id) {
    s << "UPDATE keys SET revision = revision + 1, revision_at_ms = ? WHERE id = ?",
        bind(epochMillis()), bind(id), now;
}

std::vector<std::string> rotationDueIds(Poco::Data::Session& s, std::int64_t nowMs,
                                        std::int64_t dayMs) {
    std::vector<std::string> ids;
    s << "SELECT id FROM keys WHERE rotation_enabled = 1 AND primary_key_id IS NULL"
         " AND blob IS NOT NULL AND state = ?"
         " AND rotation_since_ms + rotation_interval_days * ? <= ?",
        bind(static_cast<int>(KeyState::Enabled)), bind(dayMs), bind(nowMs), into(ids), now;
    return ids;
}

void setPrimary(Poco::Data::Session& s, const std::string& id,
                const std::optional<std::string>& primaryId) {
    s << "UPDATE keys SET primary_key_id = ?, revision = revision + 1, revision_at_ms = ?"
         " WHERE id = ?",
        bind(nullable(primaryId)), bind(epochMillis()), bind(id), now;
}

std::map<std::string, std::string> tags(Poco::Data::Session& s, const std::string& keyId) {
    std::vector<std::string> keys, values;
    s << "SELECT tag_key, tag_value FROM key_tags WHERE key_id = ? ORDER BY tag_key", bind(keyId),
        into(keys), into(values), now;
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i < keys.size(); ++i) out[keys[i]] = values[i];
    return out;
}

void putTag(Poco::Data::Session& s, const std::string& keyId, const std::string& key,
            const std::string& value) {
    s << "INSERT INTO key_tags (key_id, tag_key, tag_value) VALUES (?, ?, ?)"
         " ON CONFLICT (key_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value",
        bind(keyId), bind(key), bind(value), now;
}

bool deleteTag(Poco::Data::Session& s, const std::string& keyId, const std::string& key) {
    Statement st(s);
    st << "DELETE FROM key_tags WHERE key_id = ? AND tag_key = ?", bind(keyId), bind(key);
    return st.execute() > 0;
}

void audit(Poco::Data::Session& s, const std::string& keyId, const std::string& event,
           const std::string& detail) {
    const std::int64_t at = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
    s << "INSERT INTO audit (at_ms, key_id, event, detail) VALUES (?, ?, ?, ?)", bind(at),
        bind(keyId), bind(event), bind(detail), now;
}

}  // namespace keyport::key_store
