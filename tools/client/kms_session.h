// KmsSession: calls the Huawei KMS dialect of one project as a client — authenticated by
// X-Auth-Token or by AK/SK (SDK-HMAC-SHA256, signed as Huawei's SDKs sign).
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "tools/client/http_client.h"

namespace keyport::client {

struct KmsCredential {
    std::string token;      // X-Auth-Token, or
    std::string accessKey;  // AK/SK
    std::string secretKey;
};

// A call that did not return 200: the status and the server's error body.
class KmsError : public std::runtime_error {
  public:
    KmsError(const std::string& action, int status, const std::string& body);
    int status;
};

class KmsSession {
  public:
    KmsSession(const std::string& url, std::string project, KmsCredential credential);

    // POST /v1.0/{project}/kms/{action}; the raw reply.
    HttpReply post(const std::string& action, const std::string& body);
    // The same, parsed; throws KmsError unless 200.
    Poco::JSON::Object::Ptr call(const std::string& action, const Poco::JSON::Object::Ptr& body);

  private:
    HttpClient http_;
    std::string project_;
    KmsCredential cred_;
};

}  // namespace keyport::client
