// Huawei KMS key agreement: derive-shared-secret (ECDH) with an EC KEY_AGREEMENT key, the
// private half used on-token only.
// SDK models checked: nodejs services/kms/v2/model/DeriveSharedSecretRequestBody.ts
// (key_id, key_agreement_algorithm "ECDH", public_key, recipient) and
// DeriveSharedSecretResponse.ts (key_id, key_agreement_algorithm, shared_secret,
// ciphertext_recipient). public_key is base64 of the peer's DER SubjectPublicKeyInfo and
// shared_secret base64 of the raw secret, as get-publickey and the data routes encode bytes.
#include "service/api/huawei/kms_call.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport::api::huawei {

Poco::JSON::Object::Ptr deriveSharedSecret(KmsCall& c) {
    const std::string id = c.keyId();
    if (c.body.string("key_agreement_algorithm") != "ECDH") {
        throw Error(ErrorCode::InvalidParameter, "key_agreement_algorithm must be ECDH",
                    "key_agreement_algorithm");
    }
    // recipient asks for the secret encrypted to an enclave's attested key; Keyport has no
    // attestation, so it refuses rather than answer in plaintext.
    if (c.body.has("recipient")) {
        throw Error(ErrorCode::InvalidParameter, "recipient is not supported by this service",
                    "recipient");
    }
    auto peer = base64Decode(c.body.string("public_key"));
    if (!peer || peer->empty() || peer->size() > 1024) {
        throw Error(ErrorCode::InvalidParameter,
                    "public_key must be base64 of a DER SubjectPublicKeyInfo", "public_key");
    }
    const hsm::SecretBytes secret = c.services.agreement->deriveSharedSecret(c.scope, id, *peer);
    auto o = object();
    o->set("key_id", id);
    o->set("key_agreement_algorithm", std::string("ECDH"));
    setSecret(o, "shared_secret", base64Encode(secret.reveal()));
    o->set("ciphertext_recipient", std::string());
    return o;
}

}  // namespace keyport::api::huawei
