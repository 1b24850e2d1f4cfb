// The request inputs NAVER's crypto routes share: a field that is a String or an
// Array<String> of items, the base64 `context` (up to 50 bytes), and their limits.
#pragma once

#include <vector>

#include "hsm/bytes.h"
#include "service/api/json.h"
#include "service/core/base/errors.h"

namespace keyport::api::ncloud {

// security-kms2-encrypt: "Up to 32 KB of data can be encrypted" (all items together).
inline constexpr std::size_t kMaxPlaintextBytes = 32 * 1024;
// security-kms2-encrypt / -decrypt / -reencrypt / -custom-key: context "up to 50 bytes".
inline constexpr std::size_t kMaxContextBytes = 50;
// Items in one Array request: the 32 KB bound makes more than this useless.
inline constexpr std::size_t kMaxItems = 1024;

struct Items {
    bool isArray = false;
    std::vector<SecretText> values;  // one for a String
};

// `field` as a String, or a non-empty Array of Strings; anything else is InvalidParameter.
Items readItems(const JsonBody& body, const std::string& field);

struct ContextBytes {
    hsm::SecretBytes decoded;
    hsm::ByteView bytes;  // empty when absent
};

// `context`: absent, or base64 of 1 to 50 bytes.
ContextBytes readContext(const JsonBody& body);

// Runs a re-encryption whose source and destination are one key and one context, and names
// core's source/destination inputs as NAVER's one keyTag and one context.
template <class F>
auto asOneKey(F&& f) {
    try {
        return f();
    } catch (const Error& e) {
        Input in = e.input();
        switch (in) {
            case Input::SourceKeyId:
            case Input::DestinationKeyId:
                in = Input::KeyId;
                break;
            case Input::SourceEncryptionContext:
            case Input::DestinationEncryptionContext:
                in = Input::EncryptionContext;
                break;
            default:
                throw;
        }
        Error renamed(e.code(), e.what(), in);
        if (e.limit()) throw std::move(renamed).withLimit(*e.limit());
        throw renamed;
    }
}

}  // namespace keyport::api::ncloud
