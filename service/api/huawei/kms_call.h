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
    // The success status; a handler sets it where Huawei answers other than 200.
    int status = 200;

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
// additional_authenticated_data or encryption_context as the bytes a ciphertext is bound to
// (kms_crypto_handlers.cpp).
std::string associatedDataField(const KmsCall& c);
// The same from a request body on its own (also what tests/fuzz/json_fuzz.cpp checks).
std::string associatedData(const JsonBody& body);

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

// Tag queries and batch tags (kms_tag_handlers.cpp).
// Huawei's TagItem rule (key 1–36, value 0–43 Unicode characters, no ASCII 0–31 * < > \ =);
// refuses naming the field.
void checkTagItem(const std::string& key, const std::string& value);
Poco::JSON::Object::Ptr listProjectTags(KmsCall& c);
Poco::JSON::Object::Ptr listKeysByTags(KmsCall& c);
Poco::JSON::Object::Ptr batchKeyTags(KmsCall& c);
// ListKmsByTagsRequestBody's tags and matches as core's filter; refuses naming the field.
TagFilter tagFilter(const JsonBody& body);

// Aliases (kms_alias_handlers.cpp).
Poco::JSON::Object::Ptr createAlias(KmsCall& c);
Poco::JSON::Object::Ptr associateAlias(KmsCall& c);
Poco::JSON::Object::Ptr deleteAlias(KmsCall& c);
Poco::JSON::Object::Ptr listAliases(KmsCall& c);

// Grants (kms_grant_handlers.cpp).
// A grantee or retiring principal (1–64 of [a-zA-Z0-9_-]); refuses naming `field`.
std::string checkedPrincipal(const std::string& p, const std::string& field);
Poco::JSON::Object::Ptr createGrant(KmsCall& c);
Poco::JSON::Object::Ptr listGrants(KmsCall& c);
Poco::JSON::Object::Ptr revokeGrant(KmsCall& c);
Poco::JSON::Object::Ptr retireGrant(KmsCall& c);
Poco::JSON::Object::Ptr listRetirableGrants(KmsCall& c);
// Before a route's handler: where the route is one a grant can allow and its key belongs
// to another domain that granted the caller this operation, the call acts in the key
// owner's scope (kms_grant_handlers.cpp).
void actUnderGrant(KmsCall& c, const std::string& routePath);
// kms_info_handlers.cpp
Poco::JSON::Object::Ptr listSupportRegions(KmsCall& c);  // v2
Poco::JSON::Object::Ptr showUserInstances(KmsCall& c);
Poco::JSON::Object::Ptr showUserQuotas(KmsCall& c);
// One model/ApiVersionDetail.ts object (ShowVersion / ShowVersions).
Poco::JSON::Object::Ptr apiVersion(const std::string& id, const std::string& status);
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
Poco::JSON::Object::Ptr reEncrypt(KmsCall& c);

Poco::JSON::Object::Ptr generateMac(KmsCall& c);  // kms_mac_handlers.cpp
Poco::JSON::Object::Ptr verifyMac(KmsCall& c);
Poco::JSON::Object::Ptr deriveSharedSecret(KmsCall& c);    // kms_shared_secret_handlers.cpp
Poco::JSON::Object::Ptr createRsaDataKeyPair(KmsCall& c);  // kms_datakey_pair_handlers.cpp
Poco::JSON::Object::Ptr createEcDataKeyPair(KmsCall& c);

}  // namespace keyport::api::huawei
