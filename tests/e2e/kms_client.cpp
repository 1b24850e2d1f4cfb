#include "tests/e2e/kms_client.h"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <sstream>
#include <stdexcept>

namespace keyport::test {

std::string HttpResult::str(const std::string& name) const {
    if (!json || !json->has(name)) return {};
    return json->get(name).toString();
}

std::string HttpResult::errorCode() const {
    if (!json || !json->has("error")) return {};
    auto e = json->getObject("error");
    return e && e->has("error_code") ? e->getValue<std::string>("error_code") : std::string();
}

HttpResult httpRequest(unsigned port, const std::string& method, const std::string& pathAndQuery,
                       const std::string& body, const Headers& headers) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest req(method, pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [n, v] : headers) req.set(n, v);
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        req.setContentType("application/json");
        req.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse res;
    std::istream& in = session.receiveResponse(res);
    HttpResult r;
    r.status = static_cast<int>(res.getStatus());
    Poco::StreamCopier::copyToString(in, r.body);
    try {
        auto v = Poco::JSON::Parser().parse(r.body);
        if (v.type() == typeid(Poco::JSON::Object::Ptr))
            r.json = v.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
    }
    return r;
}

HttpResult KmsClient::call(const std::string& action, const std::string& body) const {
    return callIn(cred_.projectId, action, body);
}

HttpResult KmsClient::call(const std::string& action, const Poco::JSON::Object::Ptr& body) const {
    std::ostringstream s;
    body->stringify(s);
    return call(action, s.str());
}

HttpResult KmsClient::callIn(const std::string& project, const std::string& action,
                             const std::string& body) const {
    return httpRequest(port_, "POST", "/v1.0/" + project + "/kms/" + action, body,
                       {{"X-Auth-Token", cred_.token}});
}

std::string KmsClient::createKey(const std::string& alias, const std::string& spec,
                                 const std::string& usage, const std::string& origin) const {
    const auto r = call(
        "create-key",
        jsonBody(
            {{"key_alias", alias}, {"key_spec", spec}, {"key_usage", usage}, {"origin", origin}}));
    if (r.status != 200)
        throw std::runtime_error("create-key: " + std::to_string(r.status) + " " + r.body);
    return r.json->getObject("key_info")->getValue<std::string>("key_id");
}

std::string jsonBody(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::ostringstream s;
    s << '{';
    bool first = true;
    for (const auto& [k, v] : fields) {
        if (!first) s << ',';
        first = false;
        Poco::JSON::Stringifier::formatString(k, s);
        s << ':';
        Poco::JSON::Stringifier::formatString(v, s);
    }
    s << '}';
    return s.str();
}

}  // namespace keyport::test
