#include "service/core/secrets/secret_replication.h"

#include <algorithm>
#include <functional>
#include <map>

#include "service/core/base/clock.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport {
namespace {

// A primary's versions and stages, read by id (the caller holds its lock).
struct Loaded {
    SecretRecord secret;
    std::map<std::string, std::string> stages;
    std::vector<SecretVersion> versions;
};

Loaded load(Database& db, const SecretRecord& secret) {
    return db.read([&](Poco::Data::Session& s) {
        return Loaded{secret, secret_store::stages(s, secret.id),
                      secret_store::versions(s, secret.id)};
    });
}

}  // namespace

std::mutex& SecretLocks::lockFor(const std::string& projectId, const std::string& name) {
    return stripes_[std::hash<std::string>{}(projectId + "/" + name) % stripes_.size()];
}

SecretReplication::SecretReplication(Database& db, KeyService& keys, Tenancy& tenancy,
                                     RegionTokens& regions, SecretCmks& cmks, SecretLocks& locks)
    : db_(db), keys_(keys), tenancy_(tenancy), regions_(regions), cmks_(cmks), locks_(locks) {}

std::string SecretReplication::create(const ProjectScope& scope, const std::string& name,
                                      const SecretRecord& primary, const std::string& region,
                                      const std::optional<std::string>& kmsKeyId) {
    if (!regions_.has(region)) {
        throw Error(ErrorCode::InvalidParameter,
                    "names " + region + ", which is not a region of this service",
                    Input::TargetRegion);
    }
    if (region == primary.region) {
        throw Error(ErrorCode::InvalidRequest,
                    "names " + region + ", where secret " + name + " already lives",
                    Input::TargetRegion);
    }
    const auto project = tenancy_.projectInRegion(scope.domainId, region);
    if (!project) {
        throw Error(
            ErrorCode::InvalidRequest,
            "names " + region + ", where your domain has no project; create one there first",
            Input::TargetRegion);
    }
    const ProjectScope target{scope.domainId, project->id, region};
    const Loaded l = load(db_, primary);
    db_.read([&](Poco::Data::Session& s) {
        for (const auto& r : secret_store::replicasOf(s, primary.id)) {
            if (r.region == region) {
                throw Error(ErrorCode::SecretExists,
                            "names " + region + ", where secret " + name + " already has a replica",
                            Input::TargetRegion);
            }
        }
        if (secret_store::find(s, target.projectId, name)) {
            throw Error(ErrorCode::SecretExists,
                        "names " + region + ", where a secret named " + name + " already exists",
                        Input::TargetRegion);
        }
        return 0;
    });
    const KeyRecord targetCmk = cmks_.cmkFor(target, kmsKeyId);

    SecretRecord replica = primary;
    replica.id = newUuid();
    replica.projectId = target.projectId;
    replica.region = region;
    replica.kmsKeyId = targetCmk.id;
    replica.primaryId = primary.id;
    replica.createdMs = replica.updatedMs = epochMillis();
    std::vector<SecretVersion> copies;
    for (const auto& v : l.versions) copies.push_back(copyFor(scope, v, replica, targetCmk));
    db_.write([&](Poco::Data::Session& s) {
        secret_store::insert(s, replica);
        for (const auto& c : copies) secret_store::insertVersion(s, c);
        for (const auto& [stage, vid] : l.stages)
            secret_store::putStage(s, replica.id, stage, vid, replica.createdMs);
    });
    return replica.id;
}

SecretVersion SecretReplication::copyFor(const ProjectScope& primaryScope, const SecretVersion& v,
                                         const SecretRecord& replica, const KeyRecord& replicaCmk) {
    const KeyRecord from = keys_.get(primaryScope, v.kmsKeyId);
    SecretVersion c = v;
    c.secretId = replica.id;
    c.kmsKeyId = replicaCmk.id;
    // Unwrapped under the primary CMK's version that wrapped it, wrapped under the replica
    // CMK's current version, which the copy records.
    const envelope::Cmk to = cmks_.cmkOf(replicaCmk);
    c.wrappedDataKey = envelope::rewrap(cmks_.cmkOf(from, v.cmkVersion), v.wrappedDataKey, to);
    c.cmkVersion = to.version;
    return c;
}

std::vector<envelope::Cmk> SecretReplication::replicaCmks(
    const std::vector<SecretRecord>& replicas) {
    std::vector<envelope::Cmk> targets;
    for (const auto& rep : replicas) {
        targets.push_back(cmks_.cmkOf(
            keys_.get(ProjectScope{rep.domainId, rep.projectId, rep.region}, rep.kmsKeyId)));
    }
    return targets;
}

std::size_t SecretReplication::resync() {
    std::size_t copied = 0;
    const auto replicas =
        db_.read([&](Poco::Data::Session& s) { return secret_store::allReplicas(s); });
    for (const auto& rep : replicas) {
        const auto primary = db_.read(
            [&](Poco::Data::Session& s) { return secret_store::findById(s, *rep.primaryId); });
        if (!primary) continue;
        const ProjectScope pscope{primary->domainId, primary->projectId, primary->region};
        std::lock_guard lock(locks_.lockFor(primary->projectId, primary->name));
        const Loaded p = load(db_, *primary);
        const auto have =
            db_.read([&](Poco::Data::Session& s) { return secret_store::versions(s, rep.id); });
        const ProjectScope rscope{rep.domainId, rep.projectId, rep.region};
        const KeyRecord rc = keys_.get(rscope, rep.kmsKeyId);
        std::vector<SecretVersion> missing;
        for (const auto& v : p.versions) {
            const bool present = std::any_of(have.begin(), have.end(), [&](const SecretVersion& h) {
                return h.versionId == v.versionId;
            });
            if (!present) missing.push_back(copyFor(pscope, v, rep, rc));
        }
        if (missing.empty()) continue;
        db_.write([&](Poco::Data::Session& s) {
            for (const auto& c : missing) secret_store::insertVersion(s, c);
            for (const auto& [stage, vid] : p.stages)
                secret_store::putStage(s, rep.id, stage, vid, epochMillis());
        });
        copied += missing.size();
    }
    return copied;
}

}  // namespace keyport
