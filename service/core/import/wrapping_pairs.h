// WrappingPairs: the RSA import wrapping key pairs of each region — persistent token
// objects, few and long-lived. One pair serves many import tokens; pairs rotate by age and
// use count off the request path, and a retired pair is destroyed once no import token
// naming it can still be valid.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "service/core/storage/database.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

struct WrappingPair {
    std::string id;
    std::string region;
    unsigned bits = 0;
    hsm::Bytes publicSpki;
    hsm::ObjectHandle privateKey = CK_INVALID_HANDLE;
    bool hostDecrypt = false;  // CKA_DECRYPT for host-assisted OAEP
    std::int64_t createdAt = 0;
};

struct WrappingPairPolicy {
    std::int64_t maxAgeSeconds = 24 * 3600;
    std::uint64_t maxUses = 100000;
    std::int64_t tokenValiditySeconds = 24 * 3600;
    bool hostDecrypt = false;  // create pairs that allow raw RSA decrypt
};

class WrappingPairs {
  public:
    WrappingPairs(Database& db, RegionTokens& regions, WrappingPairPolicy policy);

    // The pair to hand out now for (region, bits), counting one use; makes a new pair
    // when there is none or the current one is too old or too used.
    std::shared_ptr<const WrappingPair> current(const std::string& region, unsigned bits);
    // A pair by id, retired or not, while its object exists.
    std::shared_ptr<const WrappingPair> find(const std::string& id);
    // Start-up reconciliation: destroy pair objects the database does not know (an
    // interrupted rotation), forget rows whose objects are gone, and destroy retired pairs
    // whose import tokens have all expired.
    void reconcile();

    const WrappingPairPolicy& policy() const { return policy_; }

  private:
    struct Current {
        std::shared_ptr<const WrappingPair> pair;
        std::uint64_t uses = 0;
    };
    std::shared_ptr<const WrappingPair> takeUse(const std::pair<std::string, unsigned>& key,
                                                std::int64_t now);
    std::shared_ptr<const WrappingPair> create(Region& region, unsigned bits);
    void retire(const WrappingPair& pair);

    Database& db_;
    RegionTokens& regions_;
    WrappingPairPolicy policy_;
    std::mutex mutex_;        // guards the maps
    std::mutex keygenMutex_;  // one keygen at a time; others keep using the old pair
    std::map<std::pair<std::string, unsigned>, Current> current_;
    std::map<std::string, std::shared_ptr<const WrappingPair>> byId_;
};

}  // namespace keyport
