#include "service/core/storage/secret_store.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>

#include <algorithm>

#include "service/core/storage/sql_values.h"

namespace keyport::secret_store {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::BLOB;
using Poco::Data::RecordSet;
using Poco::Data::Statement;

// The state column's words (migration 2); rows only ever hold these two.
std::string stateColumn(SecretState s) {
    return s == SecretState::PendingDeletion ? "PENDING_DELETE" : "ENABLED";
}
SecretState stateFrom(const std::string& column) {
    return column == "PENDING_DELETE" ? SecretState::PendingDeletion : SecretState::Enabled;
}

constexpr char kColumns[] =
    "id, domain_id, project_id, region, name, description, kms_key_id, state, created_ms, "
    "updated_ms,"
    " scheduled_delete_ms, primary_id, next_version, secret_type, auto_rotation, rotation_period,"
    " rotation_config, rotated_ms, event_subscriptions, enterprise_project_id";
constexpr char kVersionColumns[] =
    "secret_id, version_id, seq, created_ms, kms_key_id, wrapped_data_key, iv, ciphertext, "
    "is_binary, expire_ms, cmk_version";

// Event subscriptions are names (^[a-zA-Z0-9_-]+$), stored comma-separated.
std::string joinList(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ",") + x;
    return out;
}
std::vector<std::string> splitList(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < s.size()) {
        const std::size_t end = std::min(s.find(',', start), s.size());
        if (end > start) out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::vector<SecretRecord> rows(const RecordSet& rs) {
    std::vector<SecretRecord> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r) {
        SecretRecord x;
        x.id = str(rs, 0, r);
        x.domainId = str(rs, 1, r);
        x.projectId = str(rs, 2, r);
        x.region = str(rs, 3, r);
        x.name = str(rs, 4, r);
        x.description = str(rs, 5, r);
        x.kmsKeyId = str(rs, 6, r);
        x.state = stateFrom(str(rs, 7, r));
        x.createdMs = rs.value(8, r).convert<std::int64_t>();
        x.updatedMs = rs.value(9, r).convert<std::int64_t>();
        x.scheduledDeleteMs = optInt(rs, 10, r);
        x.primaryId = optString(rs, 11, r);
        x.nextVersion = rs.value(12, r).convert<std::int64_t>();
        x.secretType = str(rs, 13, r);
        x.autoRotation = rs.value(14, r).convert<int>() != 0;
        x.rotationPeriod = str(rs, 15, r);
        x.rotationConfig = str(rs, 16, r);
        x.rotatedMs = rs.value(17, r).convert<std::int64_t>();
        x.eventSubscriptions = splitList(str(rs, 18, r));
        x.enterpriseProjectId = str(rs, 19, r);
        out.push_back(std::move(x));
    }
    return out;
}

std::optional<SecretRecord> first(std::vector<SecretRecord> v) {
    if (v.empty()) return std::nullopt;
    return std::move(v.front());
}

std::vector<SecretVersion> versionRows(const RecordSet& rs) {
    std::vector<SecretVersion> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r) {
        SecretVersion v;
        v.secretId = str(rs, 0, r);
        v.versionId = str(rs, 1, r);
        v.seq = rs.value(2, r).convert<std::int64_t>();
        v.createdMs = rs.value(3, r).convert<std::int64_t>();
        v.kmsKeyId = str(rs, 4, r);
        v.wrappedDataKey = blobValue(rs, 5, r);
        v.iv = blobValue(rs, 6, r);
        v.ciphertext = blobValue(rs, 7, r);
        v.binary = rs.value(8, r).convert<int>() != 0;
        v.expireMs = rs.value(9, r).convert<std::int64_t>();
        v.cmkVersion = rs.value(10, r).convert<std::uint32_t>();
        out.push_back(std::move(v));
    }
    return out;
}

}  // namespace

void insert(Poco::Data::Session& s, const SecretRecord& r) {
    const int autoRotation = r.autoRotation ? 1 : 0;
    s << "INSERT INTO secrets (" << kColumns
      << ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        bind(r.id), bind(r.domainId), bind(r.projectId), bind(r.region), bind(r.name),
        bind(r.description), bind(r.kmsKeyId), bind(stateColumn(r.state)), bind(r.createdMs),
        bind(r.updatedMs), bind(nullable(r.scheduledDeleteMs)), bind(nullable(r.primaryId)),
        bind(r.nextVersion), bind(r.secretType), bind(autoRotation), bind(r.rotationPeriod),
        bind(r.rotationConfig), bind(r.rotatedMs), bind(joinList(r.eventSubscriptions)),
        bind(r.enterpriseProjectId), now;
}

