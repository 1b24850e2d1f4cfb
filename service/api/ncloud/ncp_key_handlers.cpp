// Create, get, list and migrate of NAVER keys (API 2.0 pages security-kms2-create-key,
// security-kms2-key-info, security-kms2-key-list; migrate per API.md §4).
#include "service/api/ncloud/ncp_api.h"
#include "service/api/ncloud/ncp_call.h"
#include "service/api/ncloud/ncp_key_json.h"
#include "service/core/base/errors.h"

namespace keyport::api::ncloud {
namespace {

using Poco::JSON::Object;

constexpr std::int64_t kDefaultRotationDays = 90;  // security-kms2-create-key: 1–730, 90

// A NAVER key: one with a keyTag and a type NAVER names. Keys made through another dialect
// in the same project (no keyTag, or an HMAC/P-384/RSA-4096 spec) are invisible here, as
// they would be in NAVER's own key store.
bool naverVisible(const KeyRecord& k) {
    return k.keyTag.has_value() && ncpKeyType(k.spec).has_value();
}

bool validName(const std::string& n) {
    if (n.size() < 3 || n.size() > 15 || !std::isalpha(static_cast<unsigned char>(n[0])))
        return false;
    return std::all_of(n.begin(), n.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
    });
}

// UTF-8 characters, not bytes: NAVER's memo limit is in characters.
std::size_t characters(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char ch) {
        return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
    }));
}

// One decimal query parameter in [min, max] (absent: nullopt).
std::optional<std::int64_t> queryInteger(const Request& req, const std::string& name,
                                         std::int64_t min, std::int64_t max) {
    std::size_t at = 0;
    while (at <= req.query.size()) {
        const std::size_t end = std::min(req.query.find('&', at), req.query.size());
        const std::string pair = req.query.substr(at, end - at);
        at = end + 1;
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) != name) continue;
        const std::string v = eq == std::string::npos ? "" : pair.substr(eq + 1);
        if (v.empty() || v.size() > 9 || !std::all_of(v.begin(), v.end(), ::isdigit) ||
            std::stoll(v) < min || std::stoll(v) > max) {
            throw Error(
                ErrorCode::InvalidParameter,
                "must be an integer from " + std::to_string(min) + " to " + std::to_string(max),
                name);
        }
        return std::stoll(v);
    }
    return std::nullopt;
}

}  // namespace

std::string validKeyName(const std::string& name) {
    if (!validName(name)) {
        throw Error(ErrorCode::InvalidParameter, "3 to 15 of [A-Za-z0-9_-], starting with a letter",
                    "keyName");
    }
    return name;
}

std::string validMemo(const std::string& memo) {
    if (characters(memo) > 100)
        throw Error(ErrorCode::InvalidParameter, "0 to 100 characters", "memo");
    return memo;
}

KeyRecord byTag(NcpCall& c) {
    const std::string& tag = c.req.param("keyTag");
    auto k = c.services.keys->findByTag(c.scope, tag);
    if (!k || !naverVisible(*k))
        throw Error(ErrorCode::KeyNotFound,
                    "no key with keyTag " + tag + " in region " + c.scope.region);
    return *k;
}

