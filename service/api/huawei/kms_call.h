// KmsCall: one authenticated, parsed Huawei KMS request as its handler sees it, and the
// field readers that apply Huawei's patterns.
#pragma once

#include <functional>
#include <string>

#include "service/api/http.h"
#include "service/api/json.h"
#include "service/core/services.h"
#include "service/core/storage/key_store.h"

namespace keyport::api::huawei {

struct KmsCall {
    Request& req;
    JsonBody body;
    Principal principal;
    ProjectScope scope;
    Services& services;

    // key_id from the body (or the path for tag routes), checked against Huawei's pattern.
    std::string keyId() const;
};

// A handler returns the response object; nullptr means 200 with an empty body.
using KmsHandler = std::function<Poco::JSON::Object::Ptr(KmsCall&)>;

// Huawei's key_info / key_details object.
Poco::JSON::Object::Ptr keyInfo(const KeyRecord& k);
Poco::JSON::Object::Ptr keyInfoResponse(const KeyRecord& k);  // {"key_info":{...}}

// Field helpers: decode or refuse naming the field.
hsm::Bytes base64Field(const KmsCall& c, const std::string& name, std::size_t minChars,
                       std::size_t maxChars);
std::string checkedKeyId(const std::string& id);

// Handlers, one per route (kms_key_handlers.cpp, kms_import_handlers.cpp,
// kms_crypto_handlers.cpp).
Poco::JSON::Object::Ptr createKey(KmsCall& c);
Poco::JSON::Object::Ptr describeKey(KmsCall& c);
Poco::JSON::Object::Ptr listKeys(KmsCall& c);
Poco::JSON::Object::Ptr enableKey(KmsCall& c);
Poco::JSON::Object::Ptr disableKey(KmsCall& c);
Poco::JSON::Object::Ptr scheduleKeyDeletion(KmsCall& c);
Poco::JSON::Object::Ptr cancelKeyDeletion(KmsCall& c);
Poco::JSON::Object::Ptr updateKeyAlias(KmsCall& c);
Poco::JSON::Object::Ptr updateKeyDescription(KmsCall& c);
Poco::JSON::Object::Ptr listTags(KmsCall& c);
Poco::JSON::Object::Ptr createTag(KmsCall& c);
Poco::JSON::Object::Ptr deleteTag(KmsCall& c);

Poco::JSON::Object::Ptr replicateKey(KmsCall& c);  // v2

// kms_rotation_handlers.cpp
Poco::JSON::Object::Ptr enableKeyRotation(KmsCall& c);
Poco::JSON::Object::Ptr disableKeyRotation(KmsCall& c);
Poco::JSON::Object::Ptr getKeyRotationStatus(KmsCall& c);
Poco::JSON::Object::Ptr updateKeyRotationInterval(KmsCall& c);
Poco::JSON::Object::Ptr rotateOnDemand(KmsCall& c);
Poco::JSON::Object::Ptr updatePrimaryRegion(KmsCall& c);  // v2

Poco::JSON::Object::Ptr getParametersForImport(KmsCall& c);
Poco::JSON::Object::Ptr importKeyMaterial(KmsCall& c);
Poco::JSON::Object::Ptr deleteImportedKeyMaterial(KmsCall& c);

Poco::JSON::Object::Ptr encryptData(KmsCall& c);
Poco::JSON::Object::Ptr decryptData(KmsCall& c);
Poco::JSON::Object::Ptr createDataKey(KmsCall& c);
Poco::JSON::Object::Ptr createDataKeyWithoutPlaintext(KmsCall& c);
Poco::JSON::Object::Ptr encryptDataKey(KmsCall& c);
Poco::JSON::Object::Ptr decryptDataKey(KmsCall& c);
Poco::JSON::Object::Ptr sign(KmsCall& c);
Poco::JSON::Object::Ptr verify(KmsCall& c);
Poco::JSON::Object::Ptr getPublicKey(KmsCall& c);
Poco::JSON::Object::Ptr genRandom(KmsCall& c);

}  // namespace keyport::api::huawei
