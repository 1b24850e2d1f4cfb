// Huawei KMS cryptographic routes: data, data keys, re-encryption, signatures, public keys,
// random.
#include <algorithm>
#include <vector>

#include "service/api/huawei/kms_call.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"
#include "service/core/keys/public_crypto.h"

namespace keyport::api::huawei {
namespace {

constexpr std::size_t kMaxPlaintext = 4096;
// additional_authenticated_data: "any string, at most 128 bytes" (go model
// model_create_datakey_request_body.go, model_encrypt_datakey_request_body.go,
// model_decrypt_datakey_request_body.go; nodejs CreateDatakeyRequestBody.ts and siblings).
constexpr std::size_t kMaxAad = 128;

// Structure only (lead and continuation bytes); enough to keep the JSON well-formed.
bool validUtf8(hsm::ByteView s) {
    for (std::size_t i = 0; i < s.size();) {
        const unsigned c = s[i];
        const std::size_t n = c < 0x80             ? 0
                              : (c & 0xe0) == 0xc0 ? 1
                              : (c & 0xf0) == 0xe0 ? 2
                              : (c & 0xf8) == 0xf0 ? 3
                                                   : 4;
        if (n == 4 || s.size() - i <= n) return false;
        for (std::size_t k = 1; k <= n; ++k) {
            if ((s[i + k] & 0xc0) != 0x80) return false;
        }
        i += n + 1;
    }
    return true;
}

std::optional<EncryptionAlgorithm> optEncryptionAlgorithm(const KmsCall& c,
                                                          const std::string& field) {
    auto s = c.body.optString(field);
    if (!s) return std::nullopt;
    // An algorithm of Huawei's (SM2 keys, Chinese regions) that Keyport has no keys for.
    if (*s == "SM2_ENCRYPT") {
        throw Error(ErrorCode::AlgorithmUnsupported,
                    field + " SM2_ENCRYPT is not supported: Keyport has no SM2 keys", field);
    }
    auto a = parseEncryptionAlgorithm(*s);
    if (!a) {
        throw Error(ErrorCode::InvalidParameter,
                    field + " must be SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1",
                    field);
    }
    return *a;
}

EncryptionAlgorithm encryptionAlgorithm(const KmsCall& c) {
    return optEncryptionAlgorithm(c, "encryption_algorithm")
        .value_or(EncryptionAlgorithm::SymmetricDefault);
}

// An AAD string as a ciphertext's binding (absent and "" are the same: none).
std::string checkedAad(const std::string& aad, const std::string& field) {
    if (aad.size() > kMaxAad) {
        throw Error(ErrorCode::InvalidParameter, field + " must be at most 128 bytes", field);
    }
    if (!aad.empty() && aad.front() == '\0') {
        throw Error(ErrorCode::InvalidParameter, field + " must not start with a NUL character",
                    field);
    }
    return aad;
}

// A key id field other than key_id (re-encrypt's source and destination keys).
std::string keyIdField(const KmsCall& c, const std::string& field) {
    const std::string id = c.body.string(field);
    if (!isUuid(id)) throw Error(ErrorCode::InvalidParameter, field + " must be a key ID", field);
    return id;
}

// A secret field (a data key) decoded straight into SecretBytes.
hsm::SecretBytes secretHexField(const KmsCall& c, const std::string& name) {
    auto b = hexDecodeSecret(SecretText{c.body.string(name)}.text);
    if (!b) throw Error(ErrorCode::InvalidParameter, name + " must be a hexadecimal string", name);
    return std::move(*b);
}

hsm::Bytes hexField(const KmsCall& c, const std::string& name) {
    auto b = hexDecode(c.body.string(name));
    if (!b) throw Error(ErrorCode::InvalidParameter, name + " must be a hexadecimal string", name);
    return std::move(*b);
}

// datakey_length in bits (Huawei: 8–8192, whole bytes); AES_256 / AES_128 via key_spec.
std::size_t dataKeyBytes(const KmsCall& c) {
    if (auto bits = c.body.optInteger("datakey_length", 8, 8192)) {
        if (*bits % 8 != 0) {
            throw Error(ErrorCode::InvalidParameter, "datakey_length must be a multiple of 8 bits",
                        "datakey_length");
        }
        return static_cast<std::size_t>(*bits / 8);
    }
    const std::string spec = c.body.optString("key_spec").value_or("AES_256");
    if (spec == "AES_256") return 32;
    if (spec == "AES_128") return 16;
    throw Error(ErrorCode::InvalidParameter, "key_spec must be AES_256 or AES_128", "key_spec");
}

// decrypt-data and decrypt-datakey may name the key; it must be the one in the ciphertext.
void checkNamedKey(const KmsCall& c, const std::string& actual) {
    if (c.body.has("key_id") && c.keyId() != actual) {
        throw Error(ErrorCode::InvalidParameter, "cipher_text was not made with key_id",
                    "cipher_text");
    }
}

SigningAlgorithm signingAlgorithm(const KmsCall& c) {
    auto a = parseSigningAlgorithm(c.body.string("signing_algorithm"));
    if (!a) {
        throw Error(ErrorCode::InvalidParameter,
                    "signing_algorithm must be one of RSASSA_PSS_SHA_256/384/512, "
                    "RSASSA_PKCS1_V1_5_SHA_256/384/512, "
                    "ECDSA_SHA_256/384/512",
                    "signing_algorithm");
    }
    return *a;
}

MessageType messageType(const KmsCall& c) {
    auto s = c.body.optString("message_type");
    if (!s) return MessageType::Digest;
    auto t = parseMessageType(*s);
    if (!t)
        throw Error(ErrorCode::InvalidParameter, "message_type must be DIGEST or RAW",
                    "message_type");
    return *t;
}

hsm::Bytes messageField(const KmsCall& c) {
    auto m = base64Decode(c.body.string("message"));
    if (!m) throw Error(ErrorCode::InvalidParameter, "message is not valid base64", "message");
    if (m->empty() || m->size() > kMaxPlaintext) {
        throw Error(ErrorCode::InvalidParameter, "message must be 1 to 4096 bytes", "message");
    }
    return std::move(*m);
}

}  // namespace

// What the caller binds a ciphertext to, as core's encryption context (GCM associated data;
// decryption needs the same again):
// * additional_authenticated_data: the string's bytes (absent and "" are the same: none);
// * encryption_context (Huawei's API docs for encrypt-data / decrypt-datakey, an object of
//   string values, at most 8192 characters): a NUL byte, then the pairs sorted by key as
//   JSON; the NUL keeps it apart from any AAD string, which may not start with one.
// Both at once are refused: one ciphertext has one binding.
std::string associatedDataField(const KmsCall& c) {
    return associatedData(c.body);
}

std::string associatedData(const JsonBody& body) {
    auto aad = body.optString("additional_authenticated_data");
    const auto context = body.object("encryption_context");
    if (aad && context) {
        throw Error(ErrorCode::InvalidParameter,
                    "give additional_authenticated_data or encryption_context, not both",
                    "encryption_context");
    }
    if (aad) return checkedAad(*aad, "additional_authenticated_data");
    if (!context || context->size() == 0) return {};
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& [k, v] : *context) {
        if (!v.isString()) {
            throw Error(ErrorCode::InvalidParameter, "encryption_context values must be strings",
                        "encryption_context");
        }
        pairs.emplace_back(k, v.extract<std::string>());
    }
    std::sort(pairs.begin(), pairs.end());
    std::string canonical;
    for (const auto& [k, v] : pairs) {
        canonical += (canonical.empty() ? "{" : ",") + quote(k) + ":" + quote(v);
    }
    canonical += "}";
    if (canonical.size() > 8192) {
        throw Error(ErrorCode::InvalidParameter,
                    "encryption_context must be at most 8192 characters", "encryption_context");
    }
    return std::string(1, '\0') + canonical;
}

