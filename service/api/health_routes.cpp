#include "service/api/health_routes.h"

#include "service/api/json.h"

namespace keyport::api {

void addHealthRoutes(Router& router, Services& services) {
    router.add("GET", "/healthz",
               [](Request&) { return Response::json(200, R"({"status":"ok"})"); });
    router.add("GET", "/readyz", [&services](Request&) {
        auto regions = object();
        bool ready = true;
        for (const auto& [name, region] : services.regions->all()) {
            std::string state = "ready";
            if (!region.capabilities) {
                state = "not probed";
            } else {
                try {
                    // A round trip to the token on a pooled, logged-in session.
                    region.token->session()->random(1);
                } catch (const std::exception&) {
                    state = "token not answering";
                }
            }
            ready = ready && state == "ready";
            regions->set(name, state);
        }
        auto o = object();
        o->set("status", ready ? "ready" : "not ready");
        o->set("regions", regions);
        return Response::json(ready ? 200 : 503, stringify(o));
    });
}

}  // namespace keyport::api
