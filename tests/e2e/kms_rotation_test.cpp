// Key rotation against a real keyportd: ciphertexts and data keys made before, between and
// after rotations all decrypt, on the primary and on a replica (one that existed before a
// rotation and one made after it); each ciphertext names its material version; imported,
// asymmetric, replica and out-of-range requests are refused with Huawei's codes; another
// domain sees nothing; automatic rotation fires without a restart; update-primary-region
// swaps the roles; a CMK of CSMS secrets rotates and every secret version, replica copy and
// backup still reads. Shapes: huaweicloud-sdk-nodejs-v3 services/kms/v2/model/
// ShowKeyRotationStatusResponse.ts, UpdateKeyRotationIntervalRequestBody.ts,
// UpdatePrimaryRegionRequestBody.ts / UpdatePrimaryRegionResponse.ts; rotate-on-demand from
// Huawei's API reference (api-dew RotateOnDemand).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/e2e/import_helpers.h"
#include "tests/e2e/kms_expect.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

constexpr char kSouthProject[] = "6a0b1c2d3e4f40718293a4b5c6d7e8f9";
constexpr char kUnknownKey[] = "0d0466b0-e727-4d9c-b35d-f84bb474a37f";

const KmsClient& south() {
    static const KmsClient c(server().port(),
                             server().addCredential("demo-domain", kSouthProject, "cn-south-1"));
    return c;
}

const KmsClient& mallory() {
    static const KmsClient c(
        server().port(),
        server().addCredential("mallory-domain", "5e4d3c2b1a0940318293a4b5c6d7e8f9", "cn-north-4"));
    return c;
}

