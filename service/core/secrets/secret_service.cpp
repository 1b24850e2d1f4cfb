#include "service/core/secrets/secret_service.h"

#include <algorithm>
#include <functional>
#include <regex>

#include "service/core/base/clock.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"
#include "service/core/secrets/secret_envelope.h"

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
                             std::int64_t deletionWindowSeconds)
    : db_(db),
      keys_(keys),
      deletionWindowMs_(deletionWindowSeconds * 1000),
      cmks_(keys, regions, material),
      replication_(db, keys, tenancy, regions, cmks_, locks_) {}

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
    return VersionView{s.name, v.versionId, v.createdMs, stagesOf(stages, v.versionId)};
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
    const std::string vid = versionName(1);
    const auto sealed = envelope::seal(cmkOf(cmk), cmd.value.bytes.reveal(),
                                       envelope::associatedData(r.name, vid), {});
    const SecretVersion v{r.id,
                          vid,
                          1,
                          r.createdMs,
                          cmk.id,
                          sealed.wrappedDataKey,
                          sealed.iv,
                          sealed.ciphertext,
                          cmd.value.binary};
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
                                 const std::optional<std::string>& description,
                                 const std::optional<std::string>& kmsKeyId) {
    std::lock_guard lock(lockFor(scope.projectId, name));
    SecretRecord r = writable(scope, name);
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

SecretView SecretService::scheduleDeletion(const ProjectScope& scope, const std::string& name) {
    std::lock_guard lock(lockFor(scope.projectId, name));
    SecretRecord r = writable(scope, name);
    const std::int64_t t = epochMillis();
    db_.write([&](Poco::Data::Session& s) {
        // The replicas go with their primary.
        auto all = secret_store::replicasOf(s, r.id);
        all.push_back(r);
        for (auto& x : all) {
            x.state = SecretState::PendingDeletion;
            x.scheduledDeleteMs = t + deletionWindowMs_;
            x.updatedMs = t;
            secret_store::save(s, x);
        }
    });
    return describe(scope, name);
}

SecretView SecretService::restore(const ProjectScope& scope, const std::string& name) {
    std::lock_guard lock(lockFor(scope.projectId, name));
    SecretRecord r = load(scope, name).secret;
    if (r.isReplica())
        throw Error(ErrorCode::SecretReadOnly, "secret " + name + " is a read-only replica");
    if (r.state != SecretState::PendingDeletion) {
        throw Error(ErrorCode::InvalidRequest, "secret " + name + " is not scheduled for deletion");
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
                                      const SecretValue& value) {
    checkValue(value);
    std::lock_guard lock(lockFor(scope.projectId, name));
    SecretRecord r = writable(scope, name);
    const auto replicas =
        db_.read([&](Poco::Data::Session& s) { return secret_store::replicasOf(s, r.id); });
    const KeyRecord cmk = cmkFor(scope, r.kmsKeyId);
    const std::vector<envelope::Cmk> targets = replication_.replicaCmks(replicas);
    const std::int64_t seq = r.nextVersion;
    const std::string vid = versionName(seq);
    const auto sealed = envelope::seal(cmkOf(cmk), value.bytes.reveal(),
                                       envelope::associatedData(r.name, vid), targets);
    const std::int64_t t = epochMillis();
    std::map<std::string, std::string> stages;
    db_.write([&](Poco::Data::Session& s) {
        // Primary and every replica get the version, the stages and the pruning in one
        // transaction: a replica is never half a version behind.
        for (std::size_t i = 0; i <= replicas.size(); ++i) {
            SecretRecord x = i < replicas.size() ? replicas[i] : r;
            const hsm::Bytes& wrapped =
                i < replicas.size() ? sealed.replicaKeys[i] : sealed.wrappedDataKey;
            secret_store::insertVersion(
                s, SecretVersion{x.id, vid, seq, t, x.kmsKeyId, wrapped, sealed.iv,
                                 sealed.ciphertext, value.binary});
            auto st = secret_store::stages(s, x.id);
            if (auto cur = st.find(kStageCurrent); cur != st.end()) {
                secret_store::putStage(s, x.id, kStagePrevious, cur->second, t);
            }
            secret_store::putStage(s, x.id, kStageCurrent, vid, t);
            st = secret_store::stages(s, x.id);
            auto all = secret_store::versions(s, x.id);
            for (std::size_t k = 0; all.size() - k > kMaxVersionsKept && k < all.size(); ++k) {
                if (stagesOf(st, all[k].versionId).empty())
                    secret_store::removeVersion(s, x.id, all[k].versionId);
            }
            x.nextVersion = seq + 1;
            x.updatedMs = t;
            secret_store::save(s, x);
            if (i == replicas.size()) stages = st;
        }
    });
    return VersionView{r.name, vid, t, stagesOf(stages, vid)};
}

std::vector<VersionView> SecretService::listVersions(const ProjectScope& scope,
                                                     const std::string& name) {
    const Loaded l = load(scope, name);
    std::vector<VersionView> out;
    for (const auto& v : l.versions) out.push_back(viewOf(l.secret, v, l.stages));
    return out;
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
    // The CMK that wrapped this version, in the secret's project (checked as usable: a
    // disabled CMK stops reads as KMS would).
    const ProjectScope owner{l.secret.domainId, l.secret.projectId, l.secret.region};
    const KeyRecord cmk = keys_.usable(owner, v->kmsKeyId);
    hsm::SecretBytes plain = envelope::open(cmkOf(cmk), v->wrappedDataKey, v->iv, v->ciphertext,
                                            envelope::associatedData(l.secret.name, v->versionId));
    return VersionValue{viewOf(l.secret, *v, l.stages), SecretValue{std::move(plain), v->binary}};
}

VersionView SecretService::putStage(const ProjectScope& scope, const std::string& name,
                                    const std::string& stage, const std::string& versionId) {
    checkName(stage, Input::SecretStage);
    std::lock_guard lock(lockFor(scope.projectId, name));
    SecretRecord r = writable(scope, name);
    const std::int64_t t = epochMillis();
    std::optional<VersionView> out;
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
        out = viewOf(r, *v, secret_store::stages(s, r.id));
    });
    return *out;
}

VersionView SecretService::getStage(const ProjectScope& scope, const std::string& name,
                                    const std::string& stage) {
    checkName(stage, Input::SecretStage);
    const Loaded l = load(scope, name);
    auto it = l.stages.find(stage);
    if (it == l.stages.end())
        throw Error(ErrorCode::SecretNotFound, "secret " + name + " has no stage " + stage);
    for (const auto& v : l.versions) {
        if (v.versionId == it->second) return viewOf(l.secret, v, l.stages);
    }
    throw Error(ErrorCode::SecretNotFound, "secret " + name + " has no stage " + stage);
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
