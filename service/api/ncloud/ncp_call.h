// NcpCall: one authenticated NAVER Cloud KMS request as its handler sees it (region and
// project already selected), the response envelope, and the handlers of the NAVER routes.
#pragma once

#include <Poco/JSON/Object.h>

#include "service/api/http.h"
#include "service/api/json.h"
#include "service/core/services.h"

namespace keyport::api::ncloud {

inline constexpr char kCiphertextPrefix[] = "ncpkms:v1:";
inline constexpr char kGlobalRegion[] = "global";

struct NcpCall {
    Request& req;
    JsonBody body;
    ProjectScope scope;
    Services& services;
};

using NcpHandler = Poco::JSON::Object::Ptr (*)(NcpCall&);

// {"code":"SUCCESS","msg":"","data":data}: NAVER's success envelope.
Poco::JSON::Object::Ptr ok(const Poco::JSON::Object::Ptr& data);
// The NAVER key of the {keyTag} path parameter in the caller's project, or KeyNotFound.
KeyRecord byTag(NcpCall& c);
// keyName and memo as NAVER bounds them, or InvalidParameter.
std::string validKeyName(const std::string& name);
std::string validMemo(const std::string& memo);

// Key lifecycle (ncp_key_handlers.cpp, ncp_key_state_handlers.cpp).
Poco::JSON::Object::Ptr createKey(NcpCall& c);
Poco::JSON::Object::Ptr getKey(NcpCall& c);
Poco::JSON::Object::Ptr listKeys(NcpCall& c);
Poco::JSON::Object::Ptr migrate(NcpCall& c);
Poco::JSON::Object::Ptr enableKey(NcpCall& c);
Poco::JSON::Object::Ptr disableKey(NcpCall& c);
Poco::JSON::Object::Ptr requestDeletion(NcpCall& c);
Poco::JSON::Object::Ptr cancelDeletion(NcpCall& c);
Poco::JSON::Object::Ptr updateKeyName(NcpCall& c);
Poco::JSON::Object::Ptr updateMemo(NcpCall& c);
// Material versions and rotation (ncp_rotation_handlers.cpp).
Poco::JSON::Object::Ptr rotateKey(NcpCall& c);
Poco::JSON::Object::Ptr keyVersions(NcpCall& c);
Poco::JSON::Object::Ptr enableAutoRotation(NcpCall& c);
Poco::JSON::Object::Ptr disableAutoRotation(NcpCall& c);
Poco::JSON::Object::Ptr updateRotationPeriod(NcpCall& c);
// Key tokens for x-ncp-ocapi-token (ncp_token_handlers.cpp).
Poco::JSON::Object::Ptr createTokenSet(NcpCall& c);
Poco::JSON::Object::Ptr renewTokenSet(NcpCall& c);
Poco::JSON::Object::Ptr createAccessToken(NcpCall& c);

// Cryptography (ncp_crypto_handlers.cpp).
Poco::JSON::Object::Ptr encrypt(NcpCall& c);
Poco::JSON::Object::Ptr decrypt(NcpCall& c);
Poco::JSON::Object::Ptr reencrypt(NcpCall& c);
Poco::JSON::Object::Ptr createCustomKey(NcpCall& c);
// Signatures and public keys (ncp_sign_handlers.cpp).
Poco::JSON::Object::Ptr signMessage(NcpCall& c);
Poco::JSON::Object::Ptr verifyMessage(NcpCall& c);
Poco::JSON::Object::Ptr getPublicKey(NcpCall& c);

}  // namespace keyport::api::ncloud
