// Huawei KMS data key pairs: create-rsa-datakey-pair and create-ec-datakey-pair. The pair is
// generated on the CMK's token; private_key_cipher_text is base64 of a Keyport ciphertext
// under the CMK (decrypt-data opens it, given the same additional_authenticated_data, and
// returns the DER PKCS#8 in plain_text_base64); public_key is base64 of the DER SPKI and
// private_key_plain_text base64 of the DER PKCS#8, only when with_plain_text (default true).
// SDK models checked: nodejs services/kms/v2/model/CreateRsaDatakeyPairRequestBody.ts,
// CreateRsaDatakeyPairResponse.ts, CreateEcDatakeyPairRequestBody.ts,
// CreateEcDatakeyPairResponse.ts; go model_create_ec_datakey_pair_request_body.go.
#include "service/api/huawei/kms_call.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport::api::huawei {
namespace {

struct PairSpec {
    std::string_view name;  // Huawei's spelling
    KeySpec spec;
};

constexpr PairSpec kRsaSpecs[] = {
    {"RSA_2048", KeySpec::Rsa2048}, {"RSA_3072", KeySpec::Rsa3072}, {"RSA_4096", KeySpec::Rsa4096}};
// ECC_NIST_P521, ECC_SECG_P256K1 and SM2 are in the model; Keyport's tokens do not do them.
constexpr PairSpec kEcSpecs[] = {{"ECC_NIST_P256", KeySpec::EcP256},
                                 {"ECC_NIST_P384", KeySpec::EcP384}};

template <std::size_t N>
const PairSpec& pairSpec(const KmsCall& c, const PairSpec (&table)[N], const char* allowed) {
    const std::string s = c.body.string("key_spec");
    for (const PairSpec& p : table) {
        if (p.name == s) return p;
    }
    throw Error(ErrorCode::InvalidParameter, std::string("key_spec must be one of ") + allowed,
                "key_spec");
}

Poco::JSON::Object::Ptr createPair(KmsCall& c, const PairSpec& spec) {
    const std::string id = c.keyId();
    const bool withPlaintext = c.body.optBool("with_plain_text").value_or(true);
    const std::string aad = associatedDataField(c);
    const DataKeyPair p =
        c.services.dataKeyPairs->create(c.scope, id, spec.spec, withPlaintext, hsm::asBytes(aad));
    auto o = object();
    o->set("key_id", p.keyId);
    o->set("key_spec", std::string(spec.name));
    o->set("public_key", base64Encode(p.publicSpki));
    o->set("private_key_cipher_text", base64Encode(p.privateCiphertext));
    if (withPlaintext)
        setSecret(o, "private_key_plain_text", base64Encode(p.privatePlaintext.reveal()));
    return o;
}

}  // namespace

Poco::JSON::Object::Ptr createRsaDataKeyPair(KmsCall& c) {
    return createPair(c, pairSpec(c, kRsaSpecs, "RSA_2048, RSA_3072, RSA_4096"));
}

Poco::JSON::Object::Ptr createEcDataKeyPair(KmsCall& c) {
    return createPair(c, pairSpec(c, kEcSpecs, "ECC_NIST_P256, ECC_NIST_P384"));
}

}  // namespace keyport::api::huawei
