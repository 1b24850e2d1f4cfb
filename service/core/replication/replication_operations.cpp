#include "service/core/replication/replication_operations.h"

#include <chrono>

#include "service/core/base/clock.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"
#include "service/core/base/metrics.h"
#include "service/core/tokens/seal_epochs.h"

namespace keyport {

ReplicationOperations::ReplicationOperations(Database& db, RegionTokens& regions, KeyService& keys,
                                             Tenancy& tenancy, KeyReplication& replication,
                                             std::int64_t startDelayMs)
    : db_(db),
      regions_(regions),
      keys_(keys),
      tenancy_(tenancy),
      replication_(replication),
      startDelayMs_(startDelayMs) {}

ReplicationOperations::~ReplicationOperations() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void ReplicationOperations::startWorker() {
    worker_ = std::thread([this] { loop(); });
}

Operation ReplicationOperations::start(const ProjectScope& scope, const std::string& keyId,
                                       const std::string& zone) {
    const KeyRecord k = keys_.get(scope, keyId);
    if (!k.multiZone) throw Error(ErrorCode::KeyNotMultiZone, "the key was not created multi-zone");
    if (!regions_.has(zone) || zone == k.region) {
        throw Error(ErrorCode::InvalidParameter,
                    "names " + zone + ", which is not a zone this key can be replicated to",
                    Input::TargetRegion);
    }
    for (const KeyRecord& m : keys_.group(k)) {
        if (m.region == zone)
            throw Error(ErrorCode::ReplicaExists, "the key is already replicated in zone " + zone);
    }
    Operation o;
    o.id = newUuid();
    o.domainId = scope.domainId;
    o.projectId = scope.projectId;
    o.keyId = keyId;
    o.zone = zone;
    o.createdMs = o.updatedMs = epochMillis();
    db_.write([&](Poco::Data::Session& s) { operation_store::insert(s, o); });
    metrics::operationStarted();
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(o.id);
    }
    cv_.notify_one();
    return o;
}

Operation ReplicationOperations::get(const ProjectScope& scope, const std::string& id) {
    auto o = load(id);
    if (!o || o->domainId != scope.domainId || o->projectId != scope.projectId) {
        throw Error(ErrorCode::OperationNotFound, "operation " + id + " does not exist",
                    Input::Operation);
    }
    return *o;
}

std::optional<Operation> ReplicationOperations::load(const std::string& id) {
    return db_.read([&](Poco::Data::Session& s) { return operation_store::find(s, id); });
}

void ReplicationOperations::finish(Operation op) {
    op.updatedMs = epochMillis();
    db_.write([&](Poco::Data::Session& s) { operation_store::save(s, op); });
}

void ReplicationOperations::run(const std::string& id) {
    // A replica is sealed under the target's KEK: a KEK rollover waits for this run.
    const auto sealing = SealEpochs::process().enter();
    auto op = load(id);
    if (!op || op->state != OperationState::Pending) return;
    const auto home = tenancy_.project(op->projectId);
    const ProjectScope scope{op->domainId, op->projectId, home ? home->region : std::string()};
    try {
        const auto project = tenancy_.projectInRegion(op->domainId, op->zone);
        if (!project) {
            throw Error(ErrorCode::Forbidden,
                        "your organization has no project in zone " + op->zone);
        }
        const KeyRecord k = keys_.get(scope, op->keyId);
        const KeyRecord r = replication_.replicate(
            scope, op->keyId, ReplicateKey{project->id, op->zone, k.alias, k.description, {}});
        op->state = OperationState::Success;
        op->referenceId = r.id;
    } catch (const Error& e) {
        op->state = OperationState::Failure;
        op->failure = e.code();
        op->message = e.what();
    } catch (const std::exception& e) {
        op->state = OperationState::Failure;
        op->failure = ErrorCode::Internal;
        op->message = "internal error";
    }
    finish(*op);
    metrics::operationFinished(name(op->state));
}

std::size_t ReplicationOperations::recover() {
    const auto ids =
        db_.read([&](Poco::Data::Session& s) { return operation_store::pendingIds(s); });
    for (const auto& id : ids) {
        auto op = load(id);
        if (!op) continue;
        // The replication's own transaction may have committed before the crash.
        const auto k =
            db_.read([&](Poco::Data::Session& s) { return key_store::find(s, op->keyId); });
        std::optional<std::string> replica;
        if (k) {
            for (const KeyRecord& m : keys_.group(*k)) {
                if (m.region == op->zone && m.primaryKeyId) replica = m.id;
            }
        }
        if (replica) {
            op->state = OperationState::Success;
            op->referenceId = replica;
        } else {
            op->state = OperationState::Failure;
            op->failure = ErrorCode::OperationInterrupted;
            op->message =
                "keyportd stopped before the replication completed; nothing was replicated";
        }
        finish(*op);
    }
    return ids.size();
}

void ReplicationOperations::loop() {
    std::unique_lock lock(mutex_);
    while (true) {
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        const std::string id = queue_.front();
        queue_.pop_front();
        if (startDelayMs_ > 0) {
            cv_.wait_for(lock, std::chrono::milliseconds(startDelayMs_),
                         [this] { return stopping_; });
            if (stopping_) return;  // left pending: recover() settles it at the next start
        }
        lock.unlock();
        try {
            run(id);
        } catch (const std::exception&) {
            // The database itself failed; recover() settles the operation at the next start.
        }
        lock.lock();
    }
}

}  // namespace keyport