Poco::JSON::Object::Ptr encryptData(KmsCall& c) {
    const std::string id = c.keyId();
    const SecretText plain{c.body.string("plain_text")};
    if (plain.text.empty() || plain.text.size() > kMaxPlaintext) {
        throw Error(ErrorCode::InvalidParameter, "plain_text must be 1 to 4096 bytes",
                    "plain_text");
    }
    // The v2 model (EncryptDataRequestBody.ts) has no AAD field; the data-key models do, and
    // encrypt-data binds it the same way so a caller that sends it is not silently unbound.
    const std::string aad = associatedDataField(c);
    const auto ct = c.services.crypto->encrypt(c.scope, id, hsm::asBytes(plain.text),
                                               encryptionAlgorithm(c), hsm::asBytes(aad));
    auto o = object();
    o->set("key_id", id);
    o->set("cipher_text", base64Encode(ct));
    return o;
}

Poco::JSON::Object::Ptr decryptData(KmsCall& c) {
    auto ct = base64Decode(c.body.string("cipher_text"));
    if (!ct)
        throw Error(ErrorCode::InvalidParameter, "cipher_text is not valid base64", "cipher_text");
    const std::string aad = associatedDataField(c);
    const Decrypted d = c.services.crypto->decrypt(c.scope, *ct, hsm::asBytes(aad));
    checkNamedKey(c, d.keyId);
    const hsm::ByteView plain = d.plaintext.reveal();
    auto o = object();
    o->set("key_id", d.keyId);
    // plain_text is the text as encrypted; binary data is only in plain_text_base64.
    setSecret(o, "plain_text",
              validUtf8(plain) ? std::string(plain.begin(), plain.end()) : std::string());
    setSecret(o, "plain_text_base64", base64Encode(plain));
    return o;
}

