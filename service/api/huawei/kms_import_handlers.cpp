// Huawei KMS BYOK routes: import parameters, import, delete imported material.
#include "service/api/huawei/kms_call.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport::api::huawei {

hsm::Bytes base64Field(const KmsCall& c, const std::string& name, std::size_t minChars,
                       std::size_t maxChars) {
    const std::string text = c.body.string(name);
    const std::string pattern =
        "^[0-9a-zA-Z+/=]{" + std::to_string(minChars) + "," + std::to_string(maxChars) + "}$";
    if (text.size() < minChars || text.size() > maxChars) {
        throw Error(ErrorCode::InvalidParameter, name + " must match " + pattern, name);
    }
    auto bytes = base64Decode(text);
    if (!bytes) throw Error(ErrorCode::InvalidParameter, name + " is not valid base64", name);
    return std::move(*bytes);
}

Poco::JSON::Object::Ptr getParametersForImport(KmsCall& c) {
    const std::string id = c.keyId();
    WrappingAlgorithm algorithm = WrappingAlgorithm::RsaOaepSha256;
    if (auto s = c.body.optString("wrapping_algorithm")) {
        auto a = parseWrappingAlgorithm(*s);
        if (!a) {
            throw Error(ErrorCode::InvalidParameter,
                        "wrapping_algorithm must be RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1",
                        "wrapping_algorithm");
        }
        algorithm = *a;
    }
    unsigned bits = 2048;
    if (auto s = c.body.optString("wrapping_key_spec")) {
        auto spec = parseKeySpec(*s);
        if (!spec || !isRsa(*spec)) {
            throw Error(ErrorCode::InvalidParameter,
                        "wrapping_key_spec must be RSA_2048, RSA_3072 or RSA_4096",
                        "wrapping_key_spec");
        }
        bits = rsaBits(*spec);
    }
    const ImportParameters p = c.services.imports->parameters(c.scope, id, algorithm, bits);
    auto o = object();
    o->set("key_id", p.keyId);
    o->set("import_token", p.importToken);
    o->set("expiration_time", static_cast<Poco::Int64>(p.expiresAt));
    o->set("public_key", base64Encode(p.publicSpki));
    return o;
}

Poco::JSON::Object::Ptr importKeyMaterial(KmsCall& c) {
    ImportMaterial cmd;
    cmd.keyId = c.keyId();
    cmd.importToken = c.body.string("import_token");
    base64Field(c, "import_token", 200,
                6144);  // Huawei's pattern; the token itself is checked on-token
    // 344 characters is an RSA-2048 ciphertext, Huawei's lower bound; the upper bound is
    // scaled to RSA-4096 (684) plus Huawei's slack of 16. The exact length is checked
    // against the wrapping key named by the import token.
    cmd.encryptedKeyMaterial = base64Field(c, "encrypted_key_material", 344, 700);
    if (c.body.has("encrypted_privatekey")) {
        cmd.encryptedPrivateKey = base64Field(c, "encrypted_privatekey", 200, 6144);
    }
    cmd.expirationTime =
        c.body.optInteger("expiration_time", 0, std::numeric_limits<std::int64_t>::max());
    const KeyRecord k = c.services.imports->import(c.scope, cmd);
    if (k.unwrapPath) c.req.audit.unwrapPath = std::string(name(*k.unwrapPath));
    return nullptr;
}

Poco::JSON::Object::Ptr deleteImportedKeyMaterial(KmsCall& c) {
    c.services.imports->deleteMaterial(c.scope, c.keyId());
    return nullptr;
}

}  // namespace keyport::api::huawei
