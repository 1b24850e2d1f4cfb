#include "service/core/import/import_token.h"

#include "hsm/bytes.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport {
namespace {

constexpr std::uint8_t kMagic[] = {'K', 'P', 'I', 'T'};
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kNonce = 16;
constexpr std::size_t kMac = ImportToken::kMacSize;

void putU64(hsm::Bytes& out, std::int64_t v) {
    for (int i = 7; i >= 0; --i)
        out.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (8 * i)));
}

void putString(hsm::Bytes& out, const std::string& s) {
    if (s.size() > 255) throw Error(ErrorCode::Internal, "import token field too long");
    out.push_back(static_cast<std::uint8_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
}

[[noreturn]] void invalid(const char* why) {
    throw Error(ErrorCode::ImportTokenInvalid, std::string("is invalid: ") + why,
                Input::ImportToken);
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

std::string ImportToken::issue(Region& issuer) const {
    hsm::Bytes body(std::begin(kMagic), std::end(kMagic));
    body.push_back(kVersion);
    body.push_back(algorithm == WrappingAlgorithm::RsaOaepSha1 ? 1 : 2);
    putU64(body, issuedAt);
    putU64(body, expiresAt);
    auto session = issuer.token->session();
    const hsm::Bytes nonce = session->random(kNonce);
    body.insert(body.end(), nonce.begin(), nonce.end());
    putString(body, keyId);
    putString(body, projectId);
    putString(body, region);
    putString(body, pairId);
    const hsm::Bytes mac = session->sign(hsm::Mechanism::hmacSha256(), issuer.mac, body);
    body.insert(body.end(), mac.begin(), mac.end());
    return base64Encode(body);
}

hsm::Bytes ImportToken::decodeText(std::string_view text) {
    auto raw = base64Decode(text);
    if (!raw) invalid("not base64");
    if (raw->size() < sizeof kMagic + 2 + 16 + kNonce + kMac) invalid("too short");
    return std::move(*raw);
}

ImportToken ImportToken::verify(Region& issuer, std::string_view text) {
    const hsm::Bytes raw = decodeText(text);
    const hsm::ByteView body(raw.data(), raw.size() - kMac);
    const hsm::ByteView mac(raw.data() + body.size(), kMac);
    {
        auto session = issuer.token->session();
        if (!session->verify(hsm::Mechanism::hmacSha256(), issuer.mac, body, mac)) {
            invalid("not issued by this region, or altered");
        }
    }
    return parseBody(body);
}

ImportToken ImportToken::parseBody(hsm::ByteView body) {
    Reader r{body};
    for (auto m : kMagic) {
        if (r.byte() != m) invalid("bad format");
    }
    if (r.byte() != kVersion) invalid("unknown version");
    ImportToken t;
    const auto alg = r.byte();
    if (alg != 1 && alg != 2) invalid("unknown algorithm");
    t.algorithm = alg == 1 ? WrappingAlgorithm::RsaOaepSha1 : WrappingAlgorithm::RsaOaepSha256;
    t.issuedAt = r.u64();
    t.expiresAt = r.u64();
    r.pos += kNonce;
    t.keyId = r.str();
    t.projectId = r.str();
    t.region = r.str();
    t.pairId = r.str();
    if (r.pos != body.size()) invalid("trailing bytes");
    return t;
}

}  // namespace keyport