std::string replicate(const std::string& keyId, const std::string& alias) {
    south();  // the domain's project in cn-south-1 exists first
    const KmsClient c = demoClient();
    const std::string body = R"({"replica_region":"cn-south-1","replica_project_id":")" +
                             std::string(kSouthProject) + R"(","key_alias":")" + alias + "\"}";
    const auto r = httpRequest(
        c.port(), "POST", "/v2/" + c.credential().projectId + "/kms/keys/" + keyId + "/replicate",
        body, {{"X-Auth-Token", c.credential().token}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.str("key_id");
}

struct Sealed {
    std::string plain;
    std::string cipher;  // base64 (encrypt-data)
};

Sealed encrypt(const KmsClient& c, const std::string& keyId, const std::string& plain) {
    const auto e = c.call("encrypt-data", jsonBody({{"key_id", keyId}, {"plain_text", plain}}));
    EXPECT_EQ(e.status, 200) << e.body;
    return {plain, e.str("cipher_text")};
}

// The material version a ciphertext names (ciphertext.h: format 4, version after the key id).
std::uint32_t materialVersion(const std::string& cipherB64) {
    const hsm::Bytes b = unb64(cipherB64);
    EXPECT_GE(b.size(), 41u);
    if (b.size() < 41) return 0;
    EXPECT_EQ(b[0], 4) << "a new AES ciphertext is format 4";
    return (std::uint32_t{b[37]} << 24) | (std::uint32_t{b[38]} << 16) |
           (std::uint32_t{b[39]} << 8) | std::uint32_t{b[40]};
}

void expectDecrypts(const KmsClient& c, const std::vector<Sealed>& all, const std::string& keyId,
                    const std::string& where) {
    for (std::size_t i = 0; i < all.size(); ++i) {
        const auto d = c.call("decrypt-data", jsonBody({{"cipher_text", all[i].cipher}}));
        EXPECT_EQ(d.status, 200) << where << " ciphertext " << i << ": " << d.body;
        EXPECT_EQ(d.str("plain_text"), all[i].plain) << where << " ciphertext " << i;
        EXPECT_EQ(d.str("key_id"), keyId) << where << " ciphertext " << i;
    }
}

struct DataKey {
    std::string plainHex, cipherHex;
};

DataKey createDataKey(const KmsClient& c, const std::string& keyId) {
    const auto r =
        c.call("create-datakey", jsonBody({{"key_id", keyId}, {"datakey_length", "256"}}));
    EXPECT_EQ(r.status, 200) << r.body;
    return {r.str("plain_text"), r.str("cipher_text")};
}

void expectDataKeys(const KmsClient& c, const std::vector<DataKey>& all, const std::string& keyId,
                    const std::string& where) {
    for (std::size_t i = 0; i < all.size(); ++i) {
        const auto d = c.call("decrypt-datakey", jsonBody({{"key_id", keyId},
                                                           {"cipher_text", all[i].cipherHex},
                                                           {"datakey_cipher_length", "32"}}));
        EXPECT_EQ(d.status, 200) << where << " data key " << i << ": " << d.body;
        EXPECT_EQ(d.str("data_key"), all[i].plainHex) << where << " data key " << i;
    }
}

HttpResult rotate(const KmsClient& c, const std::string& keyId) {
    return c.call("rotate-on-demand", jsonBody({{"key_id", keyId}}));
}

HttpResult status(const KmsClient& c, const std::string& keyId) {
    return c.call("get-key-rotation-status", jsonBody({{"key_id", keyId}}));
}

std::int64_t rotations(const HttpResult& s) {
    return s.json ? s.json->getValue<Poco::Int64>("number_of_rotations") : -1;
}

TEST(KmsRotation, EveryVersionDecryptsOnThePrimaryAndOnReplicas) {
    const KmsClient c = demoClient();
    const std::string id = c.createKey("rot-main", "AES_256", "ENCRYPT_DECRYPT", "kms");
    std::vector<Sealed> sealed{encrypt(c, id, "before any rotation")};
    std::vector<DataKey> dataKeys{createDataKey(c, id)};
    EXPECT_EQ(materialVersion(sealed[0].cipher), 1u);
    EXPECT_EQ(rotations(status(c, id)), 0);

    const auto r1 = rotate(c, id);
    ASSERT_EQ(r1.status, 200) << r1.body;
    EXPECT_EQ(r1.str("key_id"), id);
    sealed.push_back(encrypt(c, id, "between the rotations"));
    dataKeys.push_back(createDataKey(c, id));
    EXPECT_EQ(materialVersion(sealed[1].cipher), 2u);

    // A replica made now receives version 1 as well as the current version 2.
    const std::string late = replicate(id, "rot-main-late");
    expectDecrypts(south(), sealed, late, "new replica");
    expectDataKeys(south(), dataKeys, late, "new replica");

    // This rotation reaches the existing replica in the same transaction.
    ASSERT_EQ(rotate(c, id).status, 200);
    sealed.push_back(encrypt(c, id, "after two rotations"));
    dataKeys.push_back(createDataKey(c, id));
    EXPECT_EQ(materialVersion(sealed[2].cipher), 3u);
    const Sealed onReplica = encrypt(south(), late, "made on the replica");
    EXPECT_EQ(materialVersion(onReplica.cipher), 3u) << "the replica's current version moved too";

    expectDecrypts(c, sealed, id, "primary");
    expectDataKeys(c, dataKeys, id, "primary");
    expectDecrypts(south(), sealed, late, "replica");
    expectDataKeys(south(), dataKeys, late, "replica");
    expectDecrypts(c, {onReplica}, id, "primary, the replica's ciphertext");

    for (const auto& [client, key] :
         {std::pair<const KmsClient*, std::string>{&c, id}, {&south(), late}}) {
        const auto s = status(*client, key);
        ASSERT_EQ(s.status, 200) << s.body;
        EXPECT_EQ(rotations(s), 2);
        EXPECT_FALSE(s.json->getValue<bool>("key_rotation_enabled"));
        EXPECT_EQ(s.json->getValue<Poco::Int64>("rotation_interval"), 365);
        const std::string last = s.str("last_rotation_time");
        ASSERT_FALSE(last.empty());
        EXPECT_LE(std::abs(std::stoll(last) - nowSeconds()), 120) << "seconds since the epoch";
    }

    // An altered version number is refused, not decrypted with another version.
    hsm::Bytes forged = unb64(sealed[2].cipher);
    forged[40] = 2;
    const auto f = c.call("decrypt-data", jsonBody({{"cipher_text", b64(forged)}}));
    expectKmsError(f, {400, "KMS.0308"}, "ciphertext moved to another version");
    forged[40] = 9;
    expectKmsError(c.call("decrypt-data", jsonBody({{"cipher_text", b64(forged)}})),
                   {400, "KMS.0308"}, "a version the key never had");
}

TEST(KmsRotation, RefusalsAndBadInput) {
    const KmsClient c = demoClient();
    const std::string aes = c.createKey("rot-refusals", "AES_256", "ENCRYPT_DECRYPT", "kms");
    const std::string rsa = c.createKey("rot-rsa", "RSA_2048", "ENCRYPT_DECRYPT", "kms");
    const std::string ec = c.createKey("rot-ec", "EC_P256", "SIGN_VERIFY", "kms");
    const std::string imported =
        importKey(c, "rot-imported", "AES_256", "ENCRYPT_DECRYPT", randomBytes(32), std::nullopt);
    const std::string replica = replicate(aes, "rot-refusals-replica");
    const std::string disabled = c.createKey("rot-disabled", "AES_256", "ENCRYPT_DECRYPT", "kms");
    ASSERT_EQ(c.call("disable-key", jsonBody({{"key_id", disabled}})).status, 200);

    struct Case {
        const char* what;
        const KmsClient* client;
        std::string action;
        std::string body;
        KmsExpect expect;
    };
    const auto key = [](const std::string& id) { return jsonBody({{"key_id", id}}); };
    const auto interval = [](const std::string& id, const std::string& v) {
        return R"({"key_id":")" + id + R"(","rotation_interval":)" + v + "}";
    };
    const std::vector<Case> cases = {
        {"imported key, rotate", &c, "rotate-on-demand", key(imported), {400, "KMS.0312"}},
        {"imported key, enable", &c, "enable-key-rotation", key(imported), {400, "KMS.0312"}},
        {"RSA key, rotate", &c, "rotate-on-demand", key(rsa), {400, "KMS.0308"}},
        {"RSA key, enable", &c, "enable-key-rotation", key(rsa), {400, "KMS.0308"}},
        {"EC key, rotate", &c, "rotate-on-demand", key(ec), {400, "KMS.0308"}},
        {"replica, rotate", &south(), "rotate-on-demand", key(replica), {400, "KMS.0310"}},
        {"replica, enable", &south(), "enable-key-rotation", key(replica), {400, "KMS.0310"}},
        {"disabled key, rotate", &c, "rotate-on-demand", key(disabled), {400, "KMS.0209"}},
        {"interval 29", &c, "update-key-rotation-interval", interval(aes, "29"), {400, "KMS.0308"}},
        {"interval 366",
         &c,
         "update-key-rotation-interval",
         interval(aes, "366"),
         {400, "KMS.0308"}},
        {"interval 0", &c, "update-key-rotation-interval", interval(aes, "0"), {400, "KMS.0308"}},
        {"interval not a number",
         &c,
         "update-key-rotation-interval",
         interval(aes, "\"x\""),
         {400, "KMS.0308"}},
        {"interval a fraction",
         &c,
         "update-key-rotation-interval",
         interval(aes, "30.5"),
         {400, "KMS.0308"}},
        {"interval missing", &c, "update-key-rotation-interval", key(aes), {400, "KMS.0204"}},
        {"key_id missing", &c, "rotate-on-demand", "{}", {400, "KMS.0204"}},
        {"key_id malformed", &c, "get-key-rotation-status", key("not-a-key"), {400, "KMS.0205"}},
        {"body not JSON", &c, "enable-key-rotation", "{", {400, "KMS.0202"}},
        {"unknown key, status", &c, "get-key-rotation-status", key(kUnknownKey), {404, "KMS.0207"}},
        {"unknown key, rotate", &c, "rotate-on-demand", key(kUnknownKey), {404, "KMS.0207"}},
        {"unknown key, enable", &c, "enable-key-rotation", key(kUnknownKey), {404, "KMS.0207"}},
        {"unknown key, disable", &c, "disable-key-rotation", key(kUnknownKey), {404, "KMS.0207"}},
        {"unknown key, interval",
         &c,
         "update-key-rotation-interval",
         interval(kUnknownKey, "30"),
         {404, "KMS.0207"}},
        // Another domain's credential: the key does not exist for it.
        {"other domain, status",
         &mallory(),
         "get-key-rotation-status",
         key(aes),
         {404, "KMS.0207"}},
        {"other domain, rotate", &mallory(), "rotate-on-demand", key(aes), {404, "KMS.0207"}},
        {"other domain, enable", &mallory(), "enable-key-rotation", key(aes), {404, "KMS.0207"}},
        {"other domain, interval",
         &mallory(),
         "update-key-rotation-interval",
         interval(aes, "30"),
         {404, "KMS.0207"}},
    };
    for (const Case& t : cases) {
        expectKmsError(t.client->call(t.action, t.body), t.expect, t.what);
    }
    // Another domain's credential in this domain's project: 403 before any key is looked at.
    expectKmsError(mallory().callIn(kDemoProject, "rotate-on-demand", key(aes)), {403, "KMS.0307"},
                   "other domain in our project");
    expectKmsError(mallory().callIn(kDemoProject, "get-key-rotation-status", key(aes)),
                   {403, "KMS.0307"}, "other domain reads status in our project");

    // None of that changed anything; the imported and RSA keys still report no rotation.
    for (const std::string& id : {aes, rsa, imported}) {
        const auto s = status(c, id);
        ASSERT_EQ(s.status, 200) << s.body;
        EXPECT_EQ(rotations(s), 0) << id;
        EXPECT_FALSE(s.json->getValue<bool>("key_rotation_enabled")) << id;
        EXPECT_EQ(s.str("last_rotation_time"), "");
    }
    // The edges of Huawei's range are accepted, and the status shows the interval.
    for (const std::string v : {"30", "365", "\"90\""}) {
        const auto r = c.call("update-key-rotation-interval", interval(aes, v));
        EXPECT_EQ(r.status, 200) << v << ": " << r.body;
    }
    EXPECT_EQ(status(c, aes).json->getValue<Poco::Int64>("rotation_interval"), 90);
    EXPECT_EQ(status(south(), replica).json->getValue<Poco::Int64>("rotation_interval"), 90)
        << "the replica follows its primary's policy";
}

// Format 1 (written before rotation existed) still decrypts as material version 1, also
// after the key has been rotated: made here with OpenSSL from the imported material, byte
// for byte as keyportd wrote it then (format | key id | IV | GCM || tag, AAD format | key id).
TEST(KmsRotation, FormatOneCiphertextsStillDecrypt) {
    const KmsClient c = demoClient();
    const hsm::Bytes material = randomBytes(32);
    const std::string id =
        importKey(c, "rot-format-1", "AES_256", "ENCRYPT_DECRYPT", material, std::nullopt);
    hsm::Bytes head{1};
    head.insert(head.end(), id.begin(), id.end());
    const hsm::Bytes iv = randomBytes(12);
    const std::string text = "written by an older keyportd";
    hsm::Bytes v1 = head;
    v1.insert(v1.end(), iv.begin(), iv.end());
    const hsm::Bytes body = aesGcmEncrypt(material, iv, head, hsm::Bytes(text.begin(), text.end()));
    v1.insert(v1.end(), body.begin(), body.end());
    expectDecrypts(c, {{text, b64(v1)}}, id, "format 1");
    // The same bytes under format 4 naming version 1 are another ciphertext: refused.
    hsm::Bytes relabelled{4};
    relabelled.insert(relabelled.end(), id.begin(), id.end());
    const hsm::Bytes version1{0, 0, 0, 1};
    relabelled.insert(relabelled.end(), version1.begin(), version1.end());
    relabelled.insert(relabelled.end(), v1.begin() + 37, v1.end());
    expectKmsError(c.call("decrypt-data", jsonBody({{"cipher_text", b64(relabelled)}})),
                   {400, "KMS.0308"}, "format 1 relabelled as format 4");
}

// CSMS calls by a KMS client's credential. Shapes: huaweicloud-sdk-nodejs-v3 services/csms/
// v1/model/CreateSecretRequestBody.ts (kms_key_id), CreateSecretVersionRequestBody.ts,
// ShowSecretVersionResponse.ts (version.secret_string), DownloadSecretBlobResponse.ts
// (secret_blob), RestoreSecretRequest.ts.
HttpResult csms(const KmsClient& c, const std::string& method, const std::string& path,
                const std::string& body = {}) {
    return httpRequest(c.port(), method, "/v1/" + c.credential().projectId + "/" + path, body,
                       {{"X-Auth-Token", c.credential().token}});
}

// Creates the secret (under `cmk`, or csms/default when empty); returns its CMK's id.
std::string createSecret(const KmsClient& c, const std::string& name, const std::string& value,
                         const std::string& cmk = {}) {
    const std::string body = R"({"name":")" + name + R"(","secret_string":")" + value + "\"" +
                             (cmk.empty() ? "" : R"(,"kms_key_id":")" + cmk + "\"") + "}";
    const auto r = csms(c, "POST", "secrets", body);
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return {};
    return r.json->getObject("secret")->getValue<std::string>("kms_key_id");
}

