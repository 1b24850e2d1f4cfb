#include "service/core/tenancy/key_access_token.h"

#include "hsm/bytes.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport {
namespace {

constexpr char kPrefix[] = "kpkt1.";
constexpr std::uint8_t kMagic[] = {'K', 'P', 'K', 'T'};
constexpr std::size_t kNonce = 16;
constexpr std::size_t kMac = KeyAccessToken::kMacSize;
// magic, kind, issued, bounded flag, expiry, nonce and four empty strings.
constexpr std::size_t kLeastBody = 4 + 1 + 8 + 1 + 8 + kNonce + 4;
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

hsm::Bytes KeyAccessToken::decodeText(std::string_view text) {
    if (text.size() > kMaxText || !text.starts_with(kPrefix)) invalid("not a Keyport key token");
    auto raw = base64Decode(text.substr(sizeof kPrefix - 1));
    if (!raw) invalid("not base64");
    if (raw->size() < kLeastBody + kMac) invalid("too short");
    return std::move(*raw);
}

KeyAccessToken KeyAccessToken::parseBody(hsm::ByteView body) {
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
    if (bounded > 1) invalid("malformed expiry");
    if (bounded) t.expiresAt = expires;
    for (std::size_t i = 0; i < kNonce; ++i) r.byte();
    t.domainId = r.str();
    t.projectId = r.str();
    t.region = r.str();
    t.keyTag = r.str();
    if (r.pos != body.size()) invalid("trailing bytes");
    return t;
}

KeyAccessToken KeyAccessToken::verify(RegionTokens& regions, std::string_view text) {
    const hsm::Bytes raw = decodeText(text);
    const KeyAccessToken t = parseBody(hsm::ByteView(raw.data(), raw.size() - kMac));
    Region* issuer = nullptr;
    try {
        issuer = &regions.region(t.region);
    } catch (const std::exception&) {
        invalid("names no region of this server");
    }
    return verifyIn(*issuer, text);
}

KeyAccessToken KeyAccessToken::verifyIn(Region& issuer, std::string_view text) {
    const hsm::Bytes raw = decodeText(text);
    const hsm::ByteView body(raw.data(), raw.size() - kMac);
    const hsm::ByteView mac(raw.data() + body.size(), kMac);
    KeyAccessToken t = parseBody(body);
    if (t.region != issuer.name) invalid("names another region");
    auto session = issuer.token->session();
    if (!session->verify(hsm::Mechanism::hmacSha256(), issuer.mac, body, mac))
        invalid("not made by this server, or altered");
    return t;
}

}  // namespace keyport
