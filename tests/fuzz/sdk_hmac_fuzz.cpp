// Huawei SDK-HMAC-SHA256 (and V11-HMAC-SHA256) on any request. Input: Authorization header
// \n X-Sdk-Date \n method \n path \n query \n one "name:value" header \n body. The header
// and date parsers must hold their promises; the canonical request must keep its line
// structure.
#include <algorithm>

#include "service/api/huawei/sdk_hmac.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace keyport::api;
    const auto f = keyport::fuzz::fields(data, size, 7);
    std::vector<std::string> signedHeaders{"host"};
    if (const auto a = huawei::parseAuthorization(f[0])) {
        KEYPORT_FUZZ_CHECK(!a->accessKey.empty() && a->signature.size() == 32);
        for (const auto& h : a->signedHeaders) {
            KEYPORT_FUZZ_CHECK(!h.empty() && std::none_of(h.begin(), h.end(), [](char c) {
                return c >= 'A' && c <= 'Z';
            }));
        }
        signedHeaders = a->signedHeaders;
    }
    if (const auto d = huawei::parseDerivedAuthorization(f[0])) {
        // A derived scope is exactly four '/'-free parts: the info never smuggles a line
        // break or another part into the string to sign.
        KEYPORT_FUZZ_CHECK(!d->sdk.accessKey.empty() && d->sdk.signature.size() == 32);
        KEYPORT_FUZZ_CHECK(d->date.size() == 8 && !d->region.empty() && !d->service.empty());
        const std::string info = d->info();
        KEYPORT_FUZZ_CHECK(std::count(info.begin(), info.end(), '/') == 2 &&
                           info.find('\n') == std::string::npos);
    }
    if (const auto t = huawei::parseSdkDate(f[1]); t && *t >= 0) {
        // An accepted date from 1970 on is a real instant, formatted back in the same shape
        // (formatSdkDate writes years before 1000 with fewer digits; no client sends them).
        // A day or second past its end is normalised (the table's February30Normalised), so
        // 99991231T235960Z is an instant of year 10000, which has no 16-character form.
        const std::string back = huawei::formatSdkDate(*t);
        if (back.size() == 16) KEYPORT_FUZZ_CHECK(huawei::parseSdkDate(back) == t);
    }
    Request req;
    req.method = f[2];
    req.path = f[3];
    req.query = f[4];
    const auto colon = f[5].find(':');
    req.headers.emplace_back(f[5].substr(0, colon),
                             colon == std::string::npos ? "" : f[5].substr(colon + 1));
    req.body = f[6];
    const std::string canonical = huawei::canonicalRequest(req, signedHeaders);
    // Escaped URI and query never add a line break; the method and header values are taken
    // as the HTTP layer gave them (no newlines there), so only count with those clean.
    if (req.method.find('\n') == std::string::npos &&
        req.headers[0].second.find('\n') == std::string::npos) {
        const auto lines = std::count(canonical.begin(), canonical.end(), '\n');
        std::size_t headerLines = 0;
        for (const auto& h : signedHeaders) {
            std::string lower = req.headers[0].first;
            std::transform(lower.begin(), lower.end(), lower.begin(),
                           [](unsigned char c) { return std::tolower(c); });
            headerLines += lower == h ? 1 : 0;
        }
        KEYPORT_FUZZ_CHECK(static_cast<std::size_t>(lines) == 5 + headerLines);
    }
    huawei::stringToSign(canonical, f[1]);
    return 0;
}
