// RolloverRunner: keyportd's background runner of KEK rollovers. Once a second it looks for
// an unfinished rollover (one `keyport ceremony rollover` requested, or one a crash left
// running) and runs it with the core job, so a rollover resumes on the next start.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "service/core/ceremony/kek_rollover.h"
#include "service/core/services.h"

namespace keyport {

class RolloverRunner {
  public:
    explicit RolloverRunner(Services& services);
    ~RolloverRunner();  // stops a running rollover after its current batch

  private:
    void loop();
    void runPending();

    Services& services_;
    KekRollover job_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace keyport
