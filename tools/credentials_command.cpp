// keyport credentials add: registers a domain's project in a region (if new) and issues a
// credential, printed once as JSON. The server keeps only a hash of the token and the
// secret key wrapped under the region KEK.
#include <cstdio>
#include <string>

#include "service/core/base/encoding.h"
#include "service/core/services.h"
#include "tools/args.h"
#include "tools/commands.h"

namespace keyport::cli {
namespace {

// Huawei project ids are 32 hex digits; accept any short id of safe characters.
bool validId(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    }
    return true;
}

std::string jsonString(const std::string& s) {
    return "\"" + s + "\"";
}  // validated ids, hex

}  // namespace

int credentialsAdd(const Argv& argv) {
    const Args args(argv, {"config", "define", "domain", "project", "region", "role"}, {});
    const std::string domain = args.required("domain");
    const std::string project = args.required("project");
    const std::string region = args.required("region");
    if (!validId(domain)) throw UsageError("--domain must be 1-64 letters, digits, '-' or '_'");
    if (!validId(project)) throw UsageError("--project must be 1-64 letters, digits, '-' or '_'");
    const auto role = parseRole(args.get("role", "user"));
    if (!role) throw UsageError("--role must be admin, user or readonly");

    Services services(Config::load(args.required("config"), args.all("define")));
    if (!services.regions->has(region))
        throw UsageError("--region '" + region + "' is not a configured region");
    const IssuedCredential c = services.tenancy->addCredential(domain, project, region, *role);
    std::printf(
        "{\"domain_id\":%s,\"project_id\":%s,\"region\":%s,\"x_auth_token\":%s,\"access_key\":%s,"
        "\"secret_key\":%s}\n",
        jsonString(c.principal.domainId).c_str(), jsonString(c.principal.projectId).c_str(),
        jsonString(c.principal.region).c_str(), jsonString(c.xAuthToken).c_str(),
        jsonString(c.principal.accessKey).c_str(), jsonString(c.secretKey).c_str());
    return 0;
}

}  // namespace keyport::cli
