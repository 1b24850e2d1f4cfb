// ExoCall: one authenticated Exoscale request as its handler sees it (zone and project
// already selected), and the handlers of the Exoscale KMS routes.
#pragma once

#include <Poco/JSON/Object.h>

#include "service/api/http.h"
#include "service/api/json.h"
#include "service/core/services.h"

namespace keyport::api::exoscale {

struct ExoCall {
    Request& req;
    JsonBody body;
    ProjectScope scope;  // the caller's project in the selected zone
    Services& services;

    std::string keyId() const;  // {id} from the path, checked to be a UUID
};

using ExoHandler = Poco::JSON::Object::Ptr (*)(ExoCall&);

Poco::JSON::Object::Ptr createKey(ExoCall& c);
Poco::JSON::Object::Ptr listKeys(ExoCall& c);
Poco::JSON::Object::Ptr getKey(ExoCall& c);
Poco::JSON::Object::Ptr enableKey(ExoCall& c);
Poco::JSON::Object::Ptr disableKey(ExoCall& c);
Poco::JSON::Object::Ptr scheduleDeletion(ExoCall& c);
Poco::JSON::Object::Ptr cancelDeletion(ExoCall& c);
Poco::JSON::Object::Ptr encrypt(ExoCall& c);
Poco::JSON::Object::Ptr decrypt(ExoCall& c);
Poco::JSON::Object::Ptr generateDataKey(ExoCall& c);
Poco::JSON::Object::Ptr replicate(ExoCall& c);
Poco::JSON::Object::Ptr getOperation(ExoCall& c);

}  // namespace keyport::api::exoscale
