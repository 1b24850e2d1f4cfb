#include "service/api/ncloud/ncp_key_json.h"

#include "service/api/json.h"
#include "service/api/ncloud/ncp_call.h"
#include "service/core/base/encoding.h"
#include "service/core/keys/public_crypto.h"

namespace keyport::api::ncloud {
namespace {

using Poco::JSON::Object;

// NAVER documents keyId and keystoreId as integers; Keyport's ids are strings. A stable
// integer of 52 bits (exact in every JSON reader, JavaScript's doubles included) derived
// from the id stands in for them; no route takes it back.
std::int64_t integerId(const std::string& kind, const std::string& id) {
    const auto h = digest(hsm::Hash::Sha256, hsm::asBytes(kind + "\n" + id));
    std::int64_t v = 0;
    for (int i = 0; i < 7; ++i) v = (v << 8) | h[static_cast<std::size_t>(i)];
    return v >> 4;
}

// NAVER's endpoints by key boundary (security-kms overview): global, or region-isolated.
std::string baseUrl(const std::string& region) {
    if (region == "KR") return "https://ocapi-kr.ncloud.com";
    if (region == "JPN") return "https://ocapi-jp.ncloud.com";
    return "https://ocapi.ncloud.com";
}

}  // namespace

std::optional<std::string> ncpKeyType(KeySpec s) {
    switch (s) {
        case KeySpec::Aes256:
            return "AES256";
        case KeySpec::Rsa2048:
            return "RSA2048";
        case KeySpec::EcP256:
            return "ECDSA";
        default:
            return std::nullopt;
    }
}

std::string ncpStatus(KeyState s) {
    switch (s) {
        case KeyState::Enabled:
            return "ENABLE";
        case KeyState::PendingDeletion:
            return "REVOKE";
        default:
            return "DISABLE";
    }
}

std::optional<std::int64_t> nextRotationMs(const KeyRecord& k, const Services& services) {
    if (!k.rotation.enabled) return std::nullopt;
    return k.rotation.sinceMs + k.rotation.intervalDays * services.config.rotationDaySeconds * 1000;
}

Object::Ptr keyInfoJson(const KeyRecord& k, const Services& services) {
    auto o = object();
    const std::string tag = k.keyTag.value_or("");
    o->set("keyId", integerId("key", k.id));
    o->set("keyTag", tag);
    o->set("keyName", k.alias);
    // NRN after NAVER's pattern nrn:PUB:<service>::<account>:<type>/<id>.
    o->set("nrn", "nrn:PUB:KMS::" + k.domainId + ":Key/" + tag);
    o->set("baseUrl", baseUrl(k.region));
    o->set("keyType", ncpKeyType(k.spec).value_or(""));
    o->set("status", ncpStatus(k.state));
    o->set("keystoreId", integerId("keystore", k.domainId));
    o->set("currentVersion", static_cast<std::int64_t>(k.materialVersion));
    // Every Keyport key lives on a PKCS#11 token (wrapped under the token's KEK, used only
    // on-token), which is what COMMON_HSM promises; so that is what every key reports.
    o->set("protectionType", "COMMON_HSM");
    o->set("memo", k.description);
    o->set("isConvergent", k.convergent);
    o->set("isAutoRotation", k.rotation.enabled);
    o->set("rotationPeriod", k.rotation.intervalDays);
    if (auto next = nextRotationMs(k, services)) o->set("nextRotationDate", *next);
    o->set("registerDate", k.createdAtMs);
    if (k.deletionDateMs) o->set("destroyDate", *k.deletionDateMs);
    return o;
}

}  // namespace keyport::api::ncloud
