#include "tools/client/kms_session.h"

#include <Poco/JSON/Parser.h>

#include <chrono>
#include <sstream>

#include "service/api/huawei/sdk_hmac.h"

namespace keyport::client {

KmsError::KmsError(const std::string& action, int s, const std::string& body)
    : std::runtime_error(action + ": HTTP " + std::to_string(s) + " " + body), status(s) {}

KmsSession::KmsSession(const std::string& url, std::string project, KmsCredential credential)
    : http_(url), project_(std::move(project)), cred_(std::move(credential)) {}

HttpReply KmsSession::post(const std::string& action, const std::string& body) {
    const std::string path = "/v1.0/" + project_ + "/kms/" + action;
    if (!cred_.token.empty())
        return http_.send("POST", path, body, {{"X-Auth-Token", cred_.token}});
    api::Request r;
    r.method = "POST";
    r.path = path;
    r.body = body;
    r.headers = {{"Host", http_.hostHeader()}, {"Content-Type", "application/json"}};
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    api::huawei::sign(r, cred_.accessKey, cred_.secretKey, now);
    return http_.send("POST", path, body, r.headers);
}

Poco::JSON::Object::Ptr KmsSession::call(const std::string& action,
                                         const Poco::JSON::Object::Ptr& body) {
    std::ostringstream s;
    body->stringify(s);
    const HttpReply r = post(action, s.str());
    if (r.status != 200) throw KmsError(action, r.status, r.body);
    if (r.body.empty())
        return new Poco::JSON::Object;  // import-key-material answers 200 with no body
    try {
        return Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
        throw KmsError(action, r.status, "(not a JSON object)");
    }
}

}  // namespace keyport::client
