// NAVER signature v2 on any request. Input: method \n path \n query \n timestamp \n access
// key. The message is exactly METHOD " " URI "\n" timestamp "\n" access key.
#include "service/api/ncloud/ncp_auth.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace keyport::api;
    const auto f = keyport::fuzz::fields(data, size, 5);
    Request req;
    req.method = f[0];
    req.path = f[1];
    req.query = f[2];
    const std::string m = ncloud::signatureMessage(req, f[3], f[4]);
    const std::string uri = req.path + (req.query.empty() ? "" : "?" + req.query);
    KEYPORT_FUZZ_CHECK(m == req.method + " " + uri + "\n" + f[3] + "\n" + f[4]);
    return 0;
}
