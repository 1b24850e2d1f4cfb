// keyportd's request log with log.format = json: every line on stderr is one JSON object; each
// request leaves one line carrying the X-Request-Id its response carried, its route template,
// status and dialect; 2xx is info, 4xx warn with the dialect's error code; and the line holds
// no token, secret key or plaintext.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/e2e/audit_trail_client.h"
#include "tests/e2e/import_helpers.h"

namespace keyport::test {
namespace {

// The lines of keyportd's stderr; the harness's own start marker is the one plain line.
std::vector<Poco::JSON::Object::Ptr> logLines() {
    std::vector<Poco::JSON::Object::Ptr> out;
    std::ifstream in(server().dir() / "keyportd.log");
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with("keyportd: listening on ")) continue;
        try {
            out.push_back(Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>());
        } catch (const Poco::Exception&) {
            ADD_FAILURE() << "not one JSON object: " << line;
        }
    }
    return out;
}

std::vector<Poco::JSON::Object::Ptr> linesFor(const std::string& requestId) {
    std::vector<Poco::JSON::Object::Ptr> out;
    for (const auto& o : logLines()) {
        if (o->optValue<std::string>("request_id", "") == requestId) out.push_back(o);
    }
    return out;
}

struct Row {
    std::string what;
    std::string method, path, body;
    bool authenticated;
    int status;
    std::string level, route, errorCode;
};

TEST(RequestLogJson, OneLinePerRequestWithItsIdLevelAndCode) {
    const std::string base = std::string("/v1.0/") + kDemoProject + "/kms/";
    const std::string route = "/v1.0/{project_id}/kms/";
    const std::string plain = b64(randomBytes(32));
    const std::vector<Row> rows{
        {"success", "POST", base + "gen-random", R"({"random_data_length":"256"})", true, 200,
         "info", route + "gen-random", ""},
        {"unknown key", "POST", base + "describe-key",
         R"({"key_id":"00000000-0000-4000-8000-00000000abcd"})", true, 404, "warn",
         route + "describe-key", "KMS.0207"},
        {"no credentials", "POST", base + "describe-key", "{}", false, 401, "warn",
         route + "describe-key", "KMS.0301"},
        {"bad input", "POST", base + "encrypt-data",
         R"({"key_id":"nope","plain_text":")" + plain + "\"}", true, 400, "warn",
         route + "encrypt-data", "KMS.0205"},
        {"no such route", "GET", "/v2/kms-key/x/y/z", "", false, 404, "warn", "", "not-found"},
    };
    for (const Row& row : rows) {
        SCOPED_TRACE(row.what);
        Headers h;
        if (row.authenticated) h.emplace_back("X-Auth-Token", kDemoToken);
        const Reply r = send(row.method, row.path, row.body, h);
        ASSERT_EQ(r.status, row.status) << r.body;
        const auto lines = linesFor(r.requestId);
        ASSERT_EQ(lines.size(), 1u) << "one line per request";
        const auto& l = lines[0];
        EXPECT_EQ(l->optValue<std::string>("level", ""), row.level);
        EXPECT_EQ(l->optValue<int>("status", 0), row.status);
        EXPECT_EQ(l->optValue<std::string>("method", ""), row.method);
        EXPECT_EQ(l->optValue<std::string>("error_code", ""), row.errorCode);
        if (row.route.empty()) {
            EXPECT_FALSE(l->has("route"));
            EXPECT_EQ(l->optValue<std::string>("path", ""), row.path);
        } else {
            EXPECT_EQ(l->optValue<std::string>("route", ""), row.route);
        }
        EXPECT_FALSE(l->optValue<std::string>("dialect", "").empty());
        EXPECT_EQ(l->optValue<std::string>("access_key", ""),
                  row.authenticated && row.status != 401 ? kDemoAccessKey : "");
        EXPECT_EQ(l->optValue<std::string>("peer", ""), "127.0.0.1");
        EXPECT_TRUE(l->has("latency_ms"));
        EXPECT_TRUE(l->has("time"));
    }
    std::ifstream in(server().dir() / "keyportd.log");
    const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const std::string& s : {std::string(kDemoToken), std::string(kDemoSecretKey), plain})
        EXPECT_EQ(all.find(s), std::string::npos) << "the log holds " << s;
}

}  // namespace
}  // namespace keyport::test

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    keyport::test::setServerConfig("log.format = json\nlog.level = info");
    return RUN_ALL_TESTS();
}
