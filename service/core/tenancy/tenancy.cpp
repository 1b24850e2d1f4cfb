#include "service/core/tenancy/tenancy.h"

#include <array>

#include <openssl/crypto.h>

#include <utility>

#include "hsm/key_policies.h"
#include "service/core/base/clock.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"
#include "service/core/keys/public_crypto.h"

namespace keyport {
namespace {

// Wipes a plain buffer that held a derived secret (hsm::Session::sign returns Bytes).
void wipe(hsm::Bytes& b) {
    OPENSSL_cleanse(b.data(), b.size());
}

// An on-token HMAC key (session object, sign/verify only, never extractable) with `value`.
hsm::ObjectHandle hmacKeyOf(hsm::Session& s, hsm::ByteView value) {
    auto tmpl = hsm::policy::customerHmacKey(hsm::Persistence::Session);
    tmpl.set(CKA_VALUE, value);
    return s.createObject(tmpl);
}

// The HKDF extract step of Huawei's derived signing: PRK = HMAC-SHA256(key AK, SK), computed
// on-token with AK (not secret) as the key, then sealed under the region KEK like the SK.
hsm::Bytes sealDerivationKey(KeyMaterial& material, Region& r, hsm::Session& s,
                             const std::string& accessKey, const std::string& secretKey) {
    // HMAC pads a short key with zero bytes to the block size, so AK padded with zeros to 32
    // bytes is the same key, and meets SoftHSM's minimum HMAC-SHA256 key size.
    hsm::Bytes akKey(accessKey.begin(), accessKey.end());
    if (akKey.size() < 32) akKey.resize(32, 0);
    const auto ak = hmacKeyOf(s, akKey);
    hsm::Bytes prk = s.sign(hsm::Mechanism::hmacSha256(), ak, hsm::asBytes(secretKey));
    s.destroyObject(ak);
    auto tmpl = hsm::policy::transientSecret(CKK_GENERIC_SECRET);
    tmpl.set(CKA_VALUE, prk);
    wipe(prk);
    const auto h = s.createObject(tmpl);
    hsm::Bytes blob = material.seal(r, s, h);
    s.destroyObject(h);
    return blob;
}

constexpr std::array<std::pair<Role, std::string_view>, 3> kRoles{
    {{Role::Admin, "admin"}, {Role::User, "user"}, {Role::ReadOnly, "readonly"}}};

std::string randomText(hsm::Session& s, std::size_t bytes) {
    return hexEncode(s.random(bytes));
}

hsm::Bytes tokenHash(std::string_view token) {
    return digest(hsm::Hash::Sha256, hsm::asBytes(token));
}

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

std::string_view name(Role r) {
    for (const auto& [v, n] : kRoles) {
        if (v == r) return n;
    }
    return "?";
}

std::optional<Role> parseRole(std::string_view s) {
    for (const auto& [v, n] : kRoles) {
        if (n == s) return v;
    }
    return std::nullopt;
}

Tenancy::Tenancy(Database& db, RegionTokens& regions, KeyMaterial& material)
    : db_(db), regions_(regions), material_(material) {}

IssuedCredential Tenancy::addCredential(const std::string& domainId, const std::string& projectId,
                                        const std::string& region, Role role,
                                        const std::optional<std::string>& token,
                                        const std::optional<std::string>& accessKey,
                                        const std::optional<std::string>& secretKey) {
    Region& r = regions_.region(region);
    IssuedCredential c;
    c.principal = Principal{"", domainId, projectId, region, role};
    hsm::Bytes blob, derivationBlob;
    {
        auto s = r.token->session();
        c.xAuthToken = token.value_or(randomText(*s, 32));
        c.principal.accessKey = accessKey.value_or(upper(randomText(*s, 10)));
        c.secretKey = secretKey.value_or(randomText(*s, 20));
        // The SK becomes an on-token HMAC key; only its KEK-wrapped blob is stored.
        auto tmpl = hsm::policy::transientSecret(CKK_GENERIC_SECRET);
        tmpl.set(CKA_VALUE, hsm::asBytes(c.secretKey));
        const auto h = s->createObject(tmpl);
        blob = material_.seal(r, *s, h);
        s->destroyObject(h);
        derivationBlob = sealDerivationKey(material_, r, *s, c.principal.accessKey, c.secretKey);
    }
    const hsm::Bytes hash = tokenHash(c.xAuthToken);
    db_.write([&](Poco::Data::Session& s) {
        const auto t = epochSeconds();
        tenancy_store::ensureDomain(s, domainId, t);
        const auto existing = tenancy_store::findProject(s, projectId);
        if (existing && (existing->domainId != domainId || existing->region != region)) {
            throw Error(ErrorCode::InvalidParameter,
                        "names " + projectId + ", which exists in another domain or region",
                        Input::Project);
        }
        if (!existing) {
            const auto other = tenancy_store::projectInRegion(s, domainId, region);
            if (other) {
                throw Error(ErrorCode::InvalidParameter,
                            "is not needed: domain " + domainId + " already has project " +
                                other->id + " in region " + region,
                            Input::Project);
            }
            tenancy_store::insertProject(s, Project{projectId, domainId, region}, t);
        }
        tenancy_store::insertCredential(
            s, NewCredential{c.principal.accessKey, domainId, projectId, std::string(name(role)),
                             hash, region, blob, t});
        tenancy_store::insertDerivationKey(s, c.principal.accessKey,
                                           CredentialSecret{region, derivationBlob});
    });
    return c;
}

std::optional<Principal> Tenancy::principalByAccessKey(const std::string& accessKey) {
    const auto row =
        db_.read([&](Poco::Data::Session& s) { return tenancy_store::credential(s, accessKey); });
    if (!row) return std::nullopt;
    return Principal{row->accessKey, row->domainId, row->projectId, row->region,
                     parseRole(row->role).value_or(Role::ReadOnly)};
}

std::optional<Principal> Tenancy::byToken(std::string_view token) {
    const hsm::Bytes hash = tokenHash(token);
    return principalsByTokenHash_.get(hexEncode(hash), [&] {
        const auto ak = db_.read(
            [&](Poco::Data::Session& s) { return tenancy_store::accessKeyByTokenHash(s, hash); });
        if (!ak) return std::optional<Principal>();
        return principalByAccessKey(*ak);
    });
}

std::optional<Principal> Tenancy::byAccessKey(const std::string& accessKey) {
    return principalsByAccessKey_.get(accessKey, [&] { return principalByAccessKey(accessKey); });
}

std::optional<Project> Tenancy::project(const std::string& projectId) {
    return projects_.get(projectId, [&] {
        return db_.read(
            [&](Poco::Data::Session& s) { return tenancy_store::findProject(s, projectId); });
    });
}

std::optional<Project> Tenancy::projectInRegion(const std::string& domainId,
                                                const std::string& region) {
    return db_.read([&](Poco::Data::Session& s) {
        return tenancy_store::projectInRegion(s, domainId, region);
    });
}

bool Tenancy::verifyHmac(const std::string& accessKey, hsm::ByteView message, hsm::ByteView mac) {
    std::shared_ptr<OpenKey> key;
    {
        std::lock_guard lock(mutex_);
        auto it = secrets_.find(accessKey);
        if (it != secrets_.end()) key = it->second.open;
    }
    if (!key) {
        const auto row = db_.read(
            [&](Poco::Data::Session& s) { return tenancy_store::credentialSecret(s, accessKey); });
        if (!row) return false;
        Region& r = regions_.region(row->region);
        const auto tmpl = hsm::policy::customerHmacKey(hsm::Persistence::Session);
        const auto handle = r.token->withOwnerSession(
            [&](hsm::Session& s) { return r.keks->open(s, row->blob, tmpl); });
        key = std::make_shared<OpenKey>(r, handle);
        std::lock_guard lock(mutex_);
        secrets_[accessKey] = Secret{row->region, row->blob, key};
    }
    if (mac.size() != 32) return false;
    auto session = key->region().token->session();
    return session->verify(hsm::Mechanism::hmacSha256(), key->handle(), message, mac);
}

bool Tenancy::verifyDerivedHmac(const std::string& accessKey, const std::string& info,
                                hsm::ByteView message, hsm::ByteView mac) {
    if (mac.size() != 32) return false;
    std::shared_ptr<OpenKey> prk;
    {
        std::lock_guard lock(mutex_);
        auto it = derivationKeys_.find(accessKey);
        if (it != derivationKeys_.end()) prk = it->second.open;
    }
    if (!prk) {
        const auto row = db_.read(
            [&](Poco::Data::Session& s) { return tenancy_store::derivationKey(s, accessKey); });
        if (!row) return false;
        Region& r = regions_.region(row->region);
        const auto tmpl = hsm::policy::customerHmacKey(hsm::Persistence::Session);
        const auto handle = r.token->withOwnerSession(
            [&](hsm::Session& s) { return r.keks->open(s, row->blob, tmpl); });
        prk = std::make_shared<OpenKey>(r, handle);
        std::lock_guard lock(mutex_);
        derivationKeys_[accessKey] = Secret{row->region, row->blob, prk};
    }
    auto session = prk->region().token->session();
    // HKDF expand, one block (32 bytes = one SHA-256 output): T1 = HMAC(PRK, info | 0x01).
    hsm::Bytes block(info.begin(), info.end());
    block.push_back(0x01);
    hsm::Bytes t1 = session->sign(hsm::Mechanism::hmacSha256(), prk->handle(), block);
    // The SDK keys the final HMAC with the derived key's lower-case hex text: that text goes
    // back on-token as a session HMAC key for the check, and is wiped here.
    static constexpr char kHex[] = "0123456789abcdef";
    hsm::SecretBytes hexKey(t1.size() * 2);
    for (std::size_t i = 0; i < t1.size(); ++i) {
        hexKey.reveal()[2 * i] = static_cast<std::uint8_t>(kHex[t1[i] >> 4]);
        hexKey.reveal()[2 * i + 1] = static_cast<std::uint8_t>(kHex[t1[i] & 15]);
    }
    wipe(t1);
    const auto signingKey = hmacKeyOf(*session, std::as_const(hexKey).reveal());
    bool ok = false;
    try {
        ok = session->verify(hsm::Mechanism::hmacSha256(), signingKey, message, mac);
    } catch (...) {
        session->destroyObjectNoThrow(signingKey);
        throw;
    }
    session->destroyObject(signingKey);
    return ok;
}

}  // namespace keyport
