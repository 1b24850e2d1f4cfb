// keyport ceremony components: N custodians each enter one component of an AES key (typed
// without echo, or from a component file); each component's check value — the first 3 bytes
// of AES-CMAC of a zero block, computed on the token — is shown for the custodian to compare
// with their form, and a wrong one is refused before anything is written. The components are
// combined by XOR in locked host memory (SoftHSM 2.6.1 has no CKM_XOR_BASE_AND_DATA: the
// import is host-assisted, as the OAEP path is) and imported into the external key K.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "service/core/ceremony/key_components.h"
#include "service/core/ceremony/transcript.h"
#include "service/core/services.h"
#include "tools/args.h"
#include "tools/ceremony_refusal.h"
#include "tools/commands.h"
#include "tools/secret_prompt.h"

namespace keyport::cli {
namespace {

struct Plan {
    std::string projectId;
    std::string keyId;
    std::size_t count = 0;
    std::vector<std::string> files;        // empty: typed on the terminal
    std::vector<std::string> checkValues;  // empty: asked for (terminal) or not compared
    std::vector<std::string> custodians;
};

Plan plan(const Args& args) {
    Plan p;
    p.projectId = args.required("project");
    p.keyId = args.required("key-id");
    p.count = args.number("components", 0, 2, 16);
    if (!args.has("components")) throw UsageError("missing required option --components");
    p.files = args.all("component-file");
    p.checkValues = args.all("check-value");
    p.custodians = args.all("custodian");
    const auto sameCount = [&](const std::vector<std::string>& v, const char* option) {
        if (!v.empty() && v.size() != p.count) {
            throw UsageError("give --" + std::string(option) + " once per component (" +
                             std::to_string(p.count) + " times) or not at all");
        }
    };
    sameCount(p.files, "component-file");
    sameCount(p.checkValues, "check-value");
    sameCount(p.custodians, "custodian");
    if (p.custodians.empty()) {
        for (std::size_t i = 1; i <= p.count; ++i)
            p.custodians.push_back("custodian " + std::to_string(i));
    }
    if (p.files.empty() && !isatty(STDIN_FILENO)) {
        throw UsageError(
            "components are typed on a terminal (stdin is not one); give --component-file "
            "FILE once per component instead");
    }
    return p;
}

// One component, typed or from its file, and the check value on the custodian's form ("":
// none given, not compared).
hsm::SecretBytes readComponent(const Plan& p, std::size_t i, std::string& onForm) {
    if (!p.files.empty()) {
        if (!p.checkValues.empty()) onForm = p.checkValues[i];
        return readSecretHexFile(p.files[i]);
    }
    const std::string who = "component " + std::to_string(i + 1) + " of " +
                            std::to_string(p.count) + " (" + p.custodians[i] + ")";
    hsm::SecretBytes c = readSecretHexLine(STDIN_FILENO, who + ", hex, not shown: ");
    onForm = p.checkValues.empty()
                 ? readVisibleLine(STDIN_FILENO, "check value on your form (Enter: none): ")
                 : p.checkValues[i];
    return c;
}

void record(Transcript& transcript, RegionTokens& regions, const std::string& step,
            const std::string& region, const Plan& p,
            std::vector<std::pair<std::string, std::string>> details) {
    details.insert(details.begin(), {"key_id", p.keyId});
    details.insert(details.begin() + 1, {"project_id", p.projectId});
    transcript.append(TranscriptEntry{step, region, p.custodians, std::move(details)}, regions);
}

}  // namespace

int ceremonyComponents(const Argv& argv) {
    const Args args(argv,
                    {"config", "define", "project", "key-id", "components", "component-file",
                     "check-value", "custodian"},
                    {});
    const Plan p = plan(args);
    Services services(Config::load(args.required("config"), args.all("define")));
    Transcript transcript(Transcript::defaultPath(services.config));
    const ProjectScope scope = projectScope(services, p.projectId);
    KeyComponents ceremony(*services.imports, *services.regions);
    std::vector<std::pair<std::string, std::string>> seen;  // check values so far
    try {
        const KeyComponents::Target target = ceremony.target(scope, p.keyId);
        std::printf("key %s (%s, project %s, region %s): %zu components of %zu bytes\n",
                    target.key.id.c_str(), std::string(name(target.key.spec)).c_str(),
                    p.projectId.c_str(), target.key.region.c_str(), p.count, target.componentBytes);
        std::fflush(stdout);
        std::vector<hsm::SecretBytes> components;
        for (std::size_t i = 0; i < p.count; ++i) {
            std::string onForm;
            hsm::SecretBytes c = readComponent(p, i, onForm);
            const std::string kcv = ceremony.checkValue(target, c);
            const std::string label = "component_" + std::to_string(i + 1) + "_check_value";
            seen.emplace_back(label, kcv);
            std::printf("component %zu (%s): check value %s\n", i + 1, p.custodians[i].c_str(),
                        kcv.c_str());
            std::fflush(stdout);
            if (!onForm.empty() && !KeyComponents::sameCheckValue(kcv, onForm)) {
                throw Error(ErrorCode::InvalidParameter,
                            "the check value of component " + std::to_string(i + 1) + " (" +
                                p.custodians[i] + ") is " + kcv + ", the form says " + onForm +
                                "; nothing was imported and key " + p.keyId +
                                " is still pending import");
            }
            if (onForm.empty()) seen.emplace_back(label + "_compared", "no");
            components.push_back(std::move(c));
        }
        const auto imported = ceremony.import(scope, target, components);
        components.clear();  // wiped
        std::printf(
            "key %s: imported from %zu components, combined by XOR in locked host memory "
            "(host-assisted: the token has no on-token XOR); unwrap_path %s\n"
            "key check value: %s\n",
            imported.key.id.c_str(), p.count,
            std::string(name(imported.key.unwrapPath.value_or(UnwrapPath::HostAssisted))).c_str(),
            imported.keyCheckValue.c_str());
        seen.emplace_back("key_check_value", imported.keyCheckValue);
        seen.emplace_back("combined", "xor in locked host memory (host-assisted)");
        seen.emplace_back("unwrap_path", "host-assisted");
        record(transcript, *services.regions, "components", imported.key.region, p,
               std::move(seen));
        return 0;
    } catch (const Error& e) {
        seen.emplace_back("refused", refusalText(e));
        record(transcript, *services.regions, "components-refused", scope.region, p,
               std::move(seen));
        throw std::runtime_error(refusalText(e));
    }
}

}  // namespace keyport::cli
