// ExoCall: one Exoscale request as its handler sees it (zone and project already selected,
// unless the route is open), and the handlers of the Exoscale KMS routes, named after the
// spec's operationIds (../shared/specs/exoscale-kms-v2.yaml, egoscale v3 source.yaml).
#pragma once

#include <Poco/JSON/Object.h>

#include "service/api/http.h"
#include "service/api/json.h"
#include "service/core/services.h"

namespace keyport::api::exoscale {

struct ExoCall {
    Request& req;
    JsonBody body;
    ProjectScope scope;  // the caller's project in the selected zone (empty on open routes)
    Services& services;

    std::string keyId() const;  // {id} from the path, checked to be a UUID
};

using ExoHandler = Poco::JSON::Object::Ptr (*)(ExoCall&);

// exo_key_handlers.cpp
Poco::JSON::Object::Ptr createKey(ExoCall& c);         // create-kms-key
Poco::JSON::Object::Ptr listKeys(ExoCall& c);          // list-kms-keys
Poco::JSON::Object::Ptr getKey(ExoCall& c);            // get-kms-key
Poco::JSON::Object::Ptr enableKey(ExoCall& c);         // enable-kms-key
Poco::JSON::Object::Ptr disableKey(ExoCall& c);        // disable-kms-key
Poco::JSON::Object::Ptr scheduleDeletion(ExoCall& c);  // schedule-kms-key-deletion
Poco::JSON::Object::Ptr cancelDeletion(ExoCall& c);    // cancel-kms-key-deletion
Poco::JSON::Object::Ptr replicate(ExoCall& c);         // replicate-kms-key
Poco::JSON::Object::Ptr getOperation(ExoCall& c);      // get-operation
// exo_crypto_handlers.cpp
Poco::JSON::Object::Ptr encrypt(ExoCall& c);          // encrypt
Poco::JSON::Object::Ptr decrypt(ExoCall& c);          // decrypt
Poco::JSON::Object::Ptr generateDataKey(ExoCall& c);  // generate-data-key
Poco::JSON::Object::Ptr reEncrypt(ExoCall& c);        // re-encrypt
// exo_rotation_handlers.cpp
Poco::JSON::Object::Ptr rotateKey(ExoCall& c);        // rotate-kms-key
Poco::JSON::Object::Ptr listRotations(ExoCall& c);    // list-kms-key-rotations
Poco::JSON::Object::Ptr enableRotation(ExoCall& c);   // enable-kms-key-rotation
Poco::JSON::Object::Ptr disableRotation(ExoCall& c);  // disable-kms-key-rotation
// exo_zone_handlers.cpp
Poco::JSON::Object::Ptr listZones(ExoCall& c);  // list-zones

}  // namespace keyport::api::exoscale