void save(Poco::Data::Session& s, const SecretRecord& r) {
    const int autoRotation = r.autoRotation ? 1 : 0;
    s << "UPDATE secrets SET description = ?, kms_key_id = ?, state = ?, updated_ms = ?, "
         "scheduled_delete_ms = ?, next_version = ?, auto_rotation = ?, rotation_period = ?,"
         " rotated_ms = ?, event_subscriptions = ? WHERE id = ?",
        bind(r.description), bind(r.kmsKeyId), bind(stateColumn(r.state)), bind(r.updatedMs),
        bind(nullable(r.scheduledDeleteMs)), bind(r.nextVersion), bind(autoRotation),
        bind(r.rotationPeriod), bind(r.rotatedMs), bind(joinList(r.eventSubscriptions)), bind(r.id),
        now;
}

void remove(Poco::Data::Session& s, const std::string& secretId) {
    s << "DELETE FROM secret_tags WHERE secret_id = ?", bind(secretId), now;
    s << "DELETE FROM secret_stages WHERE secret_id = ?", bind(secretId), now;
    s << "DELETE FROM secret_versions WHERE secret_id = ?", bind(secretId), now;
    s << "DELETE FROM secrets WHERE id = ?", bind(secretId), now;
}

std::optional<SecretRecord> find(Poco::Data::Session& s, const std::string& projectId,
                                 const std::string& name) {
    Statement st(s);
    st << "SELECT " << kColumns << " FROM secrets WHERE project_id = ? AND name = ?",
        bind(projectId), bind(name), now;
    return first(rows(RecordSet(st)));
}

std::optional<SecretRecord> findById(Poco::Data::Session& s, const std::string& id) {
    Statement st(s);
    st << "SELECT " << kColumns << " FROM secrets WHERE id = ?", bind(id), now;
    return first(rows(RecordSet(st)));
}

std::vector<SecretRecord> list(Poco::Data::Session& s, const std::string& projectId,
                               std::size_t limit, const std::optional<std::string>& afterName) {
    Statement st(s);
    const auto lim = static_cast<std::int64_t>(limit);
    st << "SELECT " << kColumns
       << " FROM secrets WHERE project_id = ? AND name > ? ORDER BY name LIMIT ?",
        bind(projectId), bind(afterName.value_or("")), bind(lim), now;
    return rows(RecordSet(st));
}

std::vector<SecretRecord> replicasOf(Poco::Data::Session& s, const std::string& primaryId) {
    Statement st(s);
    st << "SELECT " << kColumns << " FROM secrets WHERE primary_id = ? ORDER BY region",
        bind(primaryId), now;
    return rows(RecordSet(st));
}

std::vector<SecretRecord> allReplicas(Poco::Data::Session& s) {
    Statement st(s);
    st << "SELECT " << kColumns << " FROM secrets WHERE primary_id IS NOT NULL", now;
    return rows(RecordSet(st));
}

std::vector<std::string> dueForPurge(Poco::Data::Session& s, std::int64_t nowMs) {
    std::vector<std::string> ids;
    s << "SELECT id FROM secrets WHERE scheduled_delete_ms IS NOT NULL AND scheduled_delete_ms <= ?"
         " AND primary_id IS NULL",
        bind(nowMs), into(ids), now;
    return ids;
}

std::vector<SecretRecord> primariesOf(Poco::Data::Session& s, const std::string& projectId) {
    Statement st(s);
    st << "SELECT " << kColumns
       << " FROM secrets WHERE project_id = ? AND primary_id IS NULL ORDER BY name",
        bind(projectId), now;
    return rows(RecordSet(st));
}

void insertVersion(Poco::Data::Session& s, const SecretVersion& v) {
    const auto cmkVersion = static_cast<std::int64_t>(v.cmkVersion);
    s << "INSERT INTO secret_versions (" << kVersionColumns
      << ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        bind(v.secretId), bind(v.versionId), bind(v.seq), bind(v.createdMs), bind(v.kmsKeyId),
        bind(BLOB(v.wrappedDataKey.data(), v.wrappedDataKey.size())),
        bind(BLOB(v.iv.data(), v.iv.size())), bind(BLOB(v.ciphertext.data(), v.ciphertext.size())),
        bind(v.binary ? 1 : 0), bind(v.expireMs), bind(cmkVersion), now;
}

