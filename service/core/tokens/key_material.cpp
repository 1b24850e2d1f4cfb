#include "service/core/tokens/key_material.h"

#include "hsm/key_policies.h"
#include "hsm/scoped_objects.h"
#include "service/core/base/errors.h"

namespace keyport {

OpenKey::~OpenKey() {
    region_.token->withOwnerSession([this](hsm::Session& s) {
        s.destroyObjectNoThrow(handle_);
        return 0;
    });
}

hsm::AttributeTemplate usableTemplate(KeySpec spec, KeyUsage usage) {
    using hsm::Persistence;
    if (isSymmetric(spec)) return hsm::policy::customerAesKey(Persistence::Session);
    if (isHmac(spec)) return hsm::policy::customerHmacKey(Persistence::Session);
    if (isRsa(spec)) {
        auto t = hsm::policy::customerRsaPrivate(Persistence::Session);
        // A key is used for what its key_usage says, nothing else.
        t.set(CKA_SIGN, canSign(usage)).set(CKA_DECRYPT, canEncrypt(usage));
        return t;
    }
    auto t = hsm::policy::customerEcPrivate(Persistence::Session);
    // ECDSA or ECDH, as key_usage says; never both.
    t.set(CKA_SIGN, usage == KeyUsage::SignVerify).set(CKA_DERIVE, usage == KeyUsage::KeyAgreement);
    return t;
}

hsm::AttributeTemplate resealTemplate(KeySpec spec) {
    if (isSymmetric(spec)) return hsm::policy::transientSecret(CKK_AES);
    if (isHmac(spec)) return hsm::policy::transientSecret(CKK_GENERIC_SECRET);
    return hsm::policy::transientPrivate(isRsa(spec) ? CKK_RSA : CKK_EC);
}

KeyMaterial::KeyMaterial(RegionTokens& regions, std::size_t cacheSize)
    : regions_(regions), capacity_(cacheSize) {}

hsm::Bytes KeyMaterial::seal(Region& region, hsm::Session& session, hsm::ObjectHandle transient) {
    return region.keks->seal(session, transient);
}

std::shared_ptr<OpenKey> KeyMaterial::openUncached(Region& region, KeySpec spec,
                                                   const hsm::Bytes& blob, KeyUsage usage) {
    return openWith(region, blob, usableTemplate(spec, usage));
}

std::shared_ptr<OpenKey> KeyMaterial::openWith(Region& region, const hsm::Bytes& blob,
                                               const hsm::AttributeTemplate& tmpl) {
    // On the owner session: the copy must outlive any pooled session.
    const auto handle = region.token->withOwnerSession(
        [&](hsm::Session& s) { return region.keks->open(s, blob, tmpl); });
    return std::make_shared<OpenKey>(region, handle);
}

std::shared_ptr<OpenKey> KeyMaterial::open(const KeyRecord& key) {
    return openCached(key.id, key, [&] {
        return openUncached(regions_.region(key.region), key.spec, *key.blob, key.usage);
    });
}

std::shared_ptr<OpenKey> KeyMaterial::cachedInRegion(const std::string& cacheKey, Region& region) {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(cacheKey);
    // The region check: a key moved to another region re-seals its versions there.
    if (it == cache_.end() || &it->second.key->region() != &region) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    counters_.hits.inc();  // a miss here is counted by openCached
    return it->second.key;
}

std::shared_ptr<OpenKey> KeyMaterial::openVersion(const KeyRecord& key, std::uint32_t version,
                                                  const std::function<hsm::Bytes()>& loadBlob) {
    const std::string cacheKey = key.id + kVersionSuffix + std::to_string(version);
    if (auto hit = cachedInRegion(cacheKey, regions_.region(key.region))) return hit;
    KeyRecord old = key;
    old.blob = loadBlob();
    return openCached(cacheKey, old, [&] {
        return openUncached(regions_.region(old.region), old.spec, *old.blob, old.usage);
    });
}

std::shared_ptr<OpenKey> KeyMaterial::openConvergent(const KeyRecord& key) {
    if (!isSymmetric(key.spec))
        throw Error(ErrorCode::InvalidParameter, "a convergent key must be AES");
    // A copy of its own (not the plain one): only this copy may derive.
    return openCached(key.id + kConvergentSuffix, key, [&] {
        return openWith(regions_.region(key.region), *key.blob, hsm::policy::convergentAesKey());
    });
}

std::shared_ptr<OpenKey> KeyMaterial::openEnvelope(const KeyRecord& cmk) {
    if (!isSymmetric(cmk.spec))
        throw Error(ErrorCode::InvalidParameter, "an envelope key must be AES");
    return openCached(cmk.id + kEnvelopeSuffix, cmk, [&] {
        return openWith(regions_.region(cmk.region), *cmk.blob, hsm::policy::envelopeCmk());
    });
}

std::shared_ptr<OpenKey> KeyMaterial::openEnvelopeVersion(
    const KeyRecord& cmk, std::uint32_t version, const std::function<hsm::Bytes()>& loadBlob) {
    if (!isSymmetric(cmk.spec))
        throw Error(ErrorCode::InvalidParameter, "an envelope key must be AES");
    const std::string cacheKey = cmk.id + kEnvelopeVersionSuffix + std::to_string(version);
    if (auto hit = cachedInRegion(cacheKey, regions_.region(cmk.region))) return hit;
    KeyRecord old = cmk;
    old.blob = loadBlob();
    return openCached(cacheKey, old, [&] {
        return openWith(regions_.region(old.region), *old.blob, hsm::policy::envelopeCmk());
    });
}

std::shared_ptr<OpenKey> KeyMaterial::openCached(
    const std::string& cacheKey, const KeyRecord& key,
    const std::function<std::shared_ptr<OpenKey>()>& openFresh) {
    if (!key.blob) throw Error(ErrorCode::KeyPendingImport, "the key has no key material");
    {
        std::lock_guard lock(mutex_);
        auto it = cache_.find(cacheKey);
        if (it != cache_.end() && it->second.blob == *key.blob) {
            lru_.splice(lru_.begin(), lru_, it->second.lru);
            counters_.hits.inc();
            return it->second.key;
        }
    }
    counters_.misses.inc();
    auto opened = openFresh();
    std::lock_guard lock(mutex_);
    auto it = cache_.find(cacheKey);
    if (it != cache_.end()) {
        if (it->second.blob == *key.blob) return it->second.key;  // another thread won
        lru_.erase(it->second.lru);
        cache_.erase(it);
    }
    lru_.push_front(cacheKey);
    cache_.emplace(cacheKey, Entry{opened, *key.blob, lru_.begin()});
    while (cache_.size() > capacity_) {
        cache_.erase(lru_.back());
        lru_.pop_back();
    }
    return opened;
}

bool KeyMaterial::sameMaterial(Region& region, KeySpec spec, const hsm::Bytes& stored,
                               const hsm::Bytes& fresh) {
    if (stored == fresh) return true;
    if (region.keks->all().size() < 2) return false;  // one KEK: different blobs, different keys
    auto session = region.token->session();
    hsm::ScopedObjects scratch(*session);
    const auto clear = scratch.keep(region.keks->open(*session, stored, resealTemplate(spec)));
    for (const auto& g : region.keks->all()) {
        if (session->wrapKey(hsm::Mechanism::aesKeyWrapPad(), g.handle, clear) == fresh)
            return true;
    }
    return false;
}

void KeyMaterial::evict(const std::string& keyId) {
    std::vector<std::shared_ptr<OpenKey>> dropped;  // destroyed outside the lock
    std::lock_guard lock(mutex_);
    const std::string versions = keyId + kVersionSuffix;
    const std::string envelopeVersions = keyId + kEnvelopeVersionSuffix;
    for (auto it = cache_.begin(); it != cache_.end();) {
        const std::string& k = it->first;
        if (k == keyId || k == keyId + kEnvelopeSuffix || k == keyId + kConvergentSuffix ||
            k.starts_with(versions) || k.starts_with(envelopeVersions)) {
            dropped.push_back(std::move(it->second.key));
            lru_.erase(it->second.lru);
            it = cache_.erase(it);
        } else {
            ++it;
        }
    }
}

}  // namespace keyport
