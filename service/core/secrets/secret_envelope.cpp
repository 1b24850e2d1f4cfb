#include "service/core/secrets/secret_envelope.h"

#include "hsm/key_generation.h"
#include "hsm/key_policies.h"
#include "hsm/scoped_objects.h"
#include "service/core/replication/transfer_blob.h"

namespace keyport::envelope {
namespace {

constexpr std::size_t kIvSize = 12;

// `dataKey` (extractable, on `from`'s token) wrapped under `to`'s CMK.
hsm::Bytes transfer(const Cmk& from, hsm::Session& fromSession, hsm::ObjectHandle dataKey,
                    const Cmk& to) {
    if (from.region == to.region) {
        return fromSession.wrapKey(hsm::Mechanism::aesKeyWrapPad(), to.key->handle(), dataKey);
    }
    const TransferBlob blob = exportKey(*from.region, fromSession, dataKey, CKK_AES, *to.region);
    auto session = to.region->token->session();
    hsm::ScopedObjects scratch(*session);
    const auto arrived =
        scratch.keep(importKey(*to.region, *session, blob, hsm::policy::transientSecret(CKK_AES)));
    return session->wrapKey(hsm::Mechanism::aesKeyWrapPad(), to.key->handle(), arrived);
}

}  // namespace

hsm::Bytes associatedData(const std::string& secretName, const std::string& versionId) {
    const std::string aad = "keyport-secret-v1\n" + secretName + "\n" + versionId;
    return hsm::Bytes(aad.begin(), aad.end());
}

Sealed seal(const Cmk& cmk, hsm::ByteView value, hsm::ByteView aad,
            const std::vector<Cmk>& replicas) {
    auto session = cmk.region->token->session();
    hsm::ScopedObjects scratch(*session);
    const auto dataKey = scratch.keep(hsm::generateAes(*session, 32, hsm::policy::newDataKey()));
    Sealed s;
    s.iv = session->random(kIvSize);
    s.ciphertext = session->encrypt(hsm::Mechanism::aesGcm(s.iv, aad), dataKey, value);
    s.wrappedDataKey =
        session->wrapKey(hsm::Mechanism::aesKeyWrapPad(), cmk.key->handle(), dataKey);
    for (const Cmk& r : replicas) s.replicaKeys.push_back(transfer(cmk, *session, dataKey, r));
    return s;
}

hsm::SecretBytes open(const Cmk& cmk, const hsm::Bytes& wrappedDataKey, const hsm::Bytes& iv,
                      const hsm::Bytes& ciphertext, hsm::ByteView aad) {
    auto session = cmk.region->token->session();
    hsm::ScopedObjects scratch(*session);
    const auto dataKey =
        scratch.keep(session->unwrapKey(hsm::Mechanism::aesKeyWrapPad(), cmk.key->handle(),
                                        wrappedDataKey, hsm::policy::openedDataKey()));
    return session->decrypt(hsm::Mechanism::aesGcm(iv, aad), dataKey, ciphertext);
}

hsm::Bytes rewrap(const Cmk& from, const hsm::Bytes& wrappedDataKey, const Cmk& to) {
    auto session = from.region->token->session();
    hsm::ScopedObjects scratch(*session);
    const auto dataKey =
        scratch.keep(session->unwrapKey(hsm::Mechanism::aesKeyWrapPad(), from.key->handle(),
                                        wrappedDataKey, hsm::policy::transientSecret(CKK_AES)));
    return transfer(from, *session, dataKey, to);
}

TransferBlob exportDataKey(const Cmk& cmk, const hsm::Bytes& wrappedDataKey) {
    auto session = cmk.region->token->session();
    hsm::ScopedObjects scratch(*session);
    const auto dataKey =
        scratch.keep(session->unwrapKey(hsm::Mechanism::aesKeyWrapPad(), cmk.key->handle(),
                                        wrappedDataKey, hsm::policy::transientSecret(CKK_AES)));
    return exportKey(*cmk.region, *session, dataKey, CKK_AES, *cmk.region);
}

hsm::Bytes adoptDataKey(Region& holder, const TransferBlob& blob, const Cmk& to) {
    auto session = holder.token->session();
    hsm::ScopedObjects scratch(*session);
    const auto dataKey =
        scratch.keep(importKey(holder, *session, blob, hsm::policy::transientSecret(CKK_AES)));
    return transfer(Cmk{&holder, nullptr, 0}, *session, dataKey, to);
}

}  // namespace keyport::envelope
