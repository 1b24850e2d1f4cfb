// exoCall: one EXO2-HMAC-SHA256-signed request as Exoscale's clients send it, to keyportd or
// to a proxy in front of it (Prism), with the response's headers kept.
#pragma once

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <cstdint>
#include <optional>
#include <string>

#include "service/api/exoscale/exo_auth.h"
#include "tests/e2e/import_helpers.h"
#include "tests/e2e/kms_client.h"

namespace keyport::test {

struct ExoResult : HttpResult {
    Headers headers;  // names as sent by the server
    std::optional<std::string> header(const std::string& name) const {
        for (const auto& [n, v] : headers) {
            if (Poco::icompare(n, name) == 0) return v;
        }
        return std::nullopt;
    }
};

struct ExoSigning {
    Credential cred;
    // The path keyportd receives, which the signature covers; empty: the path sent. A proxy
    // that maps paths (Prism prefixes its upstream's /v2) makes them differ.
    std::string signedPath;
    std::int64_t expires = 0;  // 0: ten minutes ahead, as Exoscale's clients sign
};

inline ExoResult exoCall(unsigned port, const std::string& method, const std::string& path,
                         const std::string& body, const ExoSigning& s, const Headers& extra = {}) {
    api::Request signedReq;
    signedReq.method = method;
    const std::string full = s.signedPath.empty() ? path : s.signedPath;
    const auto q = full.find('?');
    signedReq.path = full.substr(0, q);
    if (q != std::string::npos) signedReq.query = full.substr(q + 1);
    signedReq.body = body;
    api::exoscale::sign(signedReq, s.cred.accessKey, s.cred.secretKey,
                        s.expires ? s.expires : nowSeconds() + 600);

    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [n, v] : signedReq.headers) req.set(n, v);
    for (const auto& [n, v] : extra) req.set(n, v);
    if (method == "POST" || method == "PUT" || method == "PATCH") {
        if (!body.empty()) req.setContentType("application/json");
        req.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse res;
    std::istream& in = session.receiveResponse(res);
    ExoResult r;
    r.status = static_cast<int>(res.getStatus());
    for (const auto& [n, v] : res) r.headers.emplace_back(n, v);
    Poco::StreamCopier::copyToString(in, r.body);
    try {
        auto v = Poco::JSON::Parser().parse(r.body);
        if (v.type() == typeid(Poco::JSON::Object::Ptr))
            r.json = v.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
        // Not JSON: the test says so where it matters.
    }
    return r;
}

}  // namespace keyport::test