Object::Ptr createKey(NcpCall& c) {
    CreateKey cmd;
    cmd.alias = validKeyName(c.body.string("keyName"));
    const std::string type = c.body.string("keyType");
    if (type == "AES256") {
        cmd.spec = KeySpec::Aes256;
    } else if (type == "RSA2048") {
        cmd.spec = KeySpec::Rsa2048;
        cmd.usage = KeyUsage::EncryptSign;  // NAVER: encrypt/decrypt and sign/verify
    } else if (type == "ECDSA") {
        cmd.spec = KeySpec::EcP256;
        cmd.usage = KeyUsage::SignVerify;
    } else {
        throw Error(ErrorCode::InvalidParameter, "must be AES256, RSA2048 or ECDSA", "keyType");
    }
    // security-kms2-create-key: isConvergent (AES256 only; context then always required).
    cmd.convergent = c.body.optBool("isConvergent").value_or(false);
    if (cmd.convergent && cmd.spec != KeySpec::Aes256)
        throw Error(ErrorCode::InvalidParameter, "isConvergent is only for AES256 keys");
    cmd.description = validMemo(c.body.optString("memo").value_or(""));
    // Both documented values are honoured the same way: every Keyport key is on a PKCS#11
    // token, which already is what COMMON_HSM asks for and more than BASIC does.
    const std::string protection = c.body.optString("protectionType").value_or("COMMON_HSM");
    if (protection != "BASIC" && protection != "COMMON_HSM")
        throw Error(ErrorCode::InvalidParameter, "must be BASIC or COMMON_HSM", "protectionType");
    // Documented default false; rotationPeriod only with isAutoRotation true.
    const bool autoRotation = c.body.optBool("isAutoRotation").value_or(false);
    const auto period = c.body.optInteger("rotationPeriod", 1, 730);
    if (period && !autoRotation) {
        throw Error(ErrorCode::InvalidParameter, "can be set only when isAutoRotation is true",
                    "rotationPeriod");
    }
    // Keyport makes new material versions for symmetric keys only (core KeyRotation).
    if (autoRotation && cmd.spec != KeySpec::Aes256) {
        throw Error(ErrorCode::InvalidParameter, "can be true only for AES256 keys here",
                    "isAutoRotation");
    }
    cmd.keyTag = keyTag(c.scope.domainId, cmd.alias);
    if (c.services.keys->findByAlias(c.scope, cmd.alias)) {
        throw Error(ErrorCode::AliasExists, "a key named " + cmd.alias + " already exists here",
                    "keyName");
    }
    // A renamed key keeps the tag of its first name (security-kms2-update-key-name answers
    // the same keyTag), so that name stays taken until the renamed key is gone.
    if (c.services.keys->findByTag(c.scope, *cmd.keyTag)) {
        throw Error(ErrorCode::AliasExists,
                    "a key that was once named " + cmd.alias + " still has its keyTag", "keyName");
    }
    // The policy is written with the key, in create's one transaction.
    if (cmd.spec == KeySpec::Aes256) {
        KeyRotationPolicy policy;
        policy.enabled = autoRotation;
        policy.intervalDays = period.value_or(kDefaultRotationDays);
        cmd.rotation = policy;
    }
    return ok(keyInfoJson(c.services.keys->create(c.scope, cmd), c.services));
}

Object::Ptr getKey(NcpCall& c) {
    return ok(keyInfoJson(byTag(c), c.services));
}

// security-kms2-key-list: pageNo (default 1), pageSize 1–200 (default 100).
Object::Ptr listKeys(NcpCall& c) {
    const std::int64_t pageNo = queryInteger(c.req, "pageNo", 1, 100000000).value_or(1);
    const std::int64_t pageSize = queryInteger(c.req, "pageSize", 1, 200).value_or(100);
    // Other dialects' keys share the project and are filtered out, so the page is cut from
    // the NAVER keys rather than from core's pages.
    std::vector<KeyRecord> mine;
    std::optional<std::string> marker;
    do {
        KeyList page = c.services.keys->list(c.scope, 1000, marker);
        for (auto& k : page.keys)
            if (naverVisible(k)) mine.push_back(std::move(k));
        marker = page.nextMarker;
    } while (marker);
    const auto total = static_cast<std::int64_t>(mine.size());
    auto list = Poco::JSON::Array::Ptr(new Poco::JSON::Array);
    for (std::int64_t i = (pageNo - 1) * pageSize; i < std::min(total, pageNo * pageSize); ++i) {
        const KeyRecord& k = mine[static_cast<std::size_t>(i)];
        auto o = keyInfoJson(k, c.services);
        list->add(o);
    }
    auto d = object();
    d->set("KeyList", list);
    d->set("currentPageNo", pageNo);
    d->set("totalPageNo", (total + pageSize - 1) / pageSize);
    d->set("totalCount", total);
    return ok(d);
}

Object::Ptr migrate(NcpCall& c) {
    const KeyRecord k = byTag(c);
    const std::string target = c.body.string("targetRegion");
    if (target != "KR" && target != "JPN") {
        throw Error(ErrorCode::InvalidParameter, "must be KR or JPN", "targetRegion");
    }
    if (k.region != kGlobalRegion)
        throw Error(ErrorCode::InvalidRequest, "only a global key can be migrated");
    const auto project = c.services.tenancy->projectInRegion(c.scope.domainId, target);
    if (!project)
        throw Error(ErrorCode::Forbidden, "your account has no project in region " + target);
    const KeyRecord moved = c.services.replication->migrate(
        c.scope, k.id, ProjectScope{c.scope.domainId, project->id, target});
    auto d = object();
    d->set("keyTag", moved.keyTag.value_or(""));
    d->set("targetRegion", target);
    return ok(d);
}

}  // namespace keyport::api::ncloud
