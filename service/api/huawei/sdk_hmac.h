// SDK-HMAC-SHA256: Huawei's AK/SK request signature exactly as its SDKs compute it (API.md
// §1). The server builds the string to sign and has the token check the HMAC; clients
// (the keyport CLI, tests) sign with `sign`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hsm/bytes.h"
#include "service/api/http.h"

namespace keyport::api::huawei {

inline constexpr char kSdkAlgorithm[] = "SDK-HMAC-SHA256";
// The SDK's opt-in derived signing (huaweicloud-sdk-core DerivedAKSKSigner).
inline constexpr char kDerivedAlgorithm[] = "V11-HMAC-SHA256";

struct SdkAuthorization {
    std::string accessKey;
    std::vector<std::string> signedHeaders;  // lowercase, as listed
    hsm::Bytes signature;
};

// nullopt unless `header` is "SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=<hex>".
std::optional<SdkAuthorization> parseAuthorization(std::string_view header);

// V11-HMAC-SHA256 Credential=<AK>/<YYYYMMDD>/<region>/<service>, SignedHeaders=..., Signature=..
struct DerivedAuthorization {
    SdkAuthorization sdk;  // accessKey, signedHeaders, signature
    std::string date;      // YYYYMMDD
    std::string region;
    std::string service;
    std::string info() const { return date + "/" + region + "/" + service; }
};
std::optional<DerivedAuthorization> parseDerivedAuthorization(std::string_view header);
// "V11-HMAC-SHA256\n<X-Sdk-Date>\n<info>\n" + hex(sha256(canonical)).
std::string derivedStringToSign(const std::string& canonical, const std::string& sdkDate,
                                const std::string& info);
// "YYYYMMDDTHHMMSSZ" → epoch seconds.
std::optional<std::int64_t> parseSdkDate(std::string_view date);
std::string formatSdkDate(std::int64_t epochSeconds);

std::string canonicalRequest(const Request& req, const std::vector<std::string>& signedHeaders);
std::string stringToSign(const std::string& canonical, const std::string& sdkDate);

// Client side: adds X-Sdk-Date (if absent) and Authorization to req.headers, signing
// every header present (names lowercased and sorted).
void sign(Request& req, const std::string& accessKey, const std::string& secretKey,
          std::int64_t now);

}  // namespace keyport::api::huawei
