// Router: maps method + path template ("/v1.0/{project_id}/kms/create-key") to handlers,
// and tells "no such path" from "path exists, wrong method" so dialects can answer
// 404 and 405 in their own shape.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "service/api/http.h"

namespace keyport::api {

using Handler = std::function<Response(Request&)>;

// Shapes an error for paths a dialect owns (404, 405, 413, 500 from the server itself).
using ErrorShaper = std::function<Response(int status, const std::string& message)>;

class Router {
  public:
    void add(std::string method, const std::string& pattern, Handler handler);
    // Paths for which `owns` is true get errors shaped by `shaper`; the first match wins.
    // `name` goes into each request's audit (RequestAudit::dialect): a named dialect's
    // requests are audited, metered and logged under that name.
    void addDialect(std::string name, std::function<bool(std::string_view path)> owns,
                    ErrorShaper shaper);
    void addDialect(std::function<bool(std::string_view path)> owns, ErrorShaper shaper) {
        addDialect({}, std::move(owns), std::move(shaper));
    }
    // The name of the dialect that owns `path`, or empty.
    const std::string& dialectOf(std::string_view path) const;

    // Fills req.params, req.audit.dialect and req.audit.route and runs the handler, or
    // answers 404/405 in the owning dialect's shape.
    Response dispatch(Request& req) const;
    Response error(std::string_view path, int status, const std::string& message) const;
    // Every registered (method, path template), in registration order: for tests that sweep
    // all routes.
    std::vector<std::pair<std::string, std::string>> routeTemplates() const;

  private:
    struct Route {
        std::string method;
        std::vector<std::string> segments;  // "{name}" captures one segment
        std::string pattern;
        Handler handler;
    };
    struct Dialect {
        std::string name;
        std::function<bool(std::string_view)> owns;
        ErrorShaper shaper;
    };
    std::vector<Route> routes_;
    std::vector<Dialect> dialects_;
};

std::vector<std::string> splitPath(std::string_view path);

}  // namespace keyport::api
