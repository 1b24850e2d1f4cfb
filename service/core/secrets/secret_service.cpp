#include "service/core/secrets/secret_service.h"

#include <algorithm>
#include <functional>
#include <regex>

#include "service/core/base/clock.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"
#include "service/core/secrets/secret_envelope.h"
#include "service/core/secrets/secret_password.h"

namespace keyport {
namespace {

bool validName(const std::string& s) {
    static const std::regex re("^[a-zA-Z0-9_-]{1,64}$");
    return std::regex_match(s, re);
}

void checkName(const std::string& value, Input input) {
    if (!validName(value)) {
        throw Error(ErrorCode::InvalidParameter, "must match ^[a-zA-Z0-9_-]{1,64}$", input);
    }
}

void checkValue(const SecretValue& v) {
    if (v.bytes.empty() || v.bytes.size() > kMaxSecretValue) {
        throw Error(ErrorCode::InvalidParameter,
                    "must be 1 to " + std::to_string(kMaxSecretValue) + " bytes",
                    v.binary ? Input::SecretBinary : Input::SecretString)
            .withLimit(kMaxSecretValue);
    }
}

[[noreturn]] void secretNotFound(const std::string& name) {
    throw Error(ErrorCode::SecretNotFound, "secret " + name + " does not exist", Input::SecretName);
}

std::string versionName(std::int64_t n) {
    return "v" + std::to_string(n);
}

bool builtInStage(const std::string& stage) {
    return stage == kStageCurrent || stage == kStagePrevious;
}

void checkStages(const std::vector<std::string>& stages) {
    if (stages.empty() || stages.size() > kMaxStagesPerVersion) {
        throw Error(ErrorCode::InvalidParameter,
                    "must name 1 to " + std::to_string(kMaxStagesPerVersion) + " stages",
                    Input::SecretStage)
            .withLimit(kMaxStagesPerVersion);
    }
    for (const auto& st : stages) checkName(st, Input::SecretStage);
}

void checkTag(const SecretTag& t) {
    const auto bad = [](const std::string& v) {
        return std::any_of(v.begin(), v.end(), [](char c) {
            return static_cast<unsigned char>(c) < 32 || c == '*' || c == '<' || c == '>' ||
                   c == '\\' || c == '=';
        });
    };
    if (t.key.empty() || t.key.size() > 128 || bad(t.key))
        throw Error(
            ErrorCode::InvalidParameter,
            "must be 1 to 128 characters without control characters or * < > \\ =", Input::TagKey);
    if (t.value.size() > 255 || bad(t.value))
        throw Error(ErrorCode::InvalidParameter,
                    "must be at most 255 characters without control characters or * < > \\ =",
                    Input::TagValue);
}

std::vector<std::string> stagesOf(const std::map<std::string, std::string>& stages,
                                  const std::string& versionId) {
    std::vector<std::string> out;
    for (const auto& [stage, v] : stages) {
        if (v == versionId) out.push_back(stage);
    }
    return out;
}

}  // namespace

SecretService::SecretService(Database& db, KeyService& keys, Tenancy& tenancy,
                             RegionTokens& regions, KeyMaterial& material,
                             std::int64_t recoveryDaySeconds)
    : db_(db),
      keys_(keys),
      recoveryDayMs_(recoveryDaySeconds * 1000),
      regions_(regions),
      cmks_(keys, regions, material),
      replication_(db, keys, tenancy, regions, cmks_, locks_),
      backups_(db, keys, regions, cmks_) {}

std::mutex& SecretService::lockFor(const std::string& projectId, const std::string& name) {
    return locks_.lockFor(projectId, name);
}

KeyRecord SecretService::cmkFor(const ProjectScope& scope,
                                const std::optional<std::string>& kmsKeyId) {
    return cmks_.cmkFor(scope, kmsKeyId);
}

envelope::Cmk SecretService::cmkOf(const KeyRecord& k) {
    return cmks_.cmkOf(k);
}

SecretService::Loaded SecretService::load(const ProjectScope& scope, const std::string& name) {
    checkName(name, Input::SecretName);
    return db_.read([&](Poco::Data::Session& s) {
        auto secret = secret_store::find(s, scope.projectId, name);
        if (!secret || secret->domainId != scope.domainId) secretNotFound(name);
        return Loaded{*secret, secret_store::stages(s, secret->id),
                      secret_store::versions(s, secret->id)};
    });
}

SecretRecord SecretService::writable(const ProjectScope& scope, const std::string& name) {
    SecretRecord s = load(scope, name).secret;
    if (s.isReplica()) {
        auto primary = db_.read(
            [&](Poco::Data::Session& ss) { return secret_store::findById(ss, *s.primaryId); });
        throw Error(ErrorCode::SecretReadOnly,
                    "secret " + name + " is a read-only replica; write to its primary" +
                        (primary ? " in region " + primary->region : std::string()));
    }
    if (s.state == SecretState::PendingDeletion) {
        throw Error(ErrorCode::SecretPendingDeletion,
                    "secret " + name + " is scheduled for deletion");
    }
    return s;
}

SecretView SecretService::viewOf(const SecretRecord& secret) {
    return db_.read([&](Poco::Data::Session& s) {
        SecretView v{secret, std::nullopt, {}, secret_store::versions(s, secret.id).size()};
        if (secret.primaryId) v.primary = secret_store::findById(s, *secret.primaryId);
        for (auto& r : secret_store::replicasOf(s, secret.id)) {
            const std::size_t n = secret_store::versions(s, r.id).size();
            v.replicas.push_back(ReplicaStatus{std::move(r), n, n == v.versions});
        }
        return v;
    });
}

VersionView SecretService::viewOf(const SecretRecord& s, const SecretVersion& v,
                                  const std::map<std::string, std::string>& stages) {
    return VersionView{s.name,     v.versionId, v.createdMs,
                       v.expireMs, v.kmsKeyId,  stagesOf(stages, v.versionId)};
}

SecretView SecretService::create(const ProjectScope& scope, const CreateSecret& cmd) {
    checkName(cmd.name, Input::NewSecretName);
    checkValue(cmd.value);
    if (cmd.description.size() > 2048) {
        throw Error(ErrorCode::InvalidParameter, "is at most 2048 characters",
                    Input::SecretDescription)
            .withLimit(2048);
    }
    std::lock_guard lock(lockFor(scope.projectId, cmd.name));
    const KeyRecord cmk = cmkFor(scope, cmd.kmsKeyId);
    SecretRecord r;
    r.id = newUuid();
    r.domainId = scope.domainId;
    r.projectId = scope.projectId;
    r.region = scope.region;
    r.name = cmd.name;
    r.description = cmd.description;
    r.kmsKeyId = cmk.id;
    r.createdMs = r.updatedMs = epochMillis();
    r.nextVersion = 2;
    r.secretType = cmd.secretType;
    r.autoRotation = cmd.autoRotation;
    r.rotationPeriod = cmd.rotationPeriod;
    r.rotationConfig = cmd.rotationConfig;
    r.eventSubscriptions = cmd.eventSubscriptions;
    r.enterpriseProjectId = cmd.enterpriseProjectId;
    const std::string vid = versionName(1);
    const envelope::Cmk wrapping = cmkOf(cmk);
    const auto sealed = envelope::seal(wrapping, cmd.value.bytes.reveal(),
                                       envelope::associatedData(r.name, vid), {});
    const SecretVersion v{r.id,
                          vid,
                          1,
                          r.createdMs,
                          cmk.id,
                          sealed.wrappedDataKey,
                          sealed.iv,
                          sealed.ciphertext,
                          cmd.value.binary,
                          0,
                          wrapping.version};
    db_.write([&](Poco::Data::Session& s) {
        if (secret_store::find(s, scope.projectId, cmd.name)) {
            throw Error(ErrorCode::SecretExists, "'" + cmd.name + "' is taken by another secret",
                        Input::NewSecretName);
        }
        secret_store::insert(s, r);
        secret_store::insertVersion(s, v);
        secret_store::putStage(s, r.id, kStageCurrent, vid, r.createdMs);
    });
    return viewOf(r);
}

SecretView SecretService::describe(const ProjectScope& scope, const std::string& name) {
    return viewOf(load(scope, name).secret);
}

std::vector<SecretRecord> SecretService::list(const ProjectScope& scope, std::size_t limit,
                                              const std::optional<std::string>& marker) {
    return db_.read([&](Poco::Data::Session& s) {
        auto all = secret_store::list(s, scope.projectId, limit, marker);
        std::erase_if(all, [&](const SecretRecord& r) { return r.domainId != scope.domainId; });
        return all;
    });
}

SecretView SecretService::update(const ProjectScope& scope, const std::string& name,
                                 const SecretUpdate& change) {
    const auto& description = change.description;
    const auto& kmsKeyId = change.kmsKeyId;
    std::lock_guard lock(lockFor(scope.projectId, name));
    SecretRecord r = writable(scope, name);
    if (change.autoRotation) r.autoRotation = *change.autoRotation;
    if (change.rotationPeriod) r.rotationPeriod = *change.rotationPeriod;
    if (change.eventSubscriptions) r.eventSubscriptions = *change.eventSubscriptions;
    if (description) {
        if (description->size() > 2048) {
            throw Error(ErrorCode::InvalidParameter, "is at most 2048 characters",
                        Input::SecretDescription)
                .withLimit(2048);
        }
        r.description = *description;
    }
    if (kmsKeyId) r.kmsKeyId = cmkFor(scope, kmsKeyId).id;  // for versions made from now on
    r.updatedMs = epochMillis();
    db_.write([&](Poco::Data::Session& s) { secret_store::save(s, r); });
    return viewOf(r);
}

void SecretService::remove(const ProjectScope& scope, const std::string& name) {
    std::lock_guard lock(lockFor(scope.projectId, name));
    const SecretRecord r = load(scope, name).secret;
    if (r.isReplica()) {
        throw Error(ErrorCode::SecretReadOnly,
                    "secret " + name + " is a read-only replica; delete its primary");
    }
    db_.write([&](Poco::Data::Session& s) {
        // The replicas go with their primary (as they do at the end of a scheduled deletion).
        for (const auto& x : secret_store::replicasOf(s, r.id)) secret_store::remove(s, x.id);
        secret_store::remove(s, r.id);
    });
}

SecretView SecretService::scheduleDeletion(const ProjectScope& scope, const std::string& name,
                                           int days) {
    if (days < 7 || days > 30) {
        throw Error(ErrorCode::InvalidParameter, "must be 7 to 30 (days)", Input::PendingDays)
            .withLimit(30);
    }
    std::lock_guard lock(lockFor(scope.projectId, name));
    SecretRecord r = writable(scope, name);
    const std::int64_t t = epochMillis();
    db_.write([&](Poco::Data::Session& s) {
        // The replicas go with their primary.
        auto all = secret_store::replicasOf(s, r.id);
        all.push_back(r);
        for (auto& x : all) {
            x.state = SecretState::PendingDeletion;
            x.scheduledDeleteMs = t + days * recoveryDayMs_;
            x.updatedMs = t;
            secret_store::save(s, x);
        }
    });
    return describe(scope, name);
}

SecretView SecretService::cancelDeletion(const ProjectScope& scope, const std::string& name) {
    std::lock_guard lock(lockFor(scope.projectId, name));
    SecretRecord r = load(scope, name).secret;
    if (r.isReplica())
        throw Error(ErrorCode::SecretReadOnly, "secret " + name + " is a read-only replica");
    if (r.state != SecretState::PendingDeletion) {
        throw Error(ErrorCode::SecretNotPendingDeletion,
                    "secret " + name + " is not scheduled for deletion");
    }
    const std::int64_t t = epochMillis();
    db_.write([&](Poco::Data::Session& s) {
        auto all = secret_store::replicasOf(s, r.id);
        all.push_back(r);
        for (auto& x : all) {
            x.state = SecretState::Enabled;
            x.scheduledDeleteMs.reset();
            x.updatedMs = t;
            secret_store::save(s, x);
        }
    });
    return describe(scope, name);
}

VersionView SecretService::putVersion(const ProjectScope& scope, const std::string& name,
                                      const SecretValue& value,
                                      const std::optional<std::vector<std::string>>& stages) {
    checkValue(value);
    if (stages) checkStages(*stages);
    std::lock_guard lock(lockFor(scope.projectId, name));
    const SecretRecord r = writable(scope, name);
    VersionView out;
    writeVersion(r, value, stages.value_or(std::vector<std::string>{kStageCurrent}), 0, out);
    return out;
}

// The caller holds the secret's lock and has checked it writable.
void SecretService::writeVersion(const SecretRecord& r, const SecretValue& value,
                                 const std::vector<std::string>& newStages, std::int64_t rotatedMs,
                                 VersionView& out) {
    const auto replicas =
        db_.read([&](Poco::Data::Session& s) { return secret_store::replicasOf(s, r.id); });
    const ProjectScope scope{r.domainId, r.projectId, r.region};
    const KeyRecord cmk = cmkFor(scope, r.kmsKeyId);
    const std::vector<envelope::Cmk> targets = replication_.replicaCmks(replicas);
    const std::int64_t seq = r.nextVersion;
    const std::string vid = versionName(seq);
    const envelope::Cmk wrapping = cmkOf(cmk);
    const auto sealed = envelope::seal(wrapping, value.bytes.reveal(),
                                       envelope::associatedData(r.name, vid), targets);
    const std::int64_t t = epochMillis();
    std::map<std::string, std::string> stages;
    db_.write([&](Poco::Data::Session& s) {
        // Primary and every replica get the version, the stages and the pruning in one
        // transaction: a replica is never half a version behind.
        for (std::size_t i = 0; i <= replicas.size(); ++i) {
            SecretRecord x = i < replicas.size() ? replicas[i] : r;
            const bool replica = i < replicas.size();
            const hsm::Bytes& wrapped = replica ? sealed.replicaKeys[i] : sealed.wrappedDataKey;
            const std::uint32_t cmkVersion = replica ? targets[i].version : wrapping.version;
            secret_store::insertVersion(
                s, SecretVersion{x.id, vid, seq, t, x.kmsKeyId, wrapped, sealed.iv,
                                 sealed.ciphertext, value.binary, 0, cmkVersion});
            auto st = secret_store::stages(s, x.id);
            for (const auto& stage : newStages) {
                if (stage == kStageCurrent) {
                    if (auto cur = st.find(kStageCurrent); cur != st.end())
                        secret_store::putStage(s, x.id, kStagePrevious, cur->second, t);
                }
                secret_store::putStage(s, x.id, stage, vid, t);
            }
            st = secret_store::stages(s, x.id);
            auto all = secret_store::versions(s, x.id);
            for (std::size_t k = 0; all.size() - k > kMaxVersionsKept && k < all.size(); ++k) {
                if (stagesOf(st, all[k].versionId).empty())
                    secret_store::removeVersion(s, x.id, all[k].versionId);
            }
            x.nextVersion = seq + 1;
            x.updatedMs = t;
            if (rotatedMs) x.rotatedMs = rotatedMs;
            secret_store::save(s, x);
            if (i == replicas.size()) stages = st;
        }
    });
    out = VersionView{r.name, vid, t, 0, cmk.id, stagesOf(stages, vid)};
}

VersionPage SecretService::listVersions(const ProjectScope& scope, const std::string& name,
                                        std::size_t limit, const std::string& marker) {
    const Loaded l = load(scope, name);
    VersionPage page;
    page.previousMarker = marker;
    std::size_t from = 0;
    if (!marker.empty()) {
        const auto it = std::find_if(l.versions.begin(), l.versions.end(),
                                     [&](const SecretVersion& v) { return v.versionId == marker; });
        if (it == l.versions.end()) {
            throw Error(ErrorCode::InvalidParameter, "names no version of secret " + name,
                        Input::ListMarker);
        }
        from = static_cast<std::size_t>(it - l.versions.begin()) + 1;
    }
    for (std::size_t i = from; i < l.versions.size() && page.versions.size() < limit; ++i)
        page.versions.push_back(viewOf(l.secret, l.versions[i], l.stages));
    if (from + page.versions.size() < l.versions.size() && !page.versions.empty())
        page.nextMarker = page.versions.back().versionId;
    return page;
}

VersionValue SecretService::getVersion(const ProjectScope& scope, const std::string& name,
                                       const std::string& versionId) {
    const Loaded l = load(scope, name);
    if (l.secret.state == SecretState::PendingDeletion) {
        throw Error(ErrorCode::SecretPendingDeletion,
                    "secret " + name + " is scheduled for deletion");
    }
    std::string id = versionId;
    if (versionId == "latest") {
        auto cur = l.stages.find(kStageCurrent);
        if (cur == l.stages.end())
            throw Error(ErrorCode::SecretNotFound, "secret " + name + " has no SYSCURRENT");
        id = cur->second;
    }
    const SecretVersion* v = nullptr;
    for (const auto& x : l.versions) {
        if (x.versionId == id) v = &x;
    }
    if (!v)
        throw Error(ErrorCode::SecretNotFound,
                    "names no version of secret " + name + " ('" + versionId + "')",
                    Input::SecretVersion);
    if (v->expireMs && v->expireMs <= epochMillis()) {
        throw Error(ErrorCode::InvalidRequest,
                    "version " + v->versionId + " of secret " + name + " has expired");
    }
    // The CMK that wrapped this version, in the secret's project (checked as usable: a
    // disabled CMK stops reads as KMS would), at the material version that wrapped it.
    const ProjectScope owner{l.secret.domainId, l.secret.projectId, l.secret.region};
    const KeyRecord cmk = keys_.usable(owner, v->kmsKeyId);
    hsm::SecretBytes plain =
        envelope::open(cmks_.cmkOf(cmk, v->cmkVersion), v->wrappedDataKey, v->iv, v->ciphertext,
                       envelope::associatedData(l.secret.name, v->versionId));
    return VersionValue{viewOf(l.secret, *v, l.stages), SecretValue{std::move(plain), v->binary}};
}

StageView SecretService::putStage(const ProjectScope& scope, const std::string& name,
                                  const std::string& stage, const std::string& versionId) {
    checkName(stage, Input::SecretStage);
    std::lock_guard lock(lockFor(scope.projectId, name));
    SecretRecord r = writable(scope, name);
    const std::int64_t t = epochMillis();
    db_.write([&](Poco::Data::Session& s) {
        auto v = secret_store::findVersion(s, r.id, versionId);
        if (!v)
            throw Error(ErrorCode::SecretNotFound,
                        "names no version of secret " + name + " ('" + versionId + "')",
                        Input::SecretVersion);
        std::vector<SecretRecord> all = secret_store::replicasOf(s, r.id);
        all.push_back(r);
        for (const auto& x : all) {
            auto st = secret_store::stages(s, x.id);
            // Moving SYSCURRENT keeps SYSPREVIOUS meaningful, as CSMS does.
            if (stage == kStageCurrent) {
                if (auto cur = st.find(kStageCurrent);
                    cur != st.end() && cur->second != versionId) {
                    secret_store::putStage(s, x.id, kStagePrevious, cur->second, t);
                }
            }
            secret_store::putStage(s, x.id, stage, versionId, t);
        }
    });
    return StageView{stage, r.name, versionId, t};
}

StageView SecretService::getStage(const ProjectScope& scope, const std::string& name,
                                  const std::string& stage) {
    checkName(stage, Input::SecretStage);
    const SecretRecord r = load(scope, name).secret;
    const auto rows =
        db_.read([&](Poco::Data::Session& s) { return secret_store::stageRows(s, r.id); });
    for (const auto& row : rows) {
        if (row.stage == stage) return StageView{stage, r.name, row.versionId, row.updatedMs};
    }
    throw Error(ErrorCode::SecretNotFound, "secret " + name + " has no stage " + stage);
}

void SecretService::deleteStage(const ProjectScope& scope, const std::string& name,
                                const std::string& stage) {
    checkName(stage, Input::SecretStage);
    if (builtInStage(stage)) {
        throw Error(ErrorCode::SecretStageBuiltIn,
                    "stage " + stage + " is built in and cannot be removed");
    }
    std::lock_guard lock(lockFor(scope.projectId, name));
    const SecretRecord r = writable(scope, name);
    db_.write([&](Poco::Data::Session& s) {
        if (!secret_store::stages(s, r.id).count(stage))
            throw Error(ErrorCode::SecretNotFound, "secret " + name + " has no stage " + stage);
        for (const auto& x : secret_store::replicasOf(s, r.id))
            secret_store::removeStage(s, x.id, stage);
        secret_store::removeStage(s, r.id, stage);
    });
}

VersionView SecretService::updateVersion(const ProjectScope& scope, const std::string& name,
                                         const std::string& versionId, std::int64_t expireMs) {
    if (expireMs <= epochMillis()) {
        throw Error(ErrorCode::InvalidParameter, "must be a time in the future (epoch ms)",
                    Input::ExpirationTime);
    }
    std::lock_guard lock(lockFor(scope.projectId, name));
    const SecretRecord r = writable(scope, name);
    std::optional<VersionView> out;
    db_.write([&](Poco::Data::Session& s) {
        auto v = secret_store::findVersion(s, r.id, versionId);
        if (!v)
            throw Error(ErrorCode::SecretNotFound,
                        "names no version of secret " + name + " ('" + versionId + "')",
                        Input::SecretVersion);
        for (const auto& x : secret_store::replicasOf(s, r.id))
            secret_store::setVersionExpiry(s, x.id, versionId, expireMs);
        secret_store::setVersionExpiry(s, r.id, versionId, expireMs);
        v->expireMs = expireMs;
        out = viewOf(r, *v, secret_store::stages(s, r.id));
    });
    return *out;
}

VersionView SecretService::rotate(const ProjectScope& scope, const std::string& name) {
    std::lock_guard lock(lockFor(scope.projectId, name));
    const SecretRecord r = writable(scope, name);
    if (r.secretType == kSecretTypeCommon) {
        throw Error(
            ErrorCode::InvalidRequest,
            "secret " + name + " is of type COMMON, which is not rotated; add a version instead");
    }
    SecretValue value;
    {
        auto session = regions_.token(r.region).session();
        value.bytes = keyport::generatePassword(*session, PasswordRules{});
    }
    VersionView out;
    writeVersion(r, value, {kStageCurrent}, epochMillis(), out);
    return out;
}

hsm::SecretBytes SecretService::generatePassword(const ProjectScope& scope,
                                                 const PasswordRules& rules) {
    auto session = regions_.token(scope.region).session();
    return keyport::generatePassword(*session, rules);
}

SecretRecord SecretService::byRef(const ProjectScope& scope, const std::string& secretRef) {
    const auto found = db_.read([&](Poco::Data::Session& s) {
        auto r = secret_store::findById(s, secretRef);
        if (!r || r->projectId != scope.projectId)
            r = secret_store::find(s, scope.projectId, secretRef);
        return r;
    });
    if (!found || found->domainId != scope.domainId) secretNotFound(secretRef);
    return *found;
}

std::vector<SecretTag> SecretService::tags(const ProjectScope& scope,
                                           const std::string& secretRef) {
    const SecretRecord r = byRef(scope, secretRef);
    return db_.read([&](Poco::Data::Session& s) { return secret_store::tags(s, r.id); });
}

void SecretService::putTags(const ProjectScope& scope, const std::string& secretRef,
                            const std::vector<SecretTag>& tags) {
    for (const auto& t : tags) checkTag(t);
    const SecretRecord found = byRef(scope, secretRef);
    std::lock_guard lock(lockFor(scope.projectId, found.name));
    const SecretRecord r = writable(scope, found.name);
    db_.write([&](Poco::Data::Session& s) {
        for (const auto& t : tags) secret_store::putTag(s, r.id, t);
        if (secret_store::tags(s, r.id).size() > kMaxTagsPerSecret) {
            throw Error(
                ErrorCode::InvalidParameter,
                "would give the secret more than " + std::to_string(kMaxTagsPerSecret) + " tags",
                Input::TagKey)
                .withLimit(kMaxTagsPerSecret);
        }
    });
}

void SecretService::removeTags(const ProjectScope& scope, const std::string& secretRef,
                               const std::vector<std::string>& keys) {
    const SecretRecord found = byRef(scope, secretRef);
    std::lock_guard lock(lockFor(scope.projectId, found.name));
    const SecretRecord r = writable(scope, found.name);
    db_.write([&](Poco::Data::Session& s) {
        for (const auto& k : keys) secret_store::removeTag(s, r.id, k);
    });
}

std::vector<TaggedSecret> SecretService::findByTags(const ProjectScope& scope,
                                                    const SecretTagFilter& filter) {
    for (const auto& [key, values] : filter.tags) {
        checkTag(SecretTag{key, ""});
        for (const auto& v : values) checkTag(SecretTag{key, v});
    }
    return db_.read([&](Poco::Data::Session& s) {
        std::vector<TaggedSecret> out;
        for (auto& r : secret_store::primariesOf(s, scope.projectId)) {
            if (r.domainId != scope.domainId) continue;
            if (r.name.find(filter.nameContains) == std::string::npos) continue;
            auto tags = secret_store::tags(s, r.id);
            const bool all =
                std::all_of(filter.tags.begin(), filter.tags.end(), [&](const auto& want) {
                    return std::any_of(tags.begin(), tags.end(), [&](const SecretTag& t) {
                        return t.key == want.first &&
                               (want.second.empty() ||
                                std::find(want.second.begin(), want.second.end(), t.value) !=
                                    want.second.end());
                    });
                });
            if (all) out.push_back(TaggedSecret{std::move(r), std::move(tags)});
        }
        return out;
    });
}

std::map<std::string, std::vector<std::string>> SecretService::projectTags(
    const ProjectScope& scope) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& t : findByTags(scope, SecretTagFilter{})) {
        for (const auto& tag : t.tags) {
            auto& values = out[tag.key];
            if (std::find(values.begin(), values.end(), tag.value) == values.end())
                values.push_back(tag.value);
        }
    }
    return out;
}

