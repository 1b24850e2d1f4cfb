#include "tools/ceremony_refusal.h"

#include "tools/args.h"

namespace keyport::cli {
namespace {

const char* inputWords(Input input) {
    switch (input) {
        case Input::KeyId:
            return "the key id";
        case Input::ImportToken:
            return "the import token";
        case Input::WrappedMaterial:
            return "the key material";
        case Input::WrappedPrivateKey:
            return "the wrapped private key";
        case Input::WrappingAlgorithm:
            return "the wrapping algorithm";
        case Input::ExpirationTime:
            return "the expiration time";
        default:
            return "the input";
    }
}

}  // namespace

std::string refusalText(const Error& e) {
    std::string text = "refused (" + std::string(name(e.code())) + "): ";
    if (e.input() != Input::None) text += std::string(inputWords(e.input())) + " ";
    return text + e.what();
}

ProjectScope projectScope(Services& services, const std::string& projectId) {
    const auto p = services.tenancy->project(projectId);
    if (!p) {
        throw UsageError("--project '" + projectId +
                         "' is not registered (keyport credentials add registers a project)");
    }
    return ProjectScope{p->domainId, p->id, p->region};
}

}  // namespace keyport::cli
