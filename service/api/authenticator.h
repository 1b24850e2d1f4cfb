// Authenticator: who is calling. Resolves an X-Auth-Token or a verified request signature
// to a Principal, and a project to the scope that principal may act on (API.md §0).
// Dialects parse their own headers and shape AuthError in their own error format.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

#include "hsm/bytes.h"
#include "service/core/keys/key_service.h"
#include "service/core/tenancy/tenancy.h"

namespace keyport::api {

enum class AuthFailure {
    Missing,    // no credentials at all
    Invalid,    // unknown token or access key, bad signature, malformed header
    Expired,    // request date outside the skew window
    Forbidden,  // authenticated, but not allowed here
};

class AuthError : public std::runtime_error {
  public:
    AuthError(AuthFailure kind, const std::string& message)
        : std::runtime_error(message), kind_(kind) {}
    AuthFailure kind() const noexcept { return kind_; }

  private:
    AuthFailure kind_;
};

enum class Access { Read, Write };

class Authenticator {
  public:
    using Clock = std::function<std::int64_t()>;  // epoch seconds
    explicit Authenticator(Tenancy& tenancy, Clock clock = {});

    Principal byToken(std::string_view token);
    // `mac` must be HMAC-SHA256(SK of accessKey, message), checked on-token.
    Principal bySignature(const std::string& accessKey, hsm::ByteView message, hsm::ByteView mac);
    // `mac` must be HMAC-SHA256(hex(HKDF-SHA256(SK, salt AK, info)), message): Huawei's
    // derived signing (V11-HMAC-SHA256), derived and checked on-token.
    Principal byDerivedSignature(const std::string& accessKey, const std::string& info,
                                 hsm::ByteView message, hsm::ByteView mac);
    // Throws Expired unless |requestTime - now| <= windowSeconds.
    void checkSkew(std::int64_t requestTime, std::int64_t windowSeconds) const;

    // The project as a scope the principal may act on: another domain's (or an unknown)
    // project is Forbidden, as is writing with a read-only credential.
    ProjectScope scope(const Principal& p, const std::string& projectId, Access access);
    // The principal's domain's project in `region` (Exoscale, NAVER, CSMS replicas).
    ProjectScope scopeInRegion(const Principal& p, const std::string& region, Access access);

    std::int64_t now() const { return clock_(); }
    Tenancy& tenancy() { return tenancy_; }

  private:
    void checkRole(const Principal& p, Access access) const;
    Tenancy& tenancy_;
    Clock clock_;
};

}  // namespace keyport::api
