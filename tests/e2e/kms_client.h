// KmsClient: a small HTTP client for the e2e tests — JSON in, status and JSON out — that
// authenticates with an X-Auth-Token (or sends exactly the headers a test gives).
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/e2e/keyport_server.h"

namespace keyport::test {

struct HttpResult {
    int status = 0;
    std::string body;
    Poco::JSON::Object::Ptr json;  // null when the body is not a JSON object

    std::string str(const std::string& name) const;  // a string field, "" if absent
    std::string errorCode() const;                   // Huawei error.error_code
};

using Headers = std::vector<std::pair<std::string, std::string>>;

HttpResult httpRequest(unsigned port, const std::string& method, const std::string& pathAndQuery,
                       const std::string& body, const Headers& headers);

class KmsClient {
  public:
    KmsClient(unsigned port, Credential credential) : port_(port), cred_(std::move(credential)) {}

    // POST /v1.0/{project}/kms/{action} with the credential's token.
    HttpResult call(const std::string& action, const std::string& body) const;
    HttpResult call(const std::string& action, const Poco::JSON::Object::Ptr& body) const;
    HttpResult callIn(const std::string& project, const std::string& action,
                      const std::string& body) const;

    std::string createKey(const std::string& alias, const std::string& spec,
                          const std::string& usage,
                          const std::string& origin) const;  // key id; throws unless 200

    const Credential& credential() const { return cred_; }
    unsigned port() const { return port_; }

  private:
    unsigned port_;
    Credential cred_;
};

// {"a":"b",...} from pairs, values as JSON strings.
std::string jsonBody(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace keyport::test
