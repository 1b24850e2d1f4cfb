// keyport wrap / keyport import: the customer's side of BYOK, with OpenSSL on the client.
// `wrap` prints the import-key-material fields (from a public key and algorithm, or from an
// offline import's parameters file); `import` runs the whole exchange against a
// Keyport URL and prints the new key's id.
#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "service/core/base/encoding.h"
#include "tools/args.h"
#include "tools/client/byok_wrap.h"
#include "tools/client/kms_session.h"
#include "tools/commands.h"
#include "tools/offline_import_files.h"

namespace keyport::cli {
namespace {

using Poco::JSON::Object;

hsm::Bytes readMaterial(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file);
    std::ostringstream s;
    s << in.rdbuf();
    const std::string m = s.str();
    if (m.empty()) throw std::runtime_error(file + " is empty");
    return hsm::Bytes(m.begin(), m.end());
}

// What to import: raw symmetric material or a private key, exactly one of them.
struct Source {
    std::optional<hsm::Bytes> material;
    std::optional<hsm::Bytes> pkcs8;
};

Source readSource(const Args& args) {
    if (args.has("material") == args.has("private-key")) {
        throw UsageError("give exactly one of --material FILE and --private-key PEM_FILE");
    }
    if (args.has("material")) return {readMaterial(args.get("material")), std::nullopt};
    return {std::nullopt, client::readPrivateKeyPkcs8(args.get("private-key"))};
}

bool sha256Of(const std::string& algorithm) {
    try {
        return client::isSha256Algorithm(algorithm);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
}

client::WrappedImport wrap(const Source& src, const hsm::Bytes& publicKey, bool sha256) {
    return src.pkcs8 ? client::wrapPrivateKey(publicKey, sha256, *src.pkcs8)
                     : client::wrapSymmetric(publicKey, sha256, *src.material);
}

void addWrapped(Object& body, const client::WrappedImport& w) {
    body.set("encrypted_key_material", base64Encode(w.encryptedKeyMaterial));
    if (w.encryptedPrivateKey)
        body.set("encrypted_privatekey", base64Encode(*w.encryptedPrivateKey));
}

std::string nowAlias() {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    return "keyport-import-" + std::to_string(ms);
}

}  // namespace

int wrapMaterial(const Argv& argv) {
    const Args args(argv,
                    {"public-key", "algorithm", "material", "private-key", "key-id", "import-token",
                     "parameters"},
                    {});
    // --parameters: the file `keyport ceremony export-parameters` wrote (offline import); it
    // carries the public key, algorithm, key id and import token.
    std::optional<ImportParametersFile> params;
    if (args.has("parameters")) {
        for (const char* o : {"public-key", "algorithm", "key-id", "import-token"}) {
            if (args.has(o))
                throw UsageError("--parameters FILE already gives --" + std::string(o));
        }
        params = ImportParametersFile::read(args.get("parameters"));
        const auto nowS = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
        if (params->expiresAt <= nowS) {
            std::fprintf(stderr,
                         "keyport: warning: these import parameters expired at %lld (by this "
                         "machine's clock); the import will be refused\n",
                         static_cast<long long>(params->expiresAt));
        }
    }
    const bool sha256 = sha256Of(params ? params->algorithm : args.required("algorithm"));
    const hsm::Bytes publicKey =
        params ? params->publicKey : client::readPublicKey(args.required("public-key"));
    const Source src = readSource(args);
    Object body;
    if (params) {
        body.set("key_id", params->keyId);
        body.set("import_token", params->importToken);
    }
    if (args.has("key-id")) body.set("key_id", args.get("key-id"));
    if (args.has("import-token")) body.set("import_token", args.get("import-token"));
    addWrapped(body, wrap(src, publicKey, sha256));
    body.stringify(std::cout);
    std::cout << '\n';
    return 0;
}

int importKey(const Argv& argv) {
    const Args args(argv,
                    {"url", "project", "token", "ak", "sk", "material", "private-key", "key-spec",
                     "key-usage", "alias", "algorithm", "wrapping-key-spec", "expires"},
                    {});
    client::KmsCredential cred;
    if (args.has("token")) {
        if (args.has("ak") || args.has("sk"))
            throw UsageError("give --token or --ak/--sk, not both");
        cred.token = args.get("token");
    } else if (args.has("ak") && args.has("sk")) {
        cred.accessKey = args.get("ak");
        cred.secretKey = args.get("sk");
    } else {
        throw UsageError("give --token T or both --ak AK and --sk SK");
    }
    // SHA-1 by default: SoftHSM unwraps OAEP-SHA-1 on the token, SHA-256 only host-assisted.
    const std::string algorithm = args.get("algorithm", "RSAES_OAEP_SHA_1");
    const bool sha256 = sha256Of(algorithm);
    std::optional<std::int64_t> expires;
    if (args.has("expires"))
        expires = static_cast<std::int64_t>(args.number("expires", 0, 1, 1ul << 40));
    const Source src = readSource(args);
    const std::string spec =
        args.get("key-spec", src.pkcs8 ? client::keySpecOf(*src.pkcs8) : "AES_256");
    const std::string usage = args.get("key-usage", src.pkcs8 ? "SIGN_VERIFY" : "ENCRYPT_DECRYPT");

    client::KmsSession kms(args.required("url"), args.required("project"), cred);
    Object::Ptr create = new Object;
    create->set("key_alias", args.get("alias", nowAlias()));
    create->set("key_spec", spec);
    create->set("key_usage", usage);
    create->set("origin", "external");
    const std::string keyId =
        kms.call("create-key", create)->getObject("key_info")->getValue<std::string>("key_id");

    Object::Ptr params = new Object;
    params->set("key_id", keyId);
    params->set("wrapping_algorithm", algorithm);
    params->set("wrapping_key_spec", args.get("wrapping-key-spec", "RSA_2048"));
    const auto p = kms.call("get-parameters-for-import", params);
    const auto publicKey = base64Decode(p->getValue<std::string>("public_key"));
    if (!publicKey)
        throw std::runtime_error(
            "get-parameters-for-import returned a public key that is not base64");

    Object::Ptr body = new Object;
    body->set("key_id", keyId);
    body->set("import_token", p->getValue<std::string>("import_token"));
    addWrapped(*body, wrap(src, *publicKey, sha256));
    if (expires) body->set("expiration_time", *expires);
    kms.call("import-key-material", body);
    std::printf("%s\n", keyId.c_str());
    return 0;
}

}  // namespace keyport::cli
