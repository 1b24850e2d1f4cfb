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
#include "service/core/storage/operation_store.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

class ReplicationOperations {
  public:
    // startDelayMs holds each operation before it runs (0 in production; tests use it to kill
    // a server while an operation is certainly pending).
    ReplicationOperations(Database& db, RegionTokens& regions, KeyService& keys, Tenancy& tenancy,
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
    RegionTokens& regions_;
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