void setVersionExpiry(Poco::Data::Session& s, const std::string& secretId,
                      const std::string& versionId, std::int64_t expireMs) {
    s << "UPDATE secret_versions SET expire_ms = ? WHERE secret_id = ? AND version_id = ?",
        bind(expireMs), bind(secretId), bind(versionId), now;
}

void removeVersion(Poco::Data::Session& s, const std::string& secretId,
                   const std::string& versionId) {
    s << "DELETE FROM secret_versions WHERE secret_id = ? AND version_id = ?", bind(secretId),
        bind(versionId), now;
}

std::optional<SecretVersion> findVersion(Poco::Data::Session& s, const std::string& secretId,
                                         const std::string& versionId) {
    Statement st(s);
    st << "SELECT " << kVersionColumns
       << " FROM secret_versions WHERE secret_id = ? AND version_id = ?",
        bind(secretId), bind(versionId), now;
    auto v = versionRows(RecordSet(st));
    if (v.empty()) return std::nullopt;
    return std::move(v.front());
}

std::vector<SecretVersion> versions(Poco::Data::Session& s, const std::string& secretId) {
    Statement st(s);
    st << "SELECT " << kVersionColumns << " FROM secret_versions WHERE secret_id = ? ORDER BY seq",
        bind(secretId), now;
    return versionRows(RecordSet(st));
}

std::map<std::string, std::string> stages(Poco::Data::Session& s, const std::string& secretId) {
    std::vector<std::string> stage, version;
    s << "SELECT stage, version_id FROM secret_stages WHERE secret_id = ?", bind(secretId),
        into(stage), into(version), now;
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i < stage.size(); ++i) out[stage[i]] = version[i];
    return out;
}

void putStage(Poco::Data::Session& s, const std::string& secretId, const std::string& stage,
              const std::string& versionId, std::int64_t nowMs) {
    s << "INSERT INTO secret_stages (secret_id, stage, version_id, updated_ms) VALUES (?, ?, ?, ?)"
         " ON CONFLICT (secret_id, stage) DO UPDATE SET version_id = excluded.version_id,"
         " updated_ms = excluded.updated_ms",
        bind(secretId), bind(stage), bind(versionId), bind(nowMs), now;
}

std::vector<SecretStageRow> stageRows(Poco::Data::Session& s, const std::string& secretId) {
    std::vector<std::string> stage, version;
    std::vector<std::int64_t> updated;
    s << "SELECT stage, version_id, updated_ms FROM secret_stages WHERE secret_id = ?"
         " ORDER BY stage",
        bind(secretId), into(stage), into(version), into(updated), now;
    std::vector<SecretStageRow> out;
    for (std::size_t i = 0; i < stage.size(); ++i)
        out.push_back(SecretStageRow{stage[i], version[i], updated[i]});
    return out;
}

void removeStage(Poco::Data::Session& s, const std::string& secretId, const std::string& stage) {
    s << "DELETE FROM secret_stages WHERE secret_id = ? AND stage = ?", bind(secretId), bind(stage),
        now;
}

std::vector<SecretTag> tags(Poco::Data::Session& s, const std::string& secretId) {
    std::vector<std::string> keys, values;
    s << "SELECT tag_key, tag_value FROM secret_tags WHERE secret_id = ? ORDER BY tag_key",
        bind(secretId), into(keys), into(values), now;
    std::vector<SecretTag> out;
    for (std::size_t i = 0; i < keys.size(); ++i) out.push_back(SecretTag{keys[i], values[i]});
    return out;
}

void putTag(Poco::Data::Session& s, const std::string& secretId, const SecretTag& tag) {
    s << "INSERT INTO secret_tags (secret_id, tag_key, tag_value) VALUES (?, ?, ?)"
         " ON CONFLICT (secret_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value",
        bind(secretId), bind(tag.key), bind(tag.value), now;
}

void removeTag(Poco::Data::Session& s, const std::string& secretId, const std::string& key) {
    s << "DELETE FROM secret_tags WHERE secret_id = ? AND tag_key = ?", bind(secretId), bind(key),
        now;
}

}  // namespace keyport::secret_store
