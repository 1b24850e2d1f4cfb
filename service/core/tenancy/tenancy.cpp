#include "service/core/tenancy/tenancy.h"
#include "service/core/storage/sql_values.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>

#include <array>

#include "hsm/key_policies.h"
#include "service/core/base/clock.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"
#include "service/core/keys/public_crypto.h"

namespace keyport {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::BLOB;

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

Tenancy::Tenancy(Database& db, KeyMaterial& material) : db_(db), material_(material) {}

IssuedCredential Tenancy::addCredential(const std::string& domainId, const std::string& projectId,
                                        const std::string& region, Role role,
                                        const std::optional<std::string>& token,
                                        const std::optional<std::string>& accessKey,
                                        const std::optional<std::string>& secretKey) {
    Region& r = material_.regions().region(region);
    IssuedCredential c;
    c.principal = Principal{"", domainId, projectId, region, role};
    hsm::Bytes blob;
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
    }
    const hsm::Bytes hash = tokenHash(c.xAuthToken);
    db_.write([&](Poco::Data::Session& s) {
        const auto t = epochSeconds();
        s << "INSERT OR IGNORE INTO domains (id, created_at) VALUES (?, ?)", bind(domainId),
            bind(t), now;
        std::vector<std::string> owner, where;
        s << "SELECT domain_id, region FROM projects WHERE id = ?", bind(projectId), into(owner),
            into(where), now;
        if (!owner.empty() && (owner[0] != domainId || where[0] != region)) {
            throw Error(ErrorCode::InvalidParameter,
                        "names " + projectId + ", which exists in another domain or region",
                        Input::Project);
        }
        if (owner.empty()) {
            std::vector<std::string> other;
            s << "SELECT id FROM projects WHERE domain_id = ? AND region = ?", bind(domainId),
                bind(region), into(other), now;
            if (!other.empty()) {
                throw Error(ErrorCode::InvalidParameter,
                            "is not needed: domain " + domainId + " already has project " +
                                other[0] + " in region " + region,
                            Input::Project);
            }
            s << "INSERT INTO projects (id, domain_id, region, created_at) VALUES (?, ?, ?, ?)",
                bind(projectId), bind(domainId), bind(region), bind(t), now;
        }
        s << "INSERT INTO credentials (access_key, domain_id, project_id, role, token_hash, "
             "secret_region,"
             " secret_blob, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            bind(c.principal.accessKey), bind(domainId), bind(projectId),
            bind(std::string(name(role))), bind(BLOB(hash.data(), hash.size())), bind(region),
            bind(BLOB(blob.data(), blob.size())), bind(t), now;
    });
    return c;
}

std::optional<Principal> Tenancy::principalWhere(const std::string& column,
                                                 const std::string& value) {
    return db_.read([&](Poco::Data::Session& s) -> std::optional<Principal> {
        Poco::Data::Statement st(s);
        st << "SELECT c.access_key, c.domain_id, c.project_id, p.region, c.role FROM credentials c"
              " JOIN projects p ON p.id = c.project_id WHERE c."
           << column << " = ?",
            bind(value), now;
        Poco::Data::RecordSet rs(st);
        if (rs.rowCount() == 0) return std::nullopt;
        Principal p;
        p.accessKey = rs.value(0, 0).convert<std::string>();
        p.domainId = rs.value(1, 0).convert<std::string>();
        p.projectId = rs.value(2, 0).convert<std::string>();
        p.region = rs.value(3, 0).convert<std::string>();
        p.role = parseRole(rs.value(4, 0).convert<std::string>()).value_or(Role::ReadOnly);
        return p;
    });
}

std::optional<Principal> Tenancy::byToken(std::string_view token) {
    const hsm::Bytes hash = tokenHash(token);
    return principalsByTokenHash_.get(hexEncode(hash), [&] {
        return db_.read([&](Poco::Data::Session& s) -> std::optional<Principal> {
            std::vector<std::string> ak;
            s << "SELECT access_key FROM credentials WHERE token_hash = ?",
                bind(BLOB(hash.data(), hash.size())), into(ak), now;
            if (ak.empty()) return std::nullopt;
            return principalWhere("access_key", ak[0]);
        });
    });
}

std::optional<Principal> Tenancy::byAccessKey(const std::string& accessKey) {
    return principalsByAccessKey_.get(accessKey,
                                      [&] { return principalWhere("access_key", accessKey); });
}

std::optional<Project> Tenancy::project(const std::string& projectId) {
    return projects_.get(projectId, [&] {
        return db_.read([&](Poco::Data::Session& s) -> std::optional<Project> {
            std::vector<std::string> domain, region;
            s << "SELECT domain_id, region FROM projects WHERE id = ?", bind(projectId),
                into(domain), into(region), now;
            if (domain.empty()) return std::nullopt;
            return Project{projectId, domain[0], region[0]};
        });
    });
}

std::optional<Project> Tenancy::projectInRegion(const std::string& domainId,
                                                const std::string& region) {
    return db_.read([&](Poco::Data::Session& s) -> std::optional<Project> {
        std::vector<std::string> id;
        s << "SELECT id FROM projects WHERE domain_id = ? AND region = ?", bind(domainId),
            bind(region), into(id), now;
        if (id.empty()) return std::nullopt;
        return Project{id[0], domainId, region};
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
        auto row = db_.read([&](Poco::Data::Session& s) -> std::optional<Secret> {
            Poco::Data::Statement st(s);
            st << "SELECT secret_region, secret_blob FROM credentials WHERE access_key = ?",
                bind(accessKey), now;
            Poco::Data::RecordSet rs(st);
            if (rs.rowCount() == 0) return std::nullopt;
            return Secret{rs.value(0, 0).convert<std::string>(), blobValue(rs, 1, 0), nullptr};
        });
        if (!row) return false;
        Region& r = material_.regions().region(row->region);
        const auto tmpl = hsm::policy::customerHmacKey(hsm::Persistence::Session);
        const auto handle = r.token->withOwnerSession([&](hsm::Session& s) {
            return s.unwrapKey(hsm::Mechanism::aesKeyWrapPad(), r.kek, row->blob, tmpl);
        });
        key = std::make_shared<OpenKey>(r, handle);
        std::lock_guard lock(mutex_);
        secrets_[accessKey] = Secret{row->region, row->blob, key};
    }
    if (mac.size() != 32) return false;
    auto session = key->region().token->session();
    return session->verify(hsm::Mechanism::hmacSha256(), key->handle(), message, mac);
}

}  // namespace keyport