Poco::JSON::Object::Ptr createDataKey(KmsCall& c) {
    const std::string id = c.keyId();
    const std::string aad = associatedDataField(c);
    const DataKey dk =
        c.services.crypto->createDataKey(c.scope, id, dataKeyBytes(c), true, hsm::asBytes(aad));
    auto o = object();
    o->set("key_id", dk.keyId);
    setSecret(o, "plain_text", hexEncode(dk.plaintext.reveal()));
    o->set("cipher_text", hexEncode(dk.ciphertext));
    return o;
}

Poco::JSON::Object::Ptr createDataKeyWithoutPlaintext(KmsCall& c) {
    const std::string id = c.keyId();
    const std::string aad = associatedDataField(c);  // the request body is CreateDatakeyRequestBody
    const DataKey dk =
        c.services.crypto->createDataKey(c.scope, id, dataKeyBytes(c), false, hsm::asBytes(aad));
    auto o = object();
    o->set("key_id", dk.keyId);
    o->set("cipher_text", hexEncode(dk.ciphertext));
    return o;
}

// plain_text = hex(DEK) + hex(SHA-256(DEK)), as Huawei's SDKs send it.
Poco::JSON::Object::Ptr encryptDataKey(KmsCall& c) {
    const std::string id = c.keyId();
    const hsm::SecretBytes text = secretHexField(c, "plain_text");
    const auto length = c.body.optInteger("datakey_plain_length", 1, 1024);
    if (!length)
        throw Error(ErrorCode::MissingParameter, "datakey_plain_length is required",
                    "datakey_plain_length");
    const auto n = static_cast<std::size_t>(*length);
    const hsm::ByteView all = text.reveal();
    if (all.size() != n + 32) {
        throw Error(ErrorCode::InvalidParameter,
                    "plain_text must be the data key followed by its SHA-256 digest "
                    "(datakey_plain_length + 32 bytes)",
                    "plain_text");
    }
    const hsm::ByteView dek = all.subspan(0, n);
    const hsm::Bytes dgst = digest(hsm::Hash::Sha256, dek);
    if (!hsm::constantTimeEqual(dgst, all.subspan(n))) {
        throw Error(ErrorCode::InvalidParameter,
                    "the SHA-256 digest in plain_text does not match the data key", "plain_text");
    }
    const std::string aad = associatedDataField(c);
    const auto ct = c.services.crypto->encrypt(
        c.scope, id, dek, EncryptionAlgorithm::SymmetricDefault, hsm::asBytes(aad));
    auto o = object();
    o->set("key_id", id);
    o->set("cipher_text", hexEncode(ct));
    o->set("datakey_length", std::to_string(n));
    return o;
}

Poco::JSON::Object::Ptr decryptDataKey(KmsCall& c) {
    const std::string id = c.keyId();
    const hsm::Bytes ct = hexField(c, "cipher_text");
    // datakey_cipher_length (model/DecryptDatakeyRequestBody.ts: a string, 1–1024) is checked
    // for form only: Huawei's API docs say "the value is 64" whatever the key, and its samples
    // send "32", "64" and "1" for the same kind of data key, so the value says nothing Keyport
    // could check against; the ciphertext itself says how long the key is.
    c.body.optInteger("datakey_cipher_length", 1, 1024);
    const std::string aad = associatedDataField(c);
    const Decrypted d = c.services.crypto->decrypt(c.scope, ct, hsm::asBytes(aad));
    checkNamedKey(c, d.keyId);
    const hsm::ByteView dek = d.plaintext.reveal();
    auto o = object();
    setSecret(o, "data_key", hexEncode(dek));
    o->set("datakey_length", std::to_string(dek.size()));
    o->set("datakey_dgst", hexEncode(digest(hsm::Hash::Sha256, dek)));
    return o;
}

