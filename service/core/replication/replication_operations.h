// ReplicationOperations: Exoscale-style asynchronous replication. start() checks what can
// be checked at once, persists a pending operation and queues it; a worker runs
// KeyReplication and records success (the replica as reference) or failure with a reason.
// Operations survive restarts: recover() settles every operation left pending by a crash
// — success if the replica was committed, else failure "interrupted" — so none stays
// pending forever.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "service/core/replication/key_replication.h"

namespace keyport {

struct Operation {
    std::string id;
    std::string domainId;
    std::string projectId;
    std::string keyId;
    std::string zone;
    std::string state = "pending";  // pending, success, failure, timeout
    std::optional<std::string> reason;
    std::optional<std::string> message;
    std::optional<std::string> referenceId;  // the replica key
    std::int64_t createdMs = 0;
    std::int64_t updatedMs = 0;
};

class ReplicationOperations {
  public:
    // startDelayMs holds each operation before it runs (0 in production; tests use it to kill
    // a server while an operation is certainly pending).
    ReplicationOperations(Database& db, KeyService& keys, Tenancy& tenancy,
                          KeyReplication& replication, std::int64_t startDelayMs);
    ~ReplicationOperations();

    Operation start(const ProjectScope& scope, const std::string& keyId, const std::string& zone);
    Operation get(const ProjectScope& scope, const std::string& id);
    std::size_t recover();  // keyportd only, before serving
    void startWorker();     // keyportd only, after recover()

  private:
    void run(const std::string& id);
    void finish(Operation op);
    std::optional<Operation> load(const std::string& id);
    void loop();

    Database& db_;
    KeyService& keys_;
    Tenancy& tenancy_;
    KeyReplication& replication_;
    std::int64_t startDelayMs_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::string> queue_;
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace keyport
