#include "service/core/replication/key_replication.h"

#include "hsm/key_policies.h"
#include "hsm/scoped_objects.h"
#include "service/core/base/clock.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"
#include "service/core/replication/transfer_blob.h"

namespace keyport {
namespace {

CK_KEY_TYPE keyTypeOf(KeySpec spec) {
    if (isSymmetric(spec)) return CKK_AES;
    if (isHmac(spec)) return CKK_GENERIC_SECRET;
    return isRsa(spec) ? CKK_RSA : CKK_EC;
}

// The transient, extractable template a key of this spec is unwrapped with on the way
// through (never usable for crypto; destroyed as soon as it is wrapped again).
hsm::AttributeTemplate transientOf(KeySpec spec) {
    const CK_KEY_TYPE type = keyTypeOf(spec);
    return isSecretKey(spec) ? hsm::policy::transientSecret(type)
                             : hsm::policy::transientPrivate(type);
}

}  // namespace

hsm::Bytes KeyReplication::transferObject(Region& source, hsm::Session& session,
                                          hsm::ObjectHandle clear, KeySpec spec, Region& target) {
    const TransferBlob blob = exportKey(source, session, clear, keyTypeOf(spec), target);
    // The encoded blob is what would cross to another keyportd; decode it as a receiver would.
    const auto received = TransferBlob::decode(blob.encode());
    if (!received) throw Error(ErrorCode::Internal, "transfer blob does not round-trip");
    auto t = target.token->session();
    hsm::ScopedObjects scratch(*t);
    const auto arrived = scratch.keep(importKey(target, *t, *received, transientOf(spec)));
    return material_.seal(target, *t, arrived);
}

hsm::Bytes KeyReplication::transferMaterial(const KeyRecord& k, Region& target) {
    if (!k.blob) throw Error(ErrorCode::KeyPendingImport, "the key has no key material (state 5)");
    Region& source = regions_.region(k.region);
    auto s = source.token->session();
    hsm::ScopedObjects scratch(*s);
    const auto clear = scratch.keep(source.keks->open(*s, *k.blob, transientOf(k.spec)));
    return transferObject(source, *s, clear, k.spec, target);
}

std::vector<MaterialVersion> KeyReplication::transferVersions(const KeyRecord& k, Region& target) {
    std::vector<MaterialVersion> out;
    for (MaterialVersion& v : keys_.versions(k)) {
        KeyRecord old = k;
        old.blob = std::move(v.blob);
        out.push_back({v.version, transferMaterial(old, target)});
    }
    return out;
}

KeyRecord KeyReplication::replicate(const ProjectScope& source, const std::string& keyId,
                                    const ReplicateKey& cmd) {
    const KeyRecord k = keys_.get(source, keyId);
    if (!regions_.has(cmd.replicaRegion)) {
        throw Error(ErrorCode::InvalidParameter,
                    "names " + cmd.replicaRegion + ", which is not a region of this service",
                    Input::TargetRegion);
    }
    if (cmd.replicaRegion == k.region) {
        throw Error(ErrorCode::InvalidParameter,
                    "names " + k.region + ", where the key already lives", Input::TargetRegion);
    }
    const auto project = tenancy_.project(cmd.replicaProjectId);
    if (!project || project->domainId != source.domainId) {
        throw Error(ErrorCode::Forbidden,
                    "project " + cmd.replicaProjectId + " is not a project of your domain");
    }
    if (project->region != cmd.replicaRegion) {
        throw Error(ErrorCode::InvalidParameter,
                    "names project " + cmd.replicaProjectId + ", which lives in region " +
                        project->region + ", not " + cmd.replicaRegion,
                    Input::TargetProject);
    }
    switch (k.state) {
        case KeyState::Enabled:
            break;
        case KeyState::PendingImport:
            throw Error(ErrorCode::KeyPendingImport,
                        "the key has no key material (state 5): nothing to replicate");
        case KeyState::Disabled:
            throw Error(ErrorCode::KeyDisabled, "only an enabled key can be replicated");
        case KeyState::PendingDeletion:
            throw Error(ErrorCode::KeyPendingDeletion,
                        "the key is pending deletion; it cannot be replicated");
        default:
            throw Error(ErrorCode::KeyStateInvalid, "only an enabled key can be replicated");
    }
    for (const KeyRecord& m : keys_.group(k)) {
        if (m.region == cmd.replicaRegion) {
            throw Error(ErrorCode::ReplicaExists,
                        "names " + cmd.replicaRegion + ", where the key already has a replica (" +
                            m.id + ")",
                        Input::TargetRegion);
        }
    }

    KeyRecord r = k;
    r.id = newUuid();
    r.projectId = project->id;
    r.region = cmd.replicaRegion;
    r.alias = cmd.alias;
    r.description = cmd.description;
    r.createdAtMs = r.statusSinceMs = r.revisionAtMs = epochMillis();
    r.revision = 1;
    r.deletionDateMs.reset();
    r.primaryKeyId = k.primaryKeyId.value_or(k.id);
    r.blob = transferMaterial(k, regions_.region(cmd.replicaRegion));
    // The replica decrypts what the primary's earlier versions made, too.
    keys_.insertReplica(r, cmd.tags, transferVersions(k, regions_.region(cmd.replicaRegion)));
    return r;
}

KeyRecord KeyReplication::migrate(const ProjectScope& source, const std::string& keyId,
                                  const ProjectScope& target) {
    const KeyRecord k = keys_.get(source, keyId);
    if (target.region == k.region) {
        throw Error(ErrorCode::InvalidParameter,
                    "names " + k.region + ", where the key already lives", Input::TargetRegion);
    }
    if (k.primaryKeyId || keys_.group(k).size() > 1) {
        throw Error(ErrorCode::InvalidRequest, "a key with replicas cannot be migrated");
    }
    if (keys_.findByAlias(target, k.alias)) {
        throw Error(ErrorCode::AliasExists,
                    "'" + k.alias + "' is taken by another key in region " + target.region,
                    Input::KeyAlias);
    }
    const hsm::Bytes blob = transferMaterial(k, regions_.region(target.region));
    return keys_.move(source, keyId, target, blob,
                      transferVersions(k, regions_.region(target.region)));
}

}  // namespace keyport
