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

struct Request {
    std::string method;
    std::string path;   // as sent: percent-encoded, without the query
    std::string query;  // as sent, without '?'
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::map<std::string, std::string> params;  // from the route template

    // First header of that name, compared case-insensitively.
    std::optional<std::string_view> header(std::string_view name) const;
    const std::string& param(const std::string& name) const { return params.at(name); }
};

struct Response {
    int status = 200;
    std::string body;
    std::string contentType = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;

    static Response json(int status, std::string body) {
        return Response{status, std::move(body), "application/json", {}};
    }
};

}  // namespace keyport::api