hsm::Bytes SecretService::backup(const ProjectScope& scope, const std::string& name) {
    std::lock_guard lock(lockFor(scope.projectId, name));
    const SecretRecord r = writable(scope, name);
    const auto [versions, stages] = db_.read([&](Poco::Data::Session& s) {
        return std::make_pair(secret_store::versions(s, r.id), secret_store::stageRows(s, r.id));
    });
    return backups_.make(r, versions, stages);
}

SecretView SecretService::restore(const ProjectScope& scope, hsm::ByteView blob) {
    return viewOf(backups_.restore(scope, blob));
}

std::string SecretService::replicate(const ProjectScope& scope, const std::string& name,
                                     const std::string& region,
                                     const std::optional<std::string>& kmsKeyId) {
    std::lock_guard lock(lockFor(scope.projectId, name));
    const SecretRecord primary = writable(scope, name);
    return replication_.create(scope, name, primary, region, kmsKeyId);
}

std::size_t SecretService::purgeDue() {
    const auto ids = db_.read(
        [&](Poco::Data::Session& s) { return secret_store::dueForPurge(s, epochMillis()); });
    for (const auto& id : ids) {
        db_.write([&](Poco::Data::Session& s) {
            for (const auto& r : secret_store::replicasOf(s, id)) secret_store::remove(s, r.id);
            secret_store::remove(s, id);
        });
    }
    return ids.size();
}

std::size_t SecretService::resync() {
    return replication_.resync();
}

}  // namespace keyport
