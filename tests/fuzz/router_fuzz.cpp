// Router::dispatch on any method and path ("METHOD\nPATH"): a route's handler, or 404/405,
// and the router's own error body is always JSON.
#include <Poco/JSON/Parser.h>

#include "service/api/router.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using namespace keyport::api;

Handler ok() {
    return [](Request& req) {
        KEYPORT_FUZZ_CHECK(!req.params.empty());
        for (const auto& [k, v] : req.params)
            KEYPORT_FUZZ_CHECK(!v.empty() && v.find('/') == std::string::npos);
        return Response::json(200, "{}");
    };
}

const Router& router() {  // as tests/parsers/router_test.cpp
    static const Router r = [] {
        Router r;
        r.add("POST", "/v1.0/{project_id}/kms/create-key", ok());
        r.add("POST", "/v1.0/{project_id}/kms/describe-key", ok());
        r.add("POST", "/v2/{project_id}/kms/keys/{key_id}/replicate", ok());
        r.add("GET", "/v1/{project_id}/secrets/{secret_name}", ok());
        r.add("DELETE", "/v1/{project_id}/secrets/{secret_name}", ok());
        r.add("GET", "/v1/{project_id}/secrets/{secret_name}/versions/{version_id}", ok());
        r.add("GET", "/v2/kms-key/{id}", ok());
        r.addDialect([](std::string_view p) { return p.starts_with("/v1.0/"); },
                     [](int status, const std::string&) { return Response::json(status, "{}"); });
        return r;
    }();
    return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto f = keyport::fuzz::fields(data, size, 2);
    Request req;
    req.method = f[0];
    req.path = f[1];
    const Response res = router().dispatch(req);
    // 400: a bad percent-escape or a control byte in the target, refused before any route.
    KEYPORT_FUZZ_CHECK(res.status == 200 || res.status == 400 || res.status == 404 ||
                       res.status == 405);
    bool json = true;
    try {
        Poco::JSON::Parser().parse(res.body);
    } catch (const Poco::Exception&) {
        json = false;
    }
    KEYPORT_FUZZ_CHECK(json);
    return 0;
}