void putSecretVersion(const KmsClient& c, const std::string& name, const std::string& value) {
    const auto r =
        csms(c, "POST", "secrets/" + name + "/versions", R"({"secret_string":")" + value + "\"}");
    EXPECT_EQ(r.status, 200) << "a version of " << name << ": " << r.body;
}

// Version v1, v2, ... of the secret reads back values[0], values[1], ...; latest the last.
void expectSecretReads(const KmsClient& c, const std::string& name,
                       const std::vector<std::string>& values, const std::string& where) {
    for (std::size_t i = 0; i <= values.size(); ++i) {
        const std::string version = i < values.size() ? "v" + std::to_string(i + 1) : "latest";
        const auto r = csms(c, "GET", "secrets/" + name + "/versions/" + version);
        EXPECT_EQ(r.status, 200) << where << ", " << name << " " << version << ": " << r.body;
        if (r.status != 200) continue;
        EXPECT_EQ(r.json->getObject("version")->getValue<std::string>("secret_string"),
                  i < values.size() ? values[i] : values.back())
            << where << ", " << name << " " << version;
    }
}

// A CMK that protects CSMS secret versions rotates like any other key: each version records
// the material version that wrapped its data key, so versions made before, between and
// after rotations all read back, under a CMK given as kms_key_id and under csms/default.
TEST(KmsRotation, ACsmsCmkRotatesAndEverySecretVersionStillReads) {
    const KmsClient c = demoClient();
    const std::string cmk = c.createKey("rot-cmk", "AES_256", "ENCRYPT_DECRYPT", "kms");
    std::vector<std::string> values{"before any rotation"};
    ASSERT_EQ(createSecret(c, "rot-protected", values.back(), cmk), cmk);
    const Sealed kmsBefore = encrypt(c, cmk, "a KMS ciphertext of the same CMK");
    ASSERT_EQ(rotate(c, cmk).status, 200);
    values.push_back("between the rotations");
    putSecretVersion(c, "rot-protected", values.back());
    ASSERT_EQ(rotate(c, cmk).status, 200);
    values.push_back("after both rotations");
    putSecretVersion(c, "rot-protected", values.back());
    EXPECT_EQ(rotations(status(c, cmk)), 2);
    expectSecretReads(c, "rot-protected", values, "kms_key_id CMK rotated twice");
    expectDecrypts(c, {kmsBefore}, cmk, "the CMK's own ciphertext");
    // A secret whose first version is wrapped under material version 3.
    ASSERT_EQ(createSecret(c, "rot-late", "made at version 3", cmk), cmk);
    expectSecretReads(c, "rot-late", {"made at version 3"}, "secret made after the rotations");
    // Automatic rotation can be switched on for it as well.
    EXPECT_EQ(c.call("enable-key-rotation", jsonBody({{"key_id", cmk}})).status, 200);
    EXPECT_EQ(c.call("disable-key-rotation", jsonBody({{"key_id", cmk}})).status, 200);
    // Another domain can neither rotate it nor read a version.
    expectKmsError(rotate(mallory(), cmk), {404, "KMS.0207"}, "another domain rotates the CMK");
    EXPECT_EQ(rotations(status(c, cmk)), 2);
    const auto foreign = httpRequest(
        c.port(), "GET", "/v1/" + c.credential().projectId + "/secrets/rot-protected/versions/v1",
        "", {{"X-Auth-Token", mallory().credential().token}});
    EXPECT_EQ(foreign.status, 403) << foreign.body;
    EXPECT_EQ(foreign.body.find("before any rotation"), std::string::npos);

    // csms/default (made on the first secret without kms_key_id) rotates on demand too.
    std::vector<std::string> byDefault{"default, before"};
    const std::string def = createSecret(c, "rot-default", byDefault.back());
    ASSERT_FALSE(def.empty());
    const auto alias = c.call("describe-key", jsonBody({{"key_id", def}}));
    ASSERT_EQ(alias.status, 200) << alias.body;
    EXPECT_EQ(alias.json->getObject("key_info")->getValue<std::string>("key_alias"),
              "csms/default");
    const std::int64_t defaultRotations = rotations(status(c, def));
    ASSERT_EQ(rotate(c, def).status, 200);
    byDefault.push_back("default, between");
    putSecretVersion(c, "rot-default", byDefault.back());
    ASSERT_EQ(rotate(c, def).status, 200);
    byDefault.push_back("default, after");
    putSecretVersion(c, "rot-default", byDefault.back());
    EXPECT_EQ(rotations(status(c, def)), defaultRotations + 2);
    expectSecretReads(c, "rot-default", byDefault, "csms/default rotated twice");
}

