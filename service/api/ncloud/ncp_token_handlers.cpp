// Key tokens of NAVER's token auth, each per its API 2.0 page: security-kms2-token-set
// (POST: signed with the account), security-kms2-token-renew (PUT, refresh token) and
// security-kms2-token-access-token (POST, refresh token). The tokens are core
// KeyAccessTokens: bound to the key, MAC'd on the key's region token, stored nowhere.
#include <Poco/Exception.h>

#include "service/api/ncloud/ncp_auth.h"
#include "service/api/ncloud/ncp_call.h"
#include "service/core/base/clock.h"
#include "service/core/base/errors.h"

namespace keyport::api::ncloud {
namespace {

using Poco::JSON::Object;

// accessTokenHours / refreshTokenHours: an Integer or a String, 1–17520, or "UL" (no end).
std::optional<std::int64_t> hoursOf(const JsonBody& body, const std::string& name,
                                    std::int64_t fallback) {
    const char* rule = "must be 1 to 17520 hours, or \"UL\"";
    if (!body.has(name)) return fallback;
    const Poco::Dynamic::Var v = body.root()->get(name);
    if (v.isString() && v.toString() == "UL") return std::nullopt;
    std::int64_t h = 0;
    if (v.isBoolean()) {
        throw Error(ErrorCode::InvalidParameter, rule, name);  // Poco counts a bool as integer
    } else if (v.isInteger()) {
        try {
            h = v.convert<std::int64_t>();
        } catch (const Poco::Exception&) {  // a UInt64 past INT64_MAX
            throw Error(ErrorCode::InvalidParameter, rule, name);
        }
    } else if (v.isString()) {
        const std::string s = v.toString();
        if (s.empty() || s.size() > 5 || !std::all_of(s.begin(), s.end(), ::isdigit))
            throw Error(ErrorCode::InvalidParameter, rule, name);
        h = std::stoll(s);
    } else {
        throw Error(ErrorCode::InvalidParameter, rule, name);
    }
    if (h < 1 || h > 17520) throw Error(ErrorCode::InvalidParameter, rule, name);
    return h;
}

std::string issue(NcpCall& c, const KeyRecord& k, KeyAccessToken::Kind kind,
                  std::optional<std::int64_t> hours) {
    KeyAccessToken t;
    t.kind = kind;
    t.domainId = k.domainId;
    t.projectId = k.projectId;
    t.region = k.region;
    t.keyTag = k.keyTag.value_or("");
    t.issuedAt = epochSeconds();
    if (hours) t.expiresAt = t.issuedAt + *hours * 3600;
    return t.issue(c.services.regions->region(k.region));
}

Object::Ptr tokenSet(NcpCall& c) {
    const KeyRecord k = byTag(c);
    const auto accessHours = hoursOf(c.body, "accessTokenHours", 72);
    const auto refreshHours = hoursOf(c.body, "refreshTokenHours", 2160);
    auto d = object();
    setSecret(d, "refreshToken", issue(c, k, KeyAccessToken::Kind::Refresh, refreshHours));
    setSecret(d, "accessToken", issue(c, k, KeyAccessToken::Kind::Access, accessHours));
    return ok(d);
}

}  // namespace

Object::Ptr createTokenSet(NcpCall& c) {
    return tokenSet(c);
}

// The caller's refresh token was checked by the router (ncp_auth keyToken); the old set
// stays valid, as NAVER's does.
Object::Ptr renewTokenSet(NcpCall& c) {
    return tokenSet(c);
}

Object::Ptr createAccessToken(NcpCall& c) {
    const KeyRecord k = byTag(c);
    const auto hours = hoursOf(c.body, "accessTokenHours", 72);
    auto d = object();
    setSecret(d, "accessToken", issue(c, k, KeyAccessToken::Kind::Access, hours));
    return ok(d);
}

}  // namespace keyport::api::ncloud
