// RequestLog: the text and JSON line formats, hostile client text made harmless in both, the
// level of each status class and the level filter, and one sink call per line under threads.
#include "service/api/request_log.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <regex>
#include <thread>
#include <vector>

namespace keyport::api {
namespace {

struct Captured {
    std::vector<std::string> lines;
    RequestLog log(LogFormat format, LogLevel level = LogLevel::Info) {
        return RequestLog(LogConfig{format, level},
                          [this](std::string_view l) { lines.emplace_back(l); });
    }
};

Request request(std::string path = "/v1.0/p1/kms/encrypt-data") {
    Request r;
    r.method = "POST";
    r.path = std::move(path);
    r.id = "req-123";
    r.peer = "127.0.0.1";
    r.audit.dialect = "huawei-kms";
    r.audit.route = "/v1.0/{project_id}/kms/encrypt-data";
    r.audit.accessKey = "AKEXAMPLE";
    return r;
}

Response response(int status, std::string code = {}) {
    Response r = Response::json(status, "{}");
    r.errorCode = std::move(code);
    return r;
}

Poco::JSON::Object::Ptr parsed(const std::string& line) {
    EXPECT_TRUE(line.ends_with("\n"));
    EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line: " << line;
    Poco::JSON::Parser p;
    return p.parse(line).extract<Poco::JSON::Object::Ptr>();
}

TEST(RequestLogText, SuccessLineCarriesTheDocumentedFields) {
    Captured c;
    auto log = c.log(LogFormat::Text);
    log.request(request(), response(200), 0.0012);
    ASSERT_EQ(c.lines.size(), 1u);
    const std::regex shape(
        R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info  req=req-123 POST )"
        R"(/v1\.0/\{project_id\}/kms/encrypt-data 200 1\.2ms dialect=huawei-kms ak=AKEXAMPLE )"
        R"(peer=127\.0\.0\.1\n$)");
    EXPECT_TRUE(std::regex_match(c.lines[0], shape)) << c.lines[0];
}

TEST(RequestLogText, ClientErrorIsWarnWithTheCode) {
    Captured c;
    auto log = c.log(LogFormat::Text);
    log.request(request(), response(404, "KMS.0207"), 0.001);
    ASSERT_EQ(c.lines.size(), 1u);
    EXPECT_NE(c.lines[0].find("Z warn  req=req-123 "), std::string::npos) << c.lines[0];
    EXPECT_NE(c.lines[0].find(" 404 "), std::string::npos);
    EXPECT_NE(c.lines[0].find(" code=KMS.0207"), std::string::npos);
}

TEST(RequestLogText, ServerErrorIsError) {
    Captured c;
    auto log = c.log(LogFormat::Text);
    log.request(request(), response(503, "KMS.0101"), 0.001);
    ASSERT_EQ(c.lines.size(), 1u);
    EXPECT_NE(c.lines[0].find("Z error req="), std::string::npos) << c.lines[0];
}

// No route matched: the path as sent, made printable — a CR LF cannot start a forged line, a
// space cannot shift the fields, and an escape sequence cannot reach the terminal.
TEST(RequestLogText, HostilePathStaysOneLineOfOneField) {
    Captured c;
    auto log = c.log(LogFormat::Text);
    Request r = request("/x\r\n2026-12-01T00:00:00.000Z info  req=forged GET / 200 \x1b[31m\xff");
    r.audit.route.clear();
    r.method = "GE T";
    r.id = "id\nwith newline";
    log.request(r, response(404, "KMS.0201"), 0.0);
    ASSERT_EQ(c.lines.size(), 1u);
    const std::string& l = c.lines[0];
    EXPECT_EQ(l.find('\n'), l.size() - 1) << l;
    EXPECT_EQ(l.find('\r'), std::string::npos);
    EXPECT_EQ(l.find('\x1b'), std::string::npos);
    EXPECT_EQ(l.find('\xff'), std::string::npos);
    EXPECT_NE(l.find("/x\\x0d\\x0a2026-12-01T00:00:00.000Z\\x20info"), std::string::npos) << l;
    EXPECT_NE(l.find(" GE\\x20T "), std::string::npos) << l;
    // req, method, path, status, latency, dialect, code, ak, peer: nine fields after the level.
    std::size_t fields = 0;
    for (std::size_t i = l.find(" req="); i != std::string::npos; i = l.find(' ', i + 1)) ++fields;
    EXPECT_EQ(fields, 9u) << l;
}

TEST(RequestLogJson, EveryLineParsesWithItsFields) {
    Captured c;
    auto log = c.log(LogFormat::Json);
    log.request(request(), response(200), 0.001234);
    log.request(request(), response(403, "KMS.0307"), 0.002);
    ASSERT_EQ(c.lines.size(), 2u);
    const auto ok = parsed(c.lines[0]);
    EXPECT_EQ(ok->getValue<std::string>("level"), "info");
    EXPECT_EQ(ok->getValue<std::string>("request_id"), "req-123");
    EXPECT_EQ(ok->getValue<std::string>("method"), "POST");
    EXPECT_EQ(ok->getValue<std::string>("route"), "/v1.0/{project_id}/kms/encrypt-data");
    EXPECT_EQ(ok->getValue<int>("status"), 200);
    EXPECT_NEAR(ok->getValue<double>("latency_ms"), 1.234, 0.001);
    EXPECT_EQ(ok->getValue<std::string>("dialect"), "huawei-kms");
    EXPECT_EQ(ok->getValue<std::string>("access_key"), "AKEXAMPLE");
    EXPECT_EQ(ok->getValue<std::string>("peer"), "127.0.0.1");
    EXPECT_FALSE(ok->has("error_code"));
    EXPECT_TRUE(std::regex_match(ok->getValue<std::string>("time"),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
    const auto refused = parsed(c.lines[1]);
    EXPECT_EQ(refused->getValue<std::string>("level"), "warn");
    EXPECT_EQ(refused->getValue<std::string>("error_code"), "KMS.0307");
}

TEST(RequestLogJson, HostileTextStaysValidJsonOnOneLine) {
    Captured c;
    auto log = c.log(LogFormat::Json);
    Request r = request("/kms/\"},\"level\":\"info\\\"\r\n\x01\x7f\xc3\xa9");
    r.audit.route.clear();
    r.id = "a\"b\\c";
    r.method = "P\"OST";
    log.request(r, response(404, "NOT_FOUND"), 0);
    ASSERT_EQ(c.lines.size(), 1u);
    const auto o = parsed(c.lines[0]);
    EXPECT_EQ(o->getValue<std::string>("level"), "warn");
    EXPECT_FALSE(o->has("route"));
    const std::string path = o->getValue<std::string>("path");
    EXPECT_EQ(path, "/kms/\"},\"level\":\"info\\x5c\"\\x0d\\x0a\\x01\\x7f\\xc3\\xa9");
    EXPECT_EQ(o->getValue<std::string>("request_id"), "a\"b\\x5cc");
    EXPECT_EQ(o->getValue<std::string>("method"), "P\"OST");
}

TEST(RequestLogJson, MessagesShareTheFormat) {
    Captured c;
    auto log = c.log(LogFormat::Json);
    log.message(LogLevel::Info, "keyportd started\n\"x\"");
    ASSERT_EQ(c.lines.size(), 1u);
    const auto o = parsed(c.lines[0]);
    EXPECT_EQ(o->getValue<std::string>("level"), "info");
    EXPECT_EQ(o->getValue<std::string>("msg"), "keyportd started\\x0a\"x\"");
}

TEST(RequestLogText, MessagesShareTheFormat) {
    Captured c;
    auto log = c.log(LogFormat::Text);
    log.message(LogLevel::Error, "database down");
    ASSERT_EQ(c.lines.size(), 1u);
    EXPECT_TRUE(std::regex_match(c.lines[0], std::regex(R"(^\S+Z error database down\n$)")))
        << c.lines[0];
}

struct LevelRow {
    LogLevel configured;
    int status;
    bool logged;
};

class RequestLogLevels : public ::testing::TestWithParam<LevelRow> {};

TEST_P(RequestLogLevels, BelowTheConfiguredLevelNothingIsWritten) {
    const LevelRow row = GetParam();
    for (const LogFormat f : {LogFormat::Text, LogFormat::Json}) {
        Captured c;
        auto log = c.log(f, row.configured);
        log.request(request(), response(row.status, row.status >= 400 ? "X" : ""), 0);
        EXPECT_EQ(c.lines.size(), row.logged ? 1u : 0u)
            << "status " << row.status << " at level " << name(row.configured);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table, RequestLogLevels,
    ::testing::Values(LevelRow{LogLevel::Debug, 200, true}, LevelRow{LogLevel::Info, 200, true},
                      LevelRow{LogLevel::Info, 404, true}, LevelRow{LogLevel::Warn, 200, false},
                      LevelRow{LogLevel::Warn, 204, false}, LevelRow{LogLevel::Warn, 401, true},
                      LevelRow{LogLevel::Warn, 500, true}, LevelRow{LogLevel::Error, 404, false},
                      LevelRow{LogLevel::Error, 503, true}));

TEST(RequestLog, MessagesBelowTheLevelAreDropped) {
    Captured c;
    auto log = c.log(LogFormat::Text, LogLevel::Warn);
    log.message(LogLevel::Debug, "d");
    log.message(LogLevel::Info, "i");
    log.message(LogLevel::Warn, "w");
    log.message(LogLevel::Error, "e");
    ASSERT_EQ(c.lines.size(), 2u);
    EXPECT_NE(c.lines[0].find(" warn  w"), std::string::npos);
    EXPECT_NE(c.lines[1].find(" error e"), std::string::npos);
}

// The sink sees whole lines, one call each, never two at once (the vector is unguarded: a
// concurrent call would race, which the count and the shape check, and TSan, would catch).
TEST(RequestLog, ConcurrentRequestsGiveWholeLines) {
    Captured c;
    auto log = c.log(LogFormat::Json);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&log] {
            for (int i = 0; i < 500; ++i) log.request(request(), response(200), 0.001);
        });
    }
    for (auto& t : threads) t.join();
    ASSERT_EQ(c.lines.size(), 2000u);
    for (const auto& l : c.lines)
        ASSERT_EQ(parsed(l)->getValue<std::string>("request_id"), "req-123");
}

TEST(RequestLog, LevelOfStatus) {
    EXPECT_EQ(RequestLog::levelOf(200), LogLevel::Info);
    EXPECT_EQ(RequestLog::levelOf(302), LogLevel::Info);
    EXPECT_EQ(RequestLog::levelOf(400), LogLevel::Warn);
    EXPECT_EQ(RequestLog::levelOf(499), LogLevel::Warn);
    EXPECT_EQ(RequestLog::levelOf(500), LogLevel::Error);
}

}  // namespace
}  // namespace keyport::api
