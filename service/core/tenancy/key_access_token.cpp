#include "service/core/tenancy/key_access_token.h"

#include "hsm/bytes.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport {
namespace {

constexpr char kPrefix[] = "kpkt1.";
constexpr std::uint8_t kMagic[] = {'K', 'P', 'K', 'T'};
constexpr std::size_t kNonce = 16;
constexpr std::size_t kMac = 32;
constexpr std::size_t kMaxText = 2048;

[[noreturn]] void invalid(const char* why) {
    throw Error(ErrorCode::Unauthorized, std::string("the key token is invalid: ") + why);
}

void putU64(hsm::Bytes& out, std::int64_t v) {
    for (int i = 7; i >= 0; --i)
        out.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (8 * i)));
}

void putString(hsm::Bytes& out, const std::string& s) {
    if (s.size() > 255) throw Error(ErrorCode::Internal, "key token field too long");
    out.push_back(static_cast<std::uint8_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
}

struct Reader {
    hsm::ByteView data;
    std::size_t pos = 0;

    std::uint8_t byte() {
        if (pos >= data.size()) invalid("truncated");
        return data[pos++];
    }
    std::int64_t u64() {
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v = v << 8 | byte();
        return static_cast<std::int64_t>(v);
    }
    std::string str() {
        const std::size_t n = byte();
        if (pos + n > data.size()) invalid("truncated");
        std::string s(reinterpret_cast<const char*>(data.data() + pos), n);
        pos += n;
        return s;
    }
};

}  // namespace

std::string KeyAccessToken::issue(Region& issuer) const {
    hsm::Bytes body(std::begin(kMagic), std::end(kMagic));
    body.push_back(static_cast<std::uint8_t>(kind));
    putU64(body, issuedAt);
    body.push_back(expiresAt ? 1 : 0);
    putU64(body, expiresAt.value_or(0));
    auto session = issuer.token->session();
    const hsm::Bytes nonce = session->random(kNonce);
    body.insert(body.end(), nonce.begin(), nonce.end());
    putString(body, domainId);
    putString(body, projectId);
    putString(body, region);
    putString(body, keyTag);
    const hsm::Bytes mac = session->sign(hsm::Mechanism::hmacSha256(), issuer.mac, body);
    body.insert(body.end(), mac.begin(), mac.end());
    return kPrefix + base64Encode(body);
}

KeyAccessToken KeyAccessToken::verify(RegionTokens& regions, std::string_view text) {
    if (text.size() > kMaxText || !text.starts_with(kPrefix)) invalid("not a Keyport key token");
    const auto raw = base64Decode(text.substr(sizeof kPrefix - 1));
    if (!raw) invalid("not base64");
    if (raw->size() < sizeof kMagic + 1 + 8 + 1 + 8 + kNonce + 4 + kMac) invalid("too short");
    const hsm::ByteView body(raw->data(), raw->size() - kMac);
    const hsm::ByteView mac(raw->data() + body.size(), kMac);
    Reader r{body};
    for (std::uint8_t m : kMagic)
        if (r.byte() != m) invalid("not a Keyport key token");
    KeyAccessToken t;
    const std::uint8_t kind = r.byte();
    if (kind != 1 && kind != 2) invalid("unknown kind");
    t.kind = static_cast<Kind>(kind);
    t.issuedAt = r.u64();
    const std::uint8_t bounded = r.byte();
    const std::int64_t expires = r.u64();
    if (bounded > 1) invalid("malformed");
    if (bounded) t.expiresAt = expires;
    r.pos += kNonce;
    if (r.pos > body.size()) invalid("truncated");
    t.domainId = r.str();
    t.projectId = r.str();
    t.region = r.str();
    t.keyTag = r.str();
    if (r.pos != body.size()) invalid("trailing bytes");
    Region* issuer = nullptr;
    try {
        issuer = &regions.region(t.region);
    } catch (const std::exception&) {
        invalid("names no region of this server");
    }
    auto session = issuer->token->session();
    if (!session->verify(hsm::Mechanism::hmacSha256(), issuer->mac, body, mac))
        invalid("not made by this server");
    return t;
}

}  // namespace keyport
