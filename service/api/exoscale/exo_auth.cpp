#include "service/api/exoscale/exo_auth.h"

#include <algorithm>
#include <map>

#include "service/api/client_hmac.h"
#include "service/api/request_target.h"
#include "service/core/base/encoding.h"

namespace keyport::api::exoscale {
namespace {

constexpr std::string_view kScheme = "EXO2-HMAC-SHA256 ";

std::string trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return std::string(s);
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const auto pos = s.find(sep, start);
        out.push_back(s.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
        if (pos == std::string::npos) return out;
        start = pos + 1;
    }
}

}  // namespace

std::optional<Exo2Authorization> parseExo2(std::string_view header) {
    if (!header.starts_with(kScheme)) return std::nullopt;
    Exo2Authorization a;
    bool haveExpires = false;
    for (const std::string& part : split(std::string(header.substr(kScheme.size())), ',')) {
        const auto eq = part.find('=');
        if (eq == std::string::npos) return std::nullopt;
        const std::string name = trim(std::string_view(part).substr(0, eq));
        const std::string value = trim(std::string_view(part).substr(eq + 1));
        if (name == "credential") {
            a.credential = value;
        } else if (name == "signed-query-args") {
            a.signedQueryArgs = split(value, ';');
        } else if (name == "expires") {
            if (value.empty() || value.size() > 12 ||
                !std::all_of(value.begin(), value.end(), ::isdigit)) {
                return std::nullopt;
            }
            a.expires = std::stoll(value);
            haveExpires = true;
        } else if (name == "signature") {
            a.signatureB64 = value;
        } else {
            return std::nullopt;
        }
    }
    if (a.credential.empty() || a.signatureB64.empty() || !haveExpires) return std::nullopt;
    return a;
}

std::string exo2Message(const Request& req, const std::vector<std::string>& signedQueryArgs,
                        std::int64_t expires) {
    std::map<std::string, std::string> query;
    const auto pairs = queryParameters(req.query);
    if (!pairs)  // e.g. "%zz" (the router refuses it first): a signature we cannot check
        throw AuthError(AuthFailure::Invalid, "the query string is not valid percent-encoding");
    for (const auto& [k, v] : *pairs) query.emplace(k, v);
    std::vector<std::string> names = signedQueryArgs;
    std::sort(names.begin(), names.end());
    std::string values;
    for (const auto& n : names) {
        if (auto it = query.find(n); it != query.end()) values += it->second;
    }
    return req.method + " " + req.path + "\n" + req.body + "\n" + values + "\n\n" +
           std::to_string(expires);
}

void checkExpires(std::int64_t expires, std::int64_t now, std::int64_t maxLifetimeSeconds) {
    if (expires < now) throw AuthError(AuthFailure::Expired, "the request signature has expired");
    if (expires - now > maxLifetimeSeconds) {
        throw AuthError(AuthFailure::Expired,
                        "the request signature expires too far ahead: expires may be at most " +
                            std::to_string(maxLifetimeSeconds) + " seconds from now");
    }
}

Principal authenticate(const Request& req, Authenticator& auth, std::int64_t maxLifetimeSeconds) {
    if (auto h = req.header("Authorization")) {
        const auto a = parseExo2(*h);
        if (!a) {
            throw AuthError(
                AuthFailure::Invalid,
                "Authorization must be EXO2-HMAC-SHA256 credential=…,expires=…,signature=…");
        }
        checkExpires(a->expires, auth.now(), maxLifetimeSeconds);
        const auto mac = base64Decode(a->signatureB64);
        if (!mac) throw AuthError(AuthFailure::Invalid, "the request signature is not base64");
        const std::string message = exo2Message(req, a->signedQueryArgs, a->expires);
        return auth.bySignature(a->credential, hsm::asBytes(message), *mac);
    }
    if (auto token = req.header("X-Auth-Token")) return auth.byToken(*token);
    throw AuthError(AuthFailure::Missing,
                    "an EXO2-HMAC-SHA256 Authorization header (or X-Auth-Token) is required");
}

void sign(Request& req, const std::string& key, const std::string& secret, std::int64_t expires) {
    const std::string message = exo2Message(req, {}, expires);
    req.headers.emplace_back("Authorization",
                             "EXO2-HMAC-SHA256 credential=" + key +
                                 ",expires=" + std::to_string(expires) +
                                 ",signature=" + base64Encode(clientHmacSha256(secret, message)));
}

}  // namespace keyport::api::exoscale