// A secret replica's data keys are wrapped under the replica's CMK at the version current
// when each copy was made: it reads every version after the CMKs rotate, whether its CMK is
// a KMS replica of the primary's (rotated with it) or the target region's csms/default.
TEST(KmsRotation, ASecretReplicaReadsEveryVersionAfterItsCmksRotate) {
    const KmsClient c = demoClient();
    const std::string cmk = c.createKey("rot-rep-cmk", "AES_256", "ENCRYPT_DECRYPT", "kms");
    const std::string cmkSouth = replicate(cmk, "rot-rep-cmk-south");
    ASSERT_FALSE(cmkSouth.empty());
    for (const bool underKmsReplica : {true, false}) {
        const std::string name = underKmsReplica ? "rot-rep-kms" : "rot-rep-default";
        const std::string where =
            underKmsReplica ? "replica under the CMK's KMS replica" : "replica under csms/default";
        std::vector<std::string> values{"one, before"};
        ASSERT_EQ(createSecret(c, name, values.back(), cmk), cmk);
        values.push_back("two, before");
        putSecretVersion(c, name, values.back());
        const std::string body = underKmsReplica
                                     ? R"({"region":"cn-south-1","kms_key_id":")" + cmkSouth + "\"}"
                                     : std::string(R"({"region":"cn-south-1"})");
        const auto rep = csms(c, "POST", "secrets/" + name + "/replicas", body);
        ASSERT_EQ(rep.status, 200) << rep.body;
        const auto shown = csms(south(), "GET", "secrets/" + name);
        ASSERT_EQ(shown.status, 200) << shown.body;
        const std::string replicaCmk =
            shown.json->getObject("secret")->getValue<std::string>("kms_key_id");
        if (underKmsReplica) {
            EXPECT_EQ(replicaCmk, cmkSouth);
        }
        const std::int64_t southBefore = rotations(status(south(), replicaCmk));

        ASSERT_EQ(rotate(c, cmk).status, 200);
        expectSecretReads(south(), name, values, where + ", primary CMK rotated once");
        values.push_back("three, between");
        putSecretVersion(c, name, values.back());
        // The replica's own CMK rotates too: with the primary's, or on its own.
        if (!underKmsReplica) {
            ASSERT_EQ(rotate(south(), replicaCmk).status, 200);
        }
        ASSERT_EQ(rotate(c, cmk).status, 200);
        if (!underKmsReplica) {
            ASSERT_EQ(rotate(south(), replicaCmk).status, 200);
        }
        values.push_back("four, after");
        putSecretVersion(c, name, values.back());
        EXPECT_EQ(rotations(status(south(), replicaCmk)), southBefore + 2) << where;
        expectSecretReads(c, name, values, where + ", primary");
        expectSecretReads(south(), name, values, where);
    }
}

