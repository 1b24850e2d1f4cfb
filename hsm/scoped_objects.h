// ScopedObjects: the session objects of one multi-step token operation (transient keys,
// ephemeral wrapping keys), destroyed however the operation ends.
#pragma once

#include <vector>

#include "hsm/session.h"

namespace hsm {

class ScopedObjects {
  public:
    explicit ScopedObjects(Session& session) : session_(session) {}
    ~ScopedObjects() {
        for (auto h : handles_) session_.destroyObjectNoThrow(h);
    }
    ScopedObjects(const ScopedObjects&) = delete;
    ScopedObjects& operator=(const ScopedObjects&) = delete;

    // Takes `h` into the scope and returns it.
    ObjectHandle keep(ObjectHandle h) {
        handles_.push_back(h);
        return h;
    }

  private:
    Session& session_;
    std::vector<ObjectHandle> handles_;
};

}  // namespace hsm
