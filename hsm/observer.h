// Observer: how a process watches its token traffic (keyportd's metrics) without hsm knowing
// who listens — plain function pointers, set once; nobody watches by default.
#pragma once

#include <cstdint>
#include <string>

#include "hsm/pkcs11.h"

namespace hsm {

// The typed session operations that are observed (Session's crypto calls).
enum class Operation : std::uint8_t {
    GenerateKey,
    GenerateKeyPair,
    DeriveKey,
    WrapKey,
    UnwrapKey,
    Encrypt,
    Decrypt,
    Sign,
    Verify,
};
inline constexpr std::size_t kOperationCount = 9;

// "generate_key", "encrypt", ...: a metric label.
const char* operationName(Operation op) noexcept;
// "CKM_AES_GCM", ...; "other" for a mechanism Keyport does not use (a bounded label set).
const char* mechanismName(CK_MECHANISM_TYPE mechanism) noexcept;

// Which session a wait was for: a pooled one (SessionPool::acquire) or the token's owner
// session (Token::withOwnerSession, serialised).
enum class SessionKind : std::uint8_t { Pooled, Owner };

// Every callback is optional (nullptr: not told), runs on the calling thread and must be
// cheap and not throw. `token` is the token's label ("" for a session opened outside a
// Token, e.g. during provisioning).
struct Observer {
    // One operation finished after `seconds`; ok is false when it threw (a signature that
    // does not verify is ok: the operation ran).
    void (*operation)(Operation op, CK_MECHANISM_TYPE mechanism, const std::string& token,
                      double seconds, bool ok) noexcept = nullptr;
    // A session was had after waiting `seconds`; `opened`: no pooled one was idle, so a new
    // session was opened (its C_OpenSession is in the wait).
    void (*sessionWait)(SessionKind kind, const std::string& token, double seconds,
                        bool opened) noexcept = nullptr;
    // A broken session was closed instead of being pooled again.
    void (*sessionDiscarded)(const std::string& token) noexcept = nullptr;
};

// The observer must outlive every later call (a static); nullptr stops observing.
void setObserver(const Observer* observer) noexcept;
const Observer* observer() noexcept;

}  // namespace hsm
