// Huawei KMS MAC routes: generate-mac and verify-mac with HMAC keys, computed on-token.
// SDK models checked: nodejs services/kms/v2/model/GenerateMacRequestBody.ts,
// GenerateMacResponse.ts, VerifyMacRequestBody.ts, VerifyMacResponse.ts; go
// model_generate_mac_request_body.go ("message: 1 to 4096 bytes, base64"); the mac is hex,
// as in Huawei's VerifyMac API example.
#include "service/api/huawei/kms_call.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport::api::huawei {
namespace {

constexpr std::size_t kMaxMessage = 4096;

hsm::Hash macAlgorithm(const KmsCall& c) {
    auto a = parseMacAlgorithm(c.body.string("mac_algorithm"));
    if (!a) {
        throw Error(ErrorCode::InvalidParameter,
                    "mac_algorithm must be HMAC_SHA_256, HMAC_SHA_384 or HMAC_SHA_512",
                    "mac_algorithm");
    }
    return *a;
}

hsm::Bytes macMessage(const KmsCall& c) {
    auto m = base64Decode(c.body.string("message"));
    if (!m) throw Error(ErrorCode::InvalidParameter, "message is not valid base64", "message");
    if (m->empty() || m->size() > kMaxMessage) {
        throw Error(ErrorCode::InvalidParameter, "message must be 1 to 4096 bytes", "message");
    }
    return std::move(*m);
}

}  // namespace

Poco::JSON::Object::Ptr generateMac(KmsCall& c) {
    const std::string id = c.keyId();
    const hsm::Hash algorithm = macAlgorithm(c);
    const hsm::Bytes message = macMessage(c);
    const hsm::Bytes mac = c.services.macs->generate(c.scope, id, algorithm, message);
    auto o = object();
    o->set("key_id", id);
    o->set("mac_algorithm", std::string(macAlgorithmName(algorithm)));
    o->set("mac", hexEncode(mac));
    return o;
}

Poco::JSON::Object::Ptr verifyMac(KmsCall& c) {
    const std::string id = c.keyId();
    const hsm::Hash algorithm = macAlgorithm(c);
    const hsm::Bytes message = macMessage(c);
    auto mac = hexDecode(c.body.string("mac"));
    if (!mac || mac->empty())
        throw Error(ErrorCode::InvalidParameter, "mac must be a hexadecimal string", "mac");
    const bool ok = c.services.macs->verify(c.scope, id, algorithm, message, *mac);
    auto o = object();
    o->set("key_id", id);
    o->set("mac_algorithm", std::string(macAlgorithmName(algorithm)));
    o->set("mac_valid", ok);
    return o;
}

}  // namespace keyport::api::huawei