Poco::JSON::Object::Ptr sign(KmsCall& c) {
    const std::string id = c.keyId();
    const hsm::Bytes message = messageField(c);
    const auto sig =
        c.services.crypto->sign(c.scope, id, message, signingAlgorithm(c), messageType(c));
    auto o = object();
    o->set("key_id", id);
    o->set("signature", base64Encode(sig));
    return o;
}

Poco::JSON::Object::Ptr verify(KmsCall& c) {
    const std::string id = c.keyId();
    const hsm::Bytes message = messageField(c);
    auto sig = base64Decode(c.body.string("signature"));
    if (!sig || sig->empty())
        throw Error(ErrorCode::InvalidParameter, "signature is not valid base64", "signature");
    const bool ok =
        c.services.crypto->verify(c.scope, id, message, *sig, signingAlgorithm(c), messageType(c));
    auto o = object();
    o->set("key_id", id);
    o->set("signature_valid", ok ? "true" : "false");
    return o;
}

Poco::JSON::Object::Ptr getPublicKey(KmsCall& c) {
    const std::string id = c.keyId();
    const auto spki = c.services.crypto->publicKey(c.scope, id);
    auto o = object();
    o->set("key_id", id);
    o->set("public_key", spkiToPem(spki));
    return o;
}

Poco::JSON::Object::Ptr genRandom(KmsCall& c) {
    const auto bits = c.body.optInteger("random_data_length", 8, 8192);
    if (!bits)
        throw Error(ErrorCode::MissingParameter, "random_data_length is required",
                    "random_data_length");
    if (*bits % 8 != 0) {
        throw Error(ErrorCode::InvalidParameter, "random_data_length must be a multiple of 8 bits",
                    "random_data_length");
    }
    auto o = object();
    o->set("random_data",
           hexEncode(c.services.crypto->random(c.scope, static_cast<std::size_t>(*bits / 8))));
    return o;
}

// POST /v1.0/{project_id}/kms/re-encrypt (KmsClient.ts reEncrypt; model/ReEncryptRequestBody.ts,
// ReEncryptResponse.ts; go model_re_encrypt_request_body.go). cipher_text is base64 as
// encrypt-data makes it; the result is one of the destination key's current material version.
// Not a grant operation (CreateGrantRequestBody.operations has no re-encrypt): it acts on the
// caller's own keys only.
Poco::JSON::Object::Ptr reEncrypt(KmsCall& c) {
    auto ct = base64Decode(c.body.string("cipher_text"));
    if (!ct || ct->empty())
        throw Error(ErrorCode::InvalidParameter, "cipher_text is not valid base64", "cipher_text");
    ReEncryptRequest r;
    r.ciphertext = *ct;
    if (c.body.has("source_key_id")) r.sourceKeyId = keyIdField(c, "source_key_id");
    const std::string sourceAad =
        checkedAad(c.body.optString("source_additional_authenticated_data").value_or(""),
                   "source_additional_authenticated_data");
    r.sourceContext = hsm::asBytes(sourceAad);
    r.sourceAlgorithm = optEncryptionAlgorithm(c, "source_encryption_algorithm");
    r.destinationKeyId = keyIdField(c, "destination_key_id");
    const std::string destinationAad =
        checkedAad(c.body.optString("destination_additional_authenticated_data").value_or(""),
                   "destination_additional_authenticated_data");
    r.destinationContext = hsm::asBytes(destinationAad);
    r.destinationAlgorithm = optEncryptionAlgorithm(c, "destination_encryption_algorithm")
                                 .value_or(EncryptionAlgorithm::SymmetricDefault);
    // As decrypt-datakey: its form only (a string, 1–1024), see decryptDataKey.
    c.body.optInteger("datakey_cipher_length", 1, 1024);
    const ReEncrypted out = c.services.crypto->reEncrypt(c.scope, r);
    auto o = object();
    o->set("key_id", out.keyId);
    o->set("source_key_id", out.sourceKeyId);
    o->set("source_encryption_algorithm", std::string(name(out.sourceAlgorithm)));
    o->set("destination_encryption_algorithm", std::string(name(out.algorithm)));
    o->set("cipher_text", base64Encode(out.ciphertext));
    return o;
}

}  // namespace keyport::api::huawei
