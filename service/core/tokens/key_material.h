// KeyMaterial: the only path between a key's stored blob and the token. Seals transient
// on-token keys under the region KEK (RFC 5649) and opens blobs into cached, sensitive,
// non-extractable session copies for use. Nothing here ever reads a key's value.
#pragma once

#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "hsm/session.h"
#include "service/core/base/metrics.h"
#include "service/core/storage/key_store.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

// A usable session copy of one key's material. The object is destroyed when the last
// holder lets go, so eviction never pulls a key from under an operation in flight.
class OpenKey {
  public:
    OpenKey(Region& region, hsm::ObjectHandle handle) : region_(region), handle_(handle) {}
    ~OpenKey();
    OpenKey(const OpenKey&) = delete;
    OpenKey& operator=(const OpenKey&) = delete;

    hsm::ObjectHandle handle() const { return handle_; }
    Region& region() const { return region_; }

  private:
    Region& region_;
    hsm::ObjectHandle handle_;
};

class KeyMaterial {
  public:
    KeyMaterial(RegionTokens& regions, std::size_t cacheSize = 4096);

    // KWP-wraps an extractable transient key under the region KEK.
    hsm::Bytes seal(Region& region, hsm::Session& session, hsm::ObjectHandle transient);
    // The session copy of a key with material (state not checked here).
    std::shared_ptr<OpenKey> open(const KeyRecord& key);
    // Unwraps a blob into a new session copy on the owner session, bypassing the cache.
    std::shared_ptr<OpenKey> openUncached(Region& region, KeySpec spec, const hsm::Bytes& blob,
                                          KeyUsage usage);
    // The session copy of an earlier material version of a key (its blob from key_versions,
    // read by `loadBlob` only on a cache miss: a version's blob never changes in a region).
    std::shared_ptr<OpenKey> openVersion(const KeyRecord& key, std::uint32_t version,
                                         const std::function<hsm::Bytes()>& loadBlob);
    // The session copy of a convergent AES key's current material: encrypts, decrypts, and
    // derives its synthetic-IV key (hsm::policy::convergentAesKey).
    std::shared_ptr<OpenKey> openConvergent(const KeyRecord& key);
    // The session copy of an AES key (a CSMS CMK) that wraps and unwraps data keys only.
    std::shared_ptr<OpenKey> openEnvelope(const KeyRecord& cmk);
    // The envelope copy of an earlier material version of a CMK (the data keys of secret
    // versions made before a rotation), cached as openVersion's copies are.
    std::shared_ptr<OpenKey> openEnvelopeVersion(const KeyRecord& cmk, std::uint32_t version,
                                                 const std::function<hsm::Bytes()>& loadBlob);
    // Unwraps a blob into a new session copy with an explicit policy template.
    std::shared_ptr<OpenKey> openWith(Region& region, const hsm::Bytes& blob,
                                      const hsm::AttributeTemplate& tmpl);
    // Whether two blobs of a key of `spec` in `region` seal the same material. Equal blobs
    // do (KWP is deterministic under one KEK); while a KEK rollover runs, `stored` may be
    // under an older generation than `fresh`, so it is opened and sealed again under each
    // generation for the comparison (on-token; nothing is read).
    bool sameMaterial(Region& region, KeySpec spec, const hsm::Bytes& stored,
                      const hsm::Bytes& fresh);
    // Drops the cached copies, every version's too (material deleted, expired or moved).
    void evict(const std::string& keyId);

  private:
    struct Entry {
        std::shared_ptr<OpenKey> key;
        hsm::Bytes blob;  // what the copy was opened from: a changed blob is a miss
        std::list<std::string>::iterator lru;
    };

    static constexpr const char* kEnvelopeSuffix = "#envelope";
    static constexpr const char* kConvergentSuffix = "#convergent";
    static constexpr const char* kVersionSuffix = "#v";
    static constexpr const char* kEnvelopeVersionSuffix = "#envelope#v";
    // The cached copy under `cacheKey` if it was opened in `region` (a version's blob never
    // changes in a region, so it is not compared).
    std::shared_ptr<OpenKey> cachedInRegion(const std::string& cacheKey, Region& region);
    std::shared_ptr<OpenKey> openCached(const std::string& cacheKey, const KeyRecord& key,
                                        const std::function<std::shared_ptr<OpenKey>()>& openFresh);

    RegionTokens& regions_;
    std::size_t capacity_;
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> cache_;
    std::list<std::string> lru_;  // front = most recently used
    metrics::CacheCounters counters_ = metrics::cache("key_material");
};

// The policy template a key of this spec is opened with.
hsm::AttributeTemplate usableTemplate(KeySpec spec, KeyUsage usage);
// The transient, extractable template a blob of this spec is opened with to be sealed again
// (never usable for crypto; destroyed as soon as it is wrapped).
hsm::AttributeTemplate resealTemplate(KeySpec spec);

}  // namespace keyport
