// ExpirySweeper: destroys imported material the moment its expiration_time passes, without
// a restart. Requests already refuse expired material on read; this removes the blob.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "service/core/key_service.h"

namespace keyport {

class ExpirySweeper {
public:
    explicit ExpirySweeper(KeyService& keys);
    ~ExpirySweeper();

private:
    void loop();
    KeyService& keys_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace keyport
