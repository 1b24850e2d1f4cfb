// Exoscale EXO2-HMAC-SHA256 on any request. Input: Authorization header \n method \n path
// \n query \n body. parseExo2 keeps its promises; exo2Message gives the message or an
// AuthError, nothing else (anything else would be a 500).
#include "service/api/exoscale/exo_auth.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace keyport::api;
    const auto f = keyport::fuzz::fields(data, size, 5);
    std::vector<std::string> args{"a", "b"};
    std::int64_t expires = 0;
    if (const auto a = exoscale::parseExo2(f[0])) {
        KEYPORT_FUZZ_CHECK(!a->credential.empty() && !a->signatureB64.empty());
        KEYPORT_FUZZ_CHECK(a->expires >= 0 && a->expires <= 999999999999);
        args = a->signedQueryArgs;
        expires = a->expires;
    }
    Request req;
    req.method = f[1];
    req.path = f[2];
    req.query = f[3];
    req.body = f[4];
    try {
        const std::string m = exoscale::exo2Message(req, args, expires);
        const std::string head = req.method + " " + req.path + "\n" + req.body + "\n";
        KEYPORT_FUZZ_CHECK(m.compare(0, head.size(), head) == 0);
        KEYPORT_FUZZ_CHECK(m.ends_with("\n\n" + std::to_string(expires)));
    } catch (const AuthError& e) {
        KEYPORT_FUZZ_CHECK(e.kind() == AuthFailure::Invalid);
    }
    return 0;
}
