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
// The key of the {keyTag} path parameter in the caller's project, or KeyNotFound.
KeyRecord byTag(NcpCall& c);
Poco::JSON::Object::Ptr keyJson(const KeyRecord& k);

// Key lifecycle (ncp_key_handlers.cpp).
Poco::JSON::Object::Ptr createKey(NcpCall& c);
Poco::JSON::Object::Ptr getKey(NcpCall& c);
Poco::JSON::Object::Ptr migrate(NcpCall& c);

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
