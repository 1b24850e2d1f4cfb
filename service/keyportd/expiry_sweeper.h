// ExpirySweeper: destroys imported material the moment its expiration_time passes, without
// a restart, removes secrets whose scheduled deletion time has come, and rotates keys whose
// rotation interval has passed. Requests already
// refuse expired material on read; this removes the blob.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "service/core/keys/key_service.h"
#include "service/core/replication/key_rotation.h"
#include "service/core/secrets/secret_service.h"

namespace keyport {

class ExpirySweeper {
  public:
    ExpirySweeper(KeyService& keys, SecretService& secrets, KeyRotation& rotation);
    ~ExpirySweeper();

  private:
    void loop();
    KeyService& keys_;
    SecretService& secrets_;
    KeyRotation& rotation_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace keyport