// A backup names no CMK version: each version's data key travels as a transfer blob and a
// restore wraps it under the target CMK's current version. A backup made before a rotation
// restores after it, one made after a rotation carries the versions wrapped before it, and
// the restored secret reads on after a further rotation.
TEST(KmsRotation, ABackupMadeBeforeARotationRestoresAfterIt) {
    const KmsClient c = demoClient();
    const auto backup = [&](const std::string& name) {
        const auto r = csms(c, "POST", "secrets/" + name + "/backup");
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? r.str("secret_blob") : std::string();
    };
    const auto restore = [&](const std::string& name, const std::string& blob) {
        ASSERT_EQ(csms(c, "DELETE", "secrets/" + name).status, 204);
        const auto r = csms(c, "POST", "secrets/restore", R"({"secret_blob":")" + blob + "\"}");
        ASSERT_EQ(r.status, 200) << r.body;
    };
    std::vector<std::string> values{"backed up, one", "backed up, two"};
    const std::string def = createSecret(c, "rot-backup", values[0]);
    ASSERT_FALSE(def.empty());
    putSecretVersion(c, "rot-backup", values[1]);
    const std::string before = backup("rot-backup");
    ASSERT_FALSE(before.empty());

    ASSERT_EQ(rotate(c, def).status, 200);
    restore("rot-backup", before);
    expectSecretReads(c, "rot-backup", values, "backup made before the rotation, restored");

    values.push_back("made after the rotation");
    putSecretVersion(c, "rot-backup", values.back());
    ASSERT_EQ(rotate(c, def).status, 200);
    const std::string after = backup("rot-backup");
    ASSERT_FALSE(after.empty());
    restore("rot-backup", after);
    expectSecretReads(c, "rot-backup", values, "backup made after two rotations, restored");
    ASSERT_EQ(rotate(c, def).status, 200);
    expectSecretReads(c, "rot-backup", values, "restored secret, CMK rotated again");
}

