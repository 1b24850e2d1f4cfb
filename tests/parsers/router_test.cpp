// Router on its own: exact method + template matching, 404 against 405, which dialect
// shapes the error, and splitPath.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include "service/api/router.h"
#include "tests/parsers/vectors.h"

namespace keyport::api {
namespace {

// Answers with the route's name and its captured parameters, "name project_id=p1 ...".
Handler named(std::string name) {
    return [name](Request& req) {
        std::string body = name;
        for (const auto& [k, v] : req.params) body += " " + k + "=" + v;
        return Response::json(200, body);
    };
}

// The route table the fuzz target uses too (tests/fuzz/router_fuzz.cpp has the same).
Router testRouter() {
    Router r;
    r.add("POST", "/v1.0/{project_id}/kms/create-key", named("create-key"));
    r.add("POST", "/v1.0/{project_id}/kms/describe-key", named("describe-key"));
    r.add("POST", "/v2/{project_id}/kms/keys/{key_id}/replicate", named("replicate"));
    r.add("GET", "/v1/{project_id}/secrets/{secret_name}", named("get-secret"));
    r.add("DELETE", "/v1/{project_id}/secrets/{secret_name}", named("delete-secret"));
    r.add("GET", "/v1/{project_id}/secrets/{secret_name}/versions/{version_id}",
          named("get-version"));
    r.add("GET", "/v2/kms-key/{id}", named("exo-get-key"));
    r.addDialect([](std::string_view p) { return p.starts_with("/v1.0/"); },
                 [](int status, const std::string& m) {
                     return Response::json(status, "kms " + std::to_string(status) + ": " + m);
                 });
    return r;
}

struct RouteCase {
    const char* name;
    const char* method;
    std::string path;
    int status;
    std::string body;  // handler's "name params..." or the shaped error
};

void PrintTo(const RouteCase& c, std::ostream* os) {
    *os << c.name;
}

class RouterDispatch : public ::testing::TestWithParam<RouteCase> {};

TEST_P(RouterDispatch, PicksTheRouteOrAnswers404Or405) {
    const RouteCase& c = GetParam();
    const Router router = testRouter();
    Request req;
    req.method = c.method;
    req.path = c.path;
    const Response res = router.dispatch(req);
    EXPECT_EQ(res.status, c.status);
    EXPECT_EQ(res.body, c.body);
    if (!c.path.starts_with("/v1.0/") && res.status >= 400) {
        // The router's own error body is JSON whatever the request held.
        EXPECT_NO_THROW(Poco::JSON::Parser().parse(res.body)) << res.body;
    }
    if (res.status == 200) {
        test::seedCorpus("router", c.name, hsm::asBytes(std::string(c.method) + "\n" + c.path));
    }
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, RouterDispatch,
    ::testing::Values(
        RouteCase{"CreateKey", "POST", "/v1.0/p1/kms/create-key", 200, "create-key project_id=p1"},
        RouteCase{"TwoParams", "POST", "/v2/p1/kms/keys/k9/replicate", 200,
                  "replicate key_id=k9 project_id=p1"},
        RouteCase{"SamePathOtherMethod", "DELETE", "/v1/p1/secrets/s1", 200,
                  "delete-secret project_id=p1 secret_name=s1"},
        RouteCase{"ThreeParams", "GET", "/v1/p1/secrets/s1/versions/latest", 200,
                  "get-version project_id=p1 secret_name=s1 version_id=latest"},
        // Parameters are captured as sent (still percent-encoded), braces included.
        RouteCase{"EncodedParam", "GET", "/v2/kms-key/a%2Fb", 200, "exo-get-key id=a%2Fb"},
        RouteCase{"BracesAsValue", "GET", "/v2/kms-key/{id}", 200, "exo-get-key id={id}"},
        // Pinned: empty segments do not count, so a trailing or doubled slash matches.
        RouteCase{"TrailingSlash", "POST", "/v1.0/p1/kms/create-key/", 200,
                  "create-key project_id=p1"},
        RouteCase{"DoubledSlash", "GET", "/v2//kms-key/k", 200, "exo-get-key id=k"},
        // Wrong method: 405 in the owning dialect's shape, or the router's own.
        RouteCase{"GetOnPostRoute", "GET", "/v1.0/p1/kms/create-key", 405,
                  "kms 405: method GET is not allowed here"},
        RouteCase{"LowerCaseMethod", "post", "/v1.0/p1/kms/create-key", 405,
                  "kms 405: method post is not allowed here"},
        RouteCase{"PatchOnSecret", "PATCH", "/v1/p1/secrets/s1", 405,
                  R"({"error":"method PATCH is not allowed here"})"},
        // Regression: the method went into the JSON body unescaped, and (found by
        // router_fuzz) a byte that is not UTF-8 made the body invalid JSON.
        RouteCase{"QuoteInMethod", "G\"T", "/v1/p1/secrets/s1", 405,
                  R"({"error":"method G?T is not allowed here"})"},
        RouteCase{"NonUtf8InMethod", "DEL\xb6*E", "/v1/p1/secrets/s1", 405,
                  R"({"error":"method DEL?*E is not allowed here"})"},
        RouteCase{"TokenCharactersKept", "M-1.x_~!", "/v1/p1/secrets/s1", 405,
                  R"({"error":"method M-1.x_~! is not allowed here"})"},
        RouteCase{"EmptyMethod", "", "/v2/kms-key/k", 405,
                  R"({"error":"method  is not allowed here"})"},
        // Truncated, one byte changed, over-long, empty: 404, never a prefix match.
        RouteCase{"PrefixOfRoute", "POST", "/v1.0/p1/kms", 404, "kms 404: no such API"},
        RouteCase{"NameChanged", "POST", "/v1.0/p1/kms/create-kez", 404, "kms 404: no such API"},
        RouteCase{"ExtraSegment", "POST", "/v1.0/p1/kms/create-key/x", 404, "kms 404: no such API"},
        RouteCase{"EmptyParam", "GET", "/v2/kms-key/", 404, R"({"error":"no such API"})"},
        RouteCase{"UpperCaseVersion", "POST", "/V1.0/p1/kms/create-key", 404,
                  R"({"error":"no such API"})"},
        RouteCase{"Root", "GET", "/", 404, R"({"error":"no such API"})"},
        RouteCase{"Empty", "GET", "", 404, R"({"error":"no such API"})"}),
    [](const auto& p) { return std::string(p.param.name); });

struct SplitCase {
    const char* name;
    std::string path;
    std::vector<std::string> segments;
};

void PrintTo(const SplitCase& c, std::ostream* os) {
    *os << c.name;
}

class SplitPath : public ::testing::TestWithParam<SplitCase> {};

TEST_P(SplitPath, GivesTheNonEmptySegments) {
    EXPECT_EQ(splitPath(GetParam().path), GetParam().segments);
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, SplitPath,
    ::testing::Values(SplitCase{"Plain", "/a/b/c", {"a", "b", "c"}},
                      SplitCase{"NoLeadingSlash", "a/b", {"a", "b"}},
                      SplitCase{"TrailingSlash", "/a/", {"a"}},
                      SplitCase{"Doubled", "//a//b//", {"a", "b"}}, SplitCase{"Root", "/", {}},
                      SplitCase{"Empty", "", {}},
                      SplitCase{"NulInside", std::string("/a\0b", 4), {std::string("a\0b", 3)}}),
    [](const auto& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace keyport::api
