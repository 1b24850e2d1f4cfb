#include "service/core/tenancy/key_access_token.h"

#include "hsm/bytes.h"
#include "service/core/base/byte_fields.h"
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

}  // namespace

std::string KeyAccessToken::issue(Region& issuer) const {
    hsm::Bytes body(std::begin(kMagic), std::end(kMagic));
    ByteWriter w{body};
    w.u8(static_cast<std::uint8_t>(kind));
    w.u64(issuedAt);
    w.u8(expiresAt ? 1 : 0);
    w.u64(expiresAt.value_or(0));
    auto session = issuer.token->session();
    const hsm::Bytes nonce = session->random(kNonce);
    w.raw(nonce);
    w.shortString(domainId);
    w.shortString(projectId);
    w.shortString(region);
    w.shortString(keyTag);
    const hsm::Bytes mac = session->sign(hsm::Mechanism::hmacSha256(), issuer.mac, body);
    w.raw(mac);
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
    try {
        ByteReader r{body};
        for (std::uint8_t m : kMagic)
            if (r.u8() != m) invalid("not a Keyport key token");
        KeyAccessToken t;
        const std::uint8_t kind = r.u8();
        if (kind != 1 && kind != 2) invalid("unknown kind");
        t.kind = static_cast<Kind>(kind);
        t.issuedAt = r.u64();
        const std::uint8_t bounded = r.u8();
        const std::int64_t expires = r.u64();
        if (bounded > 1) invalid("malformed expiry");
        if (bounded) t.expiresAt = expires;
        r.skip(kNonce);
        t.domainId = r.shortString();
        t.projectId = r.shortString();
        t.region = r.shortString();
        t.keyTag = r.shortString();
        if (!r.done()) invalid("trailing bytes");
        return t;
    } catch (const ByteReader::Truncated&) {
        invalid("truncated");
    }
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