TEST(KmsRotation, AutomaticRotationFiresWithoutRestart) {
    const KmsClient c = demoClient();
    const std::string id = c.createKey("rot-auto", "AES_256", "ENCRYPT_DECRYPT", "kms");
    const Sealed before = encrypt(c, id, "made before the automatic rotation");
    ASSERT_EQ(c.call("enable-key-rotation", jsonBody({{"key_id", id}})).status, 200);
    const auto interval = c.call("update-key-rotation-interval",
                                 R"({"key_id":")" + id + R"(","rotation_interval":30})");
    ASSERT_EQ(interval.status, 200) << interval.body;
    auto s = status(c, id);
    EXPECT_TRUE(s.json->getValue<bool>("key_rotation_enabled"));
    EXPECT_EQ(s.json->getValue<Poco::Int64>("rotation_interval"), 30);
    EXPECT_EQ(rotations(s), 0) << "an interval has not passed yet";
    const auto d = c.call("describe-key", jsonBody({{"key_id", id}}));
    EXPECT_EQ(d.json->getObject("key_info")->getValue<std::string>("key_rotation_enabled"), "true");

    // This server's rotation day is one second: 30 "days" pass in 30 s, without a restart.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(75);
    while (rotations(s) < 1 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        s = status(c, id);
    }
    ASSERT_GE(rotations(s), 1) << s.body;
    EXPECT_FALSE(s.str("last_rotation_time").empty());
    ASSERT_EQ(c.call("disable-key-rotation", jsonBody({{"key_id", id}})).status, 200);
    const Sealed after = encrypt(c, id, "made after it");
    EXPECT_GE(materialVersion(after.cipher), 2u);
    expectDecrypts(c, {before, after}, id, "after automatic rotation");
    EXPECT_FALSE(status(c, id).json->getValue<bool>("key_rotation_enabled"));
}

