#include "service/core/replication/transfer_blob.h"

#include "hsm/key_generation.h"
#include "hsm/key_policies.h"
#include "hsm/public_key.h"
#include "hsm/scoped_objects.h"

namespace keyport {
namespace {

bool oaepSha256(const Region& r) {
    return r.capabilities && r.capabilities->has(hsm::Capability::RsaOaepSha256);
}

}  // namespace

hsm::Bytes TransferBlob::encode() const {
    hsm::Bytes out;
    out.push_back(kVersion1);
    out.push_back(oaepHash == hsm::Hash::Sha256 ? 2 : 1);
    for (int i = 3; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(keyType >> (8 * i)));
    out.push_back(static_cast<std::uint8_t>(wrappedEphemeral.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(wrappedEphemeral.size()));
    out.insert(out.end(), wrappedEphemeral.begin(), wrappedEphemeral.end());
    out.insert(out.end(), wrappedKey.begin(), wrappedKey.end());
    return out;
}

std::optional<TransferBlob> TransferBlob::decode(hsm::ByteView b) {
    if (b.size() < 8 || b[0] != kVersion1 || (b[1] != 1 && b[1] != 2)) return std::nullopt;
    TransferBlob t;
    t.oaepHash = b[1] == 2 ? hsm::Hash::Sha256 : hsm::Hash::Sha1;
    t.keyType = 0;
    for (int i = 0; i < 4; ++i) t.keyType = (t.keyType << 8) | b[2 + static_cast<std::size_t>(i)];
    const std::size_t n = (static_cast<std::size_t>(b[6]) << 8) | b[7];
    if (n == 0 || b.size() <= 8 + n) return std::nullopt;
    t.wrappedEphemeral.assign(b.begin() + 8, b.begin() + 8 + static_cast<long>(n));
    t.wrappedKey.assign(b.begin() + 8 + static_cast<long>(n), b.end());
    return t;
}

TransferBlob exportKey(Region& source, hsm::Session& session, hsm::ObjectHandle key,
                       CK_KEY_TYPE keyType, Region& target) {
    // The target's transport public key (read from its token at start-up), recreated here.
    const hsm::Bytes& spki = target.transportSpki;
    hsm::ScopedObjects scratch(session);
    const auto peerKey = hsm::createRsaPublic(session, spki, hsm::policy::peerTransportPublic());
    scratch.keep(peerKey);
    const auto ephemeral = hsm::generateAes(session, 32, hsm::policy::ephemeralTransportKey());
    scratch.keep(ephemeral);

    TransferBlob t;
    t.oaepHash = oaepSha256(source) && oaepSha256(target) ? hsm::Hash::Sha256 : hsm::Hash::Sha1;
    t.keyType = keyType;
    t.wrappedKey = session.wrapKey(hsm::Mechanism::aesKeyWrapPad(), ephemeral, key);
    t.wrappedEphemeral = session.wrapKey(hsm::Mechanism::rsaOaep(t.oaepHash), peerKey, ephemeral);
    return t;
}

hsm::ObjectHandle importKey(Region& target, hsm::Session& session, const TransferBlob& blob,
                            const hsm::AttributeTemplate& tmpl) {
    hsm::ScopedObjects scratch(session);
    const auto ephemeral =
        session.unwrapKey(hsm::Mechanism::rsaOaep(blob.oaepHash), target.transportPrivate,
                          blob.wrappedEphemeral, hsm::policy::arrivedTransportKey());
    scratch.keep(ephemeral);
    return session.unwrapKey(hsm::Mechanism::aesKeyWrapPad(), ephemeral, blob.wrappedKey, tmpl);
}

}  // namespace keyport
