#include "service/core/import/wrapping_pairs.h"

#include <chrono>
#include <set>

#include "hsm/key_generation.h"
#include "hsm/key_policies.h"
#include "hsm/public_key.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"
#include "service/core/storage/wrapping_pair_store.h"

namespace keyport {
namespace {

constexpr char kLabelPrefix[] = "keyport-wrap-";

std::int64_t nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<hsm::ObjectHandle> findPrivate(Region& region, const std::string& label) {
    return region.token->withOwnerSession([&](hsm::Session& s) {
        hsm::AttributeTemplate t;
        t.set(CKA_CLASS, CK_OBJECT_CLASS{CKO_PRIVATE_KEY})
            .set(CKA_LABEL, label)
            .set(CKA_TOKEN, true);
        return s.findOne(t);
    });
}

}  // namespace

WrappingPairs::WrappingPairs(Database& db, RegionTokens& regions, WrappingPairPolicy policy)
    : db_(db), regions_(regions), policy_(policy) {
    // Load live pairs; the newest of each (region, bits) becomes current.
    const auto rows = db_.read(
        [&](Poco::Data::Session& s) { return wrapping_pair_store::live(s, nowSeconds()); });
    for (const WrappingPairRow& row : rows) {
        auto p = std::make_shared<WrappingPair>();
        p->id = row.id;
        p->region = row.region;
        p->bits = row.bits;
        p->publicSpki = row.publicSpki;
        p->hostDecrypt = row.hostDecrypt;
        p->createdAt = row.createdAt;
        if (!regions_.has(p->region)) continue;
        auto handle = findPrivate(regions_.region(p->region), kLabelPrefix + p->id);
        if (!handle) continue;  // reconcile() forgets it
        p->privateKey = *handle;
        byId_[p->id] = p;
        if (!row.retired) current_[{p->region, p->bits}] = Current{p, 0};
    }
}

std::shared_ptr<const WrappingPair> WrappingPairs::create(Region& region, unsigned bits) {
    auto p = std::make_shared<WrappingPair>();
    p->id = newUuid();
    p->region = region.name;
    p->bits = bits;
    p->hostDecrypt = policy_.hostDecrypt;
    p->createdAt = nowSeconds();
    const std::string label = kLabelPrefix + p->id;
    // Token objects: generated on the owner session (they persist regardless).
    const hsm::KeyPair kp = region.token->withOwnerSession([&](hsm::Session& s) {
        return hsm::generateRsa(s, hsm::policy::importWrappingPublic(label, bits),
                                hsm::policy::importWrappingPrivate(label, p->hostDecrypt));
    });
    p->privateKey = kp.privateKey;
    {
        auto s = region.token->session();
        p->publicSpki = hsm::publicKeySpki(*s, kp.publicKey);
    }
    try {
        const WrappingPairRow row{p->id,         p->region,      bits,        label,
                                  p->publicSpki, p->hostDecrypt, p->createdAt};
        db_.write([&](Poco::Data::Session& s) { wrapping_pair_store::insert(s, row); });
    } catch (...) {
        // Not recorded, so not usable: don't leave the objects behind.
        region.token->withOwnerSession([&](hsm::Session& s) {
            s.destroyObjectNoThrow(kp.privateKey);
            s.destroyObjectNoThrow(kp.publicKey);
            return 0;
        });
        throw;
    }
    return p;
}

void WrappingPairs::retire(const WrappingPair& pair) {
    const std::int64_t t = nowSeconds();
    const std::int64_t destroyAfter = t + policy_.tokenValiditySeconds + 60;
    db_.write(
        [&](Poco::Data::Session& s) { wrapping_pair_store::retire(s, pair.id, t, destroyAfter); });
}

// The current pair for `key`, counting one use, while it is young and unused enough.
std::shared_ptr<const WrappingPair> WrappingPairs::takeUse(
    const std::pair<std::string, unsigned>& key, std::int64_t now) {
    std::lock_guard lock(mutex_);
    auto it = current_.find(key);
    if (it == current_.end() || it->second.uses >= policy_.maxUses ||
        now - it->second.pair->createdAt >= policy_.maxAgeSeconds) {
        return nullptr;
    }
    ++it->second.uses;
    return it->second.pair;
}

std::shared_ptr<const WrappingPair> WrappingPairs::current(const std::string& regionName,
                                                           unsigned bits) {
    const auto key = std::make_pair(regionName, bits);
    const std::int64_t t = nowSeconds();
    if (auto pair = takeUse(key, t)) return pair;
    std::lock_guard keygen(keygenMutex_);
    // Another thread may have rotated while we waited.
    if (auto pair = takeUse(key, t)) return pair;
    Region& region = regions_.region(regionName);
    auto fresh = create(region, bits);
    std::shared_ptr<const WrappingPair> old;
    {
        std::lock_guard lock(mutex_);
        auto it = current_.find(key);
        if (it != current_.end()) old = it->second.pair;
        current_[key] = Current{fresh, 1};
        byId_[fresh->id] = fresh;
    }
    if (old) retire(*old);
    return fresh;
}

std::shared_ptr<const WrappingPair> WrappingPairs::find(const std::string& id) {
    std::lock_guard lock(mutex_);
    auto it = byId_.find(id);
    return it == byId_.end() ? nullptr : it->second;
}

void WrappingPairs::reconcile() {
    const std::int64_t t = nowSeconds();
    std::set<std::string> known;
    std::vector<std::string> expired;
    db_.read([&](Poco::Data::Session& s) {
        const auto ids = wrapping_pair_store::allIds(s);
        known.insert(ids.begin(), ids.end());
        expired = wrapping_pair_store::dueForDestruction(s, t);
        return 0;
    });
    std::set<std::string> expiredSet(expired.begin(), expired.end());
    std::vector<std::string> gone;
    for (const auto& [name, region] : regions_.all()) {
        Region& r = regions_.region(name);
        r.token->withOwnerSession([&](hsm::Session& s) {
            for (CK_OBJECT_CLASS cls : {CKO_PRIVATE_KEY, CKO_PUBLIC_KEY}) {
                hsm::AttributeTemplate tmpl;
                tmpl.set(CKA_CLASS, cls).set(CKA_TOKEN, true);
                for (auto h : s.findObjects(tmpl, 4096)) {
                    auto label = s.attribute(h, CKA_LABEL);
                    if (!label) continue;
                    const std::string l(label->begin(), label->end());
                    if (l.rfind(kLabelPrefix, 0) != 0) continue;
                    const std::string id = l.substr(sizeof kLabelPrefix - 1);
                    if (!known.count(id) || expiredSet.count(id)) s.destroyObjectNoThrow(h);
                }
            }
            return 0;
        });
    }
    std::lock_guard lock(mutex_);
    for (const auto& id : known) {
        if (!byId_.count(id)) gone.push_back(id);
    }
    for (const auto& id : expired) byId_.erase(id);
    for (auto it = current_.begin(); it != current_.end();) {
        if (expiredSet.count(it->second.pair->id)) {
            it = current_.erase(it);
        } else {
            ++it;
        }
    }
    if (!gone.empty()) {
        db_.write([&](Poco::Data::Session& s) {
            for (const auto& id : gone) {
                wrapping_pair_store::remove(s, id);
            }
        });
    }
}

}  // namespace keyport
