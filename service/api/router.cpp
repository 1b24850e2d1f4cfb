#include "service/api/router.h"

#include <strings.h>

#include "service/api/json.h"
#include "service/api/request_target.h"

namespace keyport::api {

std::optional<std::string_view> Request::header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
        if (n.size() == name.size() && ::strncasecmp(n.data(), name.data(), n.size()) == 0) {
            return std::string_view(v);
        }
    }
    return std::nullopt;
}

std::vector<std::string> splitPath(std::string_view path) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= path.size()) {
        const std::size_t j = path.find('/', i);
        const std::size_t end = j == std::string_view::npos ? path.size() : j;
        if (end > i) out.emplace_back(path.substr(i, end - i));
        if (j == std::string_view::npos) break;
        i = j + 1;
    }
    return out;
}

void Router::add(std::string method, const std::string& pattern, Handler handler) {
    routes_.push_back(Route{std::move(method), splitPath(pattern), pattern, std::move(handler)});
}

void Router::addDialect(std::string name, std::function<bool(std::string_view)> owns,
                        ErrorShaper shaper) {
    dialects_.push_back(Dialect{std::move(name), std::move(owns), std::move(shaper)});
}

const std::string& Router::dialectOf(std::string_view path) const {
    static const std::string none;
    for (const Dialect& d : dialects_) {
        if (d.owns(path)) return d.name;
    }
    return none;
}

namespace {

// The method as it may appear in a message: RFC 9110 token characters, others as '?' (the
// message goes into JSON bodies, which must stay valid UTF-8).
std::string printableMethod(std::string_view method) {
    std::string out(method);
    for (char& c : out) {
        const bool token = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') ||
                           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
        if (!token) c = '?';
    }
    return out;
}

bool isCapture(const std::string& p) {
    return p.size() > 2 && p.front() == '{' && p.back() == '}';
}

// A route is chosen on its literal segments alone and only then are its captures taken:
// dispatch tries many routes per request, and captures taken for a route that then fails
// are map nodes and strings allocated for nothing.
bool literalsMatch(const std::vector<std::string>& pattern, const std::vector<std::string>& path) {
    if (pattern.size() != path.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (!isCapture(pattern[i]) && pattern[i] != path[i]) return false;
    }
    return true;
}

std::map<std::string, std::string> captures(const std::vector<std::string>& pattern,
                                            const std::vector<std::string>& path) {
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const std::string& p = pattern[i];
        if (isCapture(p)) out[p.substr(1, p.size() - 2)] = path[i];
    }
    return out;
}

}  // namespace

Response Router::dispatch(Request& req) const {
    req.audit.dialect = dialectOf(req.path);
    // Before any route: no decoder, signature check or query reader further in meets a
    // malformed escape or a control byte (each dialect answers its own 400).
    if (auto problem = requestTargetProblem(req.path, req.query)) {
        return error(req.path, 400, *problem);
    }
    const auto segments = splitPath(req.path);
    bool pathKnown = false;
    for (const Route& r : routes_) {
        if (!literalsMatch(r.segments, segments)) continue;
        if (r.method != req.method) {
            pathKnown = true;
            continue;
        }
        req.params = captures(r.segments, segments);
        req.audit.route = r.pattern;
        return r.handler(req);
    }
    if (pathKnown) {
        return error(req.path, 405,
                     "method " + printableMethod(req.method) + " is not allowed here");
    }
    return error(req.path, 404, "no such API");
}

std::vector<std::pair<std::string, std::string>> Router::routeTemplates() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const Route& r : routes_) {
        std::string path;
        for (const auto& s : r.segments) path += "/" + s;
        out.emplace_back(r.method, path.empty() ? "/" : path);
    }
    return out;
}

Response Router::error(std::string_view path, int status, const std::string& message) const {
    for (const Dialect& d : dialects_) {
        if (d.owns(path)) return d.shaper(status, message);
    }
    std::string body = R"({"error":)" + quote(message) + "}";
    return Response::json(status, body);
}

}  // namespace keyport::api
