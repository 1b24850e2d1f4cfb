// CsmsClient: the e2e tests' Huawei CSMS caller — one credential's X-Auth-Token on
// /v1/{project}/… of the binary's keyportd (server(), asked on every call: a restarted
// server has a new port), in its own project or (in()) another one.
#pragma once

#include <string>
#include <utility>

#include "tests/e2e/kms_client.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {

class CsmsClient {
  public:
    explicit CsmsClient(Credential c) : cred_(std::move(c)) {}
    HttpResult in(const std::string& project, const std::string& method, const std::string& path,
                  const std::string& body = {}) const {
        return httpRequest(server().port(), method, "/v1/" + project + "/" + path, body,
                           {{"X-Auth-Token", cred_.token}});
    }
    HttpResult operator()(const std::string& method, const std::string& path,
                          const std::string& body = {}) const {
        return in(cred_.projectId, method, path, body);
    }
    const Credential& cred() const { return cred_; }

  private:
    Credential cred_;
};

}  // namespace keyport::test
