#include "service/core/import/import_token.h"

#include "hsm/bytes.h"
#include "service/core/base/byte_fields.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport {
namespace {

constexpr std::uint8_t kMagic[] = {'K', 'P', 'I', 'T'};
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kNonce = 16;
constexpr std::size_t kMac = ImportToken::kMacSize;

[[noreturn]] void invalid(const char* why) {
    throw Error(ErrorCode::ImportTokenInvalid, std::string("is invalid: ") + why,
                Input::ImportToken);
}

}  // namespace

std::string ImportToken::issue(Region& issuer) const {
    hsm::Bytes body(std::begin(kMagic), std::end(kMagic));
    ByteWriter w{body};
    w.u8(kVersion);
    w.u8(algorithm == WrappingAlgorithm::RsaOaepSha1 ? 1 : 2);
    w.u64(issuedAt);
    w.u64(expiresAt);
    auto session = issuer.token->session();
    const hsm::Bytes nonce = session->random(kNonce);
    w.raw(nonce);
    w.shortString(keyId);
    w.shortString(projectId);
    w.shortString(region);
    w.shortString(pairId);
    const hsm::Bytes mac = session->sign(hsm::Mechanism::hmacSha256(), issuer.mac, body);
    w.raw(mac);
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
    try {
        ByteReader r{body};
        for (auto m : kMagic) {
            if (r.u8() != m) invalid("bad format");
        }
        if (r.u8() != kVersion) invalid("unknown version");
        ImportToken t;
        const auto alg = r.u8();
        if (alg != 1 && alg != 2) invalid("unknown algorithm");
        t.algorithm = alg == 1 ? WrappingAlgorithm::RsaOaepSha1 : WrappingAlgorithm::RsaOaepSha256;
        t.issuedAt = r.u64();
        t.expiresAt = r.u64();
        r.skip(kNonce);
        t.keyId = r.shortString();
        t.projectId = r.shortString();
        t.region = r.shortString();
        t.pairId = r.shortString();
        if (!r.done()) invalid("trailing bytes");
        return t;
    } catch (const ByteReader::Truncated&) {
        invalid("truncated");
    }
}

}  // namespace keyport
