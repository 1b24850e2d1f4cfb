#include "hsm/token.h"

#include <chrono>
#include <utility>

#include "hsm/observer.h"

namespace hsm {

Token::Token(Module& module, std::string label, const SecretBytes& userPin)
    : module_(module),
      label_(std::move(label)),
      slot_(module.slotForLabel(label_)),
      owner_(module.functions(), slot_, true, &label_),
      pool_(module.functions(), slot_, 64, &label_) {
    // Every C_Login rewrites SoftHSM's token.object: once per process, never per request.
    owner_.login(CKU_USER, userPin);
}

void Token::lockOwner(std::unique_lock<std::mutex>& lock) {
    const Observer* o = observer();
    if (o == nullptr || o->sessionWait == nullptr) {
        lock.lock();
        return;
    }
    const auto start = std::chrono::steady_clock::now();
    lock.lock();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    o->sessionWait(SessionKind::Owner, label_, took.count(), false);
}

}  // namespace hsm
