#include "tests/e2e/import_helpers.h"

#include <chrono>
#include <stdexcept>

namespace keyport::test {

ImportParams getParams(const KmsClient& c, const std::string& keyId, const std::string& algorithm,
                       const std::string& wrappingSpec) {
    const auto r =
        c.call("get-parameters-for-import", jsonBody({{"key_id", keyId},
                                                      {"wrapping_algorithm", algorithm},
                                                      {"wrapping_key_spec", wrappingSpec}}));
    if (r.status != 200) throw std::runtime_error("get-parameters-for-import: " + r.body);
    return ImportParams{r.str("import_token"), unb64(r.str("public_key")),
                        std::stoll(r.str("expiration_time"))};
}

std::string importBody(const std::string& keyId, const ImportParams& p, const hsm::Bytes& material,
                       const std::optional<hsm::Bytes>& pkcs8, bool sha256,
                       const std::optional<std::int64_t>& expiration) {
    std::vector<std::pair<std::string, std::string>> f{{"key_id", keyId},
                                                       {"import_token", p.importToken}};
    if (pkcs8) {
        const hsm::Bytes temp = randomBytes(32);
        f.emplace_back("encrypted_key_material", b64(oaepEncrypt(p.publicKey, temp, sha256)));
        f.emplace_back("encrypted_privatekey", b64(kwpWrap(temp, *pkcs8)));
    } else {
        f.emplace_back("encrypted_key_material", b64(oaepEncrypt(p.publicKey, material, sha256)));
    }
    std::string body = jsonBody(f);
    if (expiration)
        body.insert(body.size() - 1, ",\"expiration_time\":" + std::to_string(*expiration));
    return body;
}

std::string importKey(const KmsClient& c, const std::string& alias, const std::string& spec,
                      const std::string& usage, const hsm::Bytes& material,
                      const std::optional<hsm::Bytes>& pkcs8, const std::string& algorithm) {
    const std::string id = c.createKey(alias, spec, usage, "external");
    const ImportParams p = getParams(c, id, algorithm);
    const auto r = c.call("import-key-material",
                          importBody(id, p, material, pkcs8, algorithm == "RSAES_OAEP_SHA_256"));
    if (r.status != 200) throw std::runtime_error("import-key-material: " + r.body);
    return id;
}

std::int64_t nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace keyport::test