TEST(KmsRotation, UpdatePrimaryRegionSwapsTheRoles) {
    const KmsClient c = demoClient();
    const std::string id = c.createKey("rot-swap", "AES_256", "ENCRYPT_DECRYPT", "kms");
    const Sealed v1 = encrypt(c, id, "made by the first primary");
    const std::string replica = replicate(id, "rot-swap-replica");
    const auto put = [&](const KmsClient& who, const std::string& key, const std::string& body) {
        return httpRequest(
            who.port(), "PUT",
            "/v2/" + who.credential().projectId + "/kms/keys/" + key + "/update-primary-region",
            body, {{"X-Auth-Token", who.credential().token}});
    };
    const auto noReplica = put(c, id, R"({"primary_region":"eu-west-0"})");
    expectKmsError(noReplica, {400, "KMS.0308"}, "a region without a replica");
    EXPECT_NE(noReplica.body.find("primary_region"), std::string::npos) << noReplica.body;
    expectKmsError(put(c, id, R"({"primary_region":7})"), {400, "KMS.0308"},
                   "primary_region not a string");
    expectKmsError(put(c, kUnknownKey, R"({"primary_region":"cn-south-1"})"), {404, "KMS.0207"},
                   "unknown key");
    expectKmsError(put(c, id, "{}"), {400, "KMS.0204"}, "primary_region missing");
    expectKmsError(put(mallory(), id, R"({"primary_region":"cn-south-1"})"), {404, "KMS.0207"},
                   "another domain");
    const auto r = put(c, id, R"({"primary_region":"cn-south-1"})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.str("key_id"), replica);
    EXPECT_EQ(r.str("primary_region"), "cn-south-1");
    const auto info = [&](const KmsClient& who, const std::string& key) {
        return who.call("describe-key", jsonBody({{"key_id", key}})).json->getObject("key_info");
    };
    EXPECT_EQ(info(south(), replica)->getValue<std::string>("replica_role"), "PRIMARY");
    EXPECT_EQ(info(c, id)->getValue<std::string>("replica_role"), "REPLICA");
    // Rotation now belongs to the new primary; the old one refuses and follows.
    expectKmsError(rotate(c, id), {400, "KMS.0310"}, "the old primary is a replica now");
    ASSERT_EQ(rotate(south(), replica).status, 200);
    const Sealed v2 = encrypt(c, id, "made by the old primary after the swap");
    EXPECT_EQ(materialVersion(v2.cipher), 2u);
    expectDecrypts(c, {v1, v2}, id, "old primary");
    expectDecrypts(south(), {v1, v2}, replica, "new primary");
}

}  // namespace
}  // namespace keyport::test

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    // A rotation-interval day of one second, so that automatic rotation is testable.
    keyport::test::setServerConfig("keys.rotation_day_seconds = 1");
    return RUN_ALL_TESTS();
}
