// Request and Response: one HTTP exchange as the dialect handlers see it, independent of
// Poco's server classes so handlers and signature checks are plain functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keyport::api {

// What a request did, as its audit record and its log line tell it. Router::dispatch fills
// dialect and route; each dialect's call wrapper fills the rest as it learns it. Never
// material, plaintext, PINs, tokens, signatures or bodies.
struct RequestAudit {
    std::string dialect;  // "huawei-kms", "huawei-csms", "exoscale", "ncloud"; empty: not audited
    std::string route;    // the route template, e.g. "/v1.0/{project_id}/kms/encrypt-data"
    // The authenticated principal (empty until authentication succeeded).
    std::string domainId, projectId, accessKey, role;
    // Where a grant made the call act in another domain's project: the scope it acted in.
    std::string actingDomainId, actingProjectId;
    // The objects the request named or created: ("key_id", "0d0466b0-..."), ("grant_id", ...).
    std::vector<std::pair<std::string, std::string>> objects;
    std::string unwrapPath;  // "on-token" or "host-assisted" where an import ran

    void object(std::string kind, std::string id) {
        for (const auto& [k, v] : objects) {
            if (k == kind && v == id) return;
        }
        objects.emplace_back(std::move(kind), std::move(id));
    }
};

struct Request {
    std::string method;
    std::string path;   // as sent: percent-encoded, without the query
    std::string query;  // as sent, without '?'
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::map<std::string, std::string> params;  // from the route template
    std::string id;           // X-Request-Id: the client's when sane, else generated
    std::string peer;         // the client's address, printable
    std::string peerSubject;  // mTLS: the client certificate's subject
    RequestAudit audit;

    // First header of that name, compared case-insensitively.
    std::optional<std::string_view> header(std::string_view name) const;
    const std::string& param(const std::string& name) const { return params.at(name); }
};

struct Response {
    int status = 200;
    std::string body;
    std::string contentType = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    // The dialect's error code of an error answer ("KMS.0201", "INVALID_REQUEST"), set by
    // each dialect's error builder for the audit record and the log; never sent as a header.
    std::string errorCode;

    static Response json(int status, std::string body) {
        return Response{status, std::move(body), "application/json", {}, {}};
    }
};

}  // namespace keyport::api
