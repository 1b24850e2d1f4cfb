// keyport ceremony export-parameters / ceremony import: an import whose material never
// touches a networked machine. export-parameters writes get-parameters-for-import's answer
// to a file; `keyport wrap --parameters FILE` wraps the material on the offline machine;
// ceremony import reads wrap's output and completes import-key-material in this process, on
// the database keyportd uses (its change feed tells a running keyportd at once).
#include <cstdio>
#include <string>

#include "service/core/base/clock.h"
#include "service/core/base/encoding.h"
#include "service/core/ceremony/transcript.h"
#include "service/core/services.h"
#include "tools/args.h"
#include "tools/ceremony_refusal.h"
#include "tools/commands.h"
#include "tools/offline_import_files.h"

namespace keyport::cli {
namespace {

unsigned wrappingBits(const std::string& spec) {
    if (spec == "RSA_2048") return 2048;
    if (spec == "RSA_3072") return 3072;
    if (spec == "RSA_4096") return 4096;
    throw UsageError("--wrapping-key-spec must be RSA_2048, RSA_3072 or RSA_4096");
}

void record(RegionTokens& regions, const Config& config, const std::string& step,
            const std::string& region, std::vector<std::pair<std::string, std::string>> details) {
    Transcript(Transcript::defaultPath(config))
        .append(TranscriptEntry{step, region, {}, std::move(details)}, regions);
}

hsm::Bytes decoded(const Poco::JSON::Object& o, const std::string& member,
                   const std::string& path) {
    auto b = base64Decode(requiredString(o, member, path));
    if (!b || b->empty()) throw std::runtime_error(path + ": " + member + " is not base64");
    return std::move(*b);
}

// wrap's output as import-key-material's input.
ImportMaterial readWrapped(const std::string& path) {
    const auto o = readJsonObjectFile(path, 64 * 1024);
    ImportMaterial m;
    m.keyId = requiredString(*o, "key_id", path);
    m.importToken = requiredString(*o, "import_token", path);
    m.encryptedKeyMaterial = decoded(*o, "encrypted_key_material", path);
    if (o->has("encrypted_privatekey"))
        m.encryptedPrivateKey = decoded(*o, "encrypted_privatekey", path);
    if (o->has("expiration_time")) {
        try {
            m.expirationTime = o->getValue<std::int64_t>("expiration_time");
        } catch (const std::exception&) {
            throw std::runtime_error(path + ": expiration_time is not a number");
        }
    }
    return m;
}

}  // namespace

int ceremonyExportParameters(const Argv& argv) {
    const Args args(
        argv, {"config", "define", "project", "key-id", "out", "algorithm", "wrapping-key-spec"},
        {});
    const std::string projectId = args.required("project");
    const std::string keyId = args.required("key-id");
    const std::string out = args.required("out");
    // SHA-1 by default, as `keyport import`: SoftHSM 2.6.1 unwraps OAEP-SHA-1 on the token
    // and OAEP-SHA-256 only host-assisted.
    const std::string algorithmName = args.get("algorithm", "RSAES_OAEP_SHA_1");
    const auto algorithm = parseWrappingAlgorithm(algorithmName);
    if (!algorithm) throw UsageError("--algorithm must be RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1");
    const std::string spec = args.get("wrapping-key-spec", "RSA_2048");
    const unsigned bits = wrappingBits(spec);

    Services services(Config::load(args.required("config"), args.all("define")));
    const ProjectScope scope = projectScope(services, projectId);
    ImportParameters issued;
    try {
        issued = services.imports->parameters(scope, keyId, *algorithm, bits);
    } catch (const Error& e) {
        record(*services.regions, services.config, "export-parameters-refused", scope.region,
               {{"key_id", keyId}, {"project_id", projectId}, {"refused", refusalText(e)}});
        throw std::runtime_error(refusalText(e));
    }
    const ImportParametersFile file{
        issued.keyId,       projectId,        scope.region,  issued.publicSpki,
        issued.importToken, issued.expiresAt, algorithmName, spec};
    writeNewFile(out, file.json());
    const std::string sha = fileSha256(out);
    record(*services.regions, services.config, "export-parameters", scope.region,
           {{"key_id", issued.keyId},
            {"project_id", projectId},
            {"algorithm", algorithmName},
            {"wrapping_key_spec", spec},
            {"expiration_time", std::to_string(issued.expiresAt)},
            {"file", out},
            {"file_sha256", sha}});
    std::printf(
        "import parameters for key %s written to %s (sha256 %s), valid until %lld (epoch "
        "seconds)\n"
        "on the offline machine: keyport wrap --parameters %s --material KEY_FILE > WRAPPED\n"
        "then here: keyport ceremony import --config FILE --project %s --file WRAPPED\n",
        issued.keyId.c_str(), out.c_str(), sha.c_str(), static_cast<long long>(issued.expiresAt),
        out.c_str(), projectId.c_str());
    return 0;
}

int ceremonyImport(const Argv& argv) {
    const Args args(argv, {"config", "define", "project", "file", "key-id"}, {});
    const std::string projectId = args.required("project");
    const std::string path = args.required("file");
    const ImportMaterial material = readWrapped(path);
    if (args.has("key-id") && args.get("key-id") != material.keyId) {
        throw std::runtime_error("refused: " + path + " is for key " + material.keyId + ", not " +
                                 args.get("key-id") + "; nothing was imported");
    }
    const std::string sha = fileSha256(path);
    Services services(Config::load(args.required("config"), args.all("define")));
    const ProjectScope scope = projectScope(services, projectId);
    KeyRecord k;
    try {
        k = services.imports->import(scope, material);
    } catch (const Error& e) {
        record(*services.regions, services.config, "offline-import-refused", scope.region,
               {{"key_id", material.keyId},
                {"project_id", projectId},
                {"file_sha256", sha},
                {"refused", refusalText(e)}});
        throw std::runtime_error(refusalText(e) + "; nothing was imported");
    }
    const std::string unwrapPath = std::string(name(k.unwrapPath.value_or(UnwrapPath::OnToken)));
    record(*services.regions, services.config, "offline-import", k.region,
           {{"key_id", k.id},
            {"project_id", projectId},
            {"key_spec", std::string(name(k.spec))},
            {"unwrap_path", unwrapPath},
            {"file_sha256", sha}});
    std::printf("key %s (%s): key material imported (unwrap_path %s), state %d\n", k.id.c_str(),
                std::string(name(k.spec)).c_str(), unwrapPath.c_str(), static_cast<int>(k.state));
    return 0;
}

}  // namespace keyport::cli
