// The NAVER Cloud KMS side of the e2e tests: requests signed with signature v2 as NAVER's
// clients sign them (Host ocapi.keyport.test: the global region), and readers of NAVER's
// {"code","msg","data"} envelope.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "service/api/ncloud/ncp_auth.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {

inline HttpResult ncp(const std::string& method, const std::string& path,
                      const std::string& body = {},
                      const Credential& cred = KeyportServer::demo()) {
    api::Request r;
    r.method = method;
    const auto q = path.find('?');
    r.path = path.substr(0, q);
    if (q != std::string::npos) r.query = path.substr(q + 1);
    api::ncloud::sign(r, cred.accessKey, cred.secretKey, nowSeconds() * 1000);
    r.headers.emplace_back("Host", "ocapi.keyport.test");
    return httpRequest(server().port(), method, path, body, r.headers);
}

inline Poco::JSON::Object::Ptr dataOf(const HttpResult& r) {
    if (!r.json || !r.json->has("data")) return nullptr;
    return r.json->getObject("data");
}

// A member of `data` as text ("" when absent).
inline std::string field(const HttpResult& r, const std::string& name) {
    auto d = dataOf(r);
    return d && d->has(name) ? d->get(name).toString() : std::string();
}

// NAVER's error shape: the status, a code, a message and no data.
inline void expectError(const HttpResult& r, int status, const std::string& code,
                        const std::string& what) {
    EXPECT_EQ(r.status, status) << what << ": " << r.body;
    EXPECT_EQ(r.str("code"), code) << what << ": " << r.body;
    EXPECT_FALSE(r.str("msg").empty()) << what;
    EXPECT_FALSE(dataOf(r)) << what << ": an error carries no data";
}

}  // namespace keyport::test
