// Exoscale's KMS routes as egoscale v3 and the exo CLI read them, against a real keyportd
// in the Exoscale zones ch-gva-2 and de-fra-1: every answer is decoded strictly against the
// spec (tests/e2e/exoscale_schema.h), rotation and re-encrypt on the material versions,
// revision and status-since, replicas, the zone list, the spec's error titles, bad input and
// another domain's credential on every new route.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <thread>

#include "service/api/exoscale/exo_auth.h"
#include "tests/e2e/exoscale_schema.h"
#include "tests/e2e/import_helpers.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

namespace schema = exoscale_schema;

constexpr char kFraProject[] = "2a1b2c3d4e5f40718293a4b5c6d7e8f9";
constexpr char kGva[] = "ch-gva-2";
constexpr char kFra[] = "de-fra-1";
// keys.rotation_day_seconds of this binary's server (see main).
constexpr std::int64_t kDaySeconds = 1;

void ensureFraProject() {
    static const Credential c = server().addCredential("demo-domain", kFraProject, kFra);
    (void)c;
}

// Signs as egoscale does (EXO2-HMAC-SHA256), for the zone named in the Host header.
HttpResult exo(const std::string& method, const std::string& path, const std::string& body = {},
               const std::string& zone = kGva, const Credential& cred = KeyportServer::demo()) {
    api::Request r;
    r.method = method;
    r.path = path;
    r.body = body;
    api::exoscale::sign(r, cred.accessKey, cred.secretKey, nowSeconds() + 600);
    r.headers.emplace_back("Host", "api-" + zone + ".keyport.test");
    return httpRequest(server().port(), method, path, body, r.headers);
}

void expectDecodes(const HttpResult& r, const schema::Schema& s, const std::string& what) {
    ASSERT_EQ(r.status, 200) << what << ": " << r.body;
    ASSERT_TRUE(r.json) << what << ": " << r.body;
    for (const auto& v : schema::violations(r.json, s)) ADD_FAILURE() << what << ": " << v;
}

struct Expect {
    int status;
    std::string title;
};

void expectProblem(const HttpResult& r, const Expect& e, const std::string& what) {
    EXPECT_EQ(r.status, e.status) << what << ": " << r.body;
    ASSERT_TRUE(r.json) << what << ": " << r.body;
    EXPECT_EQ(r.str("title"), e.title) << what << ": " << r.body;
    for (const auto& v : schema::violations(r.json, schema::kErrorResponse))
        ADD_FAILURE() << what << ": " << v;
    // Nothing of a key leaks into an error.
    EXPECT_FALSE(r.json->has("id") || r.json->has("name") || r.json->has("rotation")) << what;
}

std::string createKey(const std::string& name, bool multiZone = false,
                      const std::string& zone = kGva) {
    const auto r = exo(
        "POST", "/v2/kms-key",
        R"({"name":")" + name + R"(","multi-zone":)" + (multiZone ? "true" : "false") + "}", zone);
    expectDecodes(r, schema::kCreateKeyResponse, "create " + name);
    // The answer is the key as created: its revision and status date from its creation
    // (the Unix epoch here once, since the answer was built before the row was read back).
    if (r.json && r.json->has("revision")) {
        EXPECT_EQ(r.json->getObject("revision")->getValue<std::string>("at"),
                  r.json->getValue<std::string>("created-at"))
            << r.body;
        EXPECT_EQ(r.json->getValue<std::string>("status-since"),
                  r.json->getValue<std::string>("created-at"));
    }
    return r.str("id");
}

Poco::JSON::Object::Ptr getKey(const std::string& id, const std::string& zone = kGva) {
    const auto r = exo("GET", "/v2/kms-key/" + id, "", zone);
    expectDecodes(r, schema::kGetKeyResponse, "get " + id);
    return r.json;
}

std::int64_t seq(const Poco::JSON::Object::Ptr& key) {
    return key->getObject("revision")->getValue<std::int64_t>("seq");
}

std::int64_t ms(const Poco::JSON::Object::Ptr& o, const std::string& member) {
    return schema::dateTimeMs(o->getValue<std::string>(member));
}

HttpResult poll(const std::string& opId, const std::string& zone = kGva) {
    HttpResult r;
    for (int i = 0; i < 200; ++i) {
        r = exo("GET", "/v2/operation/" + opId, "", zone);
        if (r.status != 200 || r.str("state") != "pending") return r;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return r;
}

std::string encrypt(const std::string& id, const std::string& text,
                    const std::string& context = "") {
    const auto r =
        exo("POST", "/v2/kms-key/" + id + "/encrypt",
            R"({"plaintext":")" + b64(bytes(text)) + "\"" +
                (context.empty() ? "" : R"(,"encryption-context":")" + b64(bytes(context)) + "\"") +
                "}");
    expectDecodes(r, schema::kEncryptResponse, "encrypt");
    return r.str("ciphertext");
}

std::string decrypt(const std::string& id, const std::string& ct, const std::string& context = "",
                    const std::string& zone = kGva) {
    const auto r =
        exo("POST", "/v2/kms-key/" + id + "/decrypt",
            R"({"ciphertext":")" + ct + "\"" +
                (context.empty() ? "" : R"(,"encryption-context":")" + b64(bytes(context)) + "\"") +
                "}",
            zone);
    expectDecodes(r, schema::kDecryptResponse, "decrypt");
    const auto plain = unb64(r.str("plaintext"));
    return std::string(plain.begin(), plain.end());
}

std::string reEncryptBody(const std::string& source, const std::string& ct,
                          const std::string& destination, const std::string& sourceContext = "",
                          const std::string& destinationContext = "") {
    std::string b = R"({"source":{"key":")" + source + R"(","ciphertext":")" + ct + "\"";
    if (!sourceContext.empty())
        b += R"(,"encryption-context":")" + b64(bytes(sourceContext)) + "\"";
    b += R"(},"destination":{"key":")" + destination + "\"";
    if (!destinationContext.empty())
        b += R"(,"encryption-context":")" + b64(bytes(destinationContext)) + "\"";
    return b + "}}";
}

Poco::JSON::Object::Ptr parseObject(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

// The decoder refuses what egoscale's Go structs refuse (so the checks below can fail): the
// seed's next-at "", a status outside the enum, a missing required member, a seq sent as a
// string, a date-time without a zone.
TEST(ExoscaleRoutes, DecoderRefusesWhatEgoscaleRefuses) {
    const std::string good =
        R"({"id":"6f0d7f4e-1f0a-4c1e-9f3a-2a1b2c3d4e5f","name":"k","usage":"encrypt-decrypt",)"
        R"("source":"exoscale-kms","status":"enabled","status-since":"2026-12-01T14:27:28.123Z",)"
        R"("multi-zone":false,"origin-zone":"ch-gva-2","created-at":"2026-12-01T14:27:28Z",)"
        R"("revision":{"at":"2026-12-01T14:27:28+01:00","seq":1},)"
        R"("material":{"version":1,"created-at":"2026-12-01T14:27:28Z","automatic":false},)"
        R"("rotation":{"manual-count":0,"automatic":false,"rotation-period":365,)"
        R"("next-at":"0001-01-01T00:00:00Z"}})";
    EXPECT_TRUE(schema::violations(parseObject(good), schema::kGetKeyResponse).empty());
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"next-at empty", R"("next-at":"0001-01-01T00:00:00Z")"},
        {"status outside the enum", R"("status":"enabled")"},
        {"revision missing", R"("revision":{"at":"2026-12-01T14:27:28+01:00","seq":1},)"},
        {"seq a string", R"("seq":1)"},
        {"date-time without a zone", R"("created-at":"2026-12-01T14:27:28Z")"},
        {"id not a UUID", R"("id":"6f0d7f4e-1f0a-4c1e-9f3a-2a1b2c3d4e5f")"},
        {"month 13", R"("status-since":"2026-12-01T14:27:28.123Z")"},
    };
    const std::vector<std::string> replacement = {
        R"("next-at":"")",
        R"("status":"active")",
        "",
        R"("seq":"1")",
        R"("created-at":"2026-12-01T14:27:28")",
        R"("id":"k-1")",
        R"("status-since":"2026-13-01T14:27:28.123Z")",
    };
    for (std::size_t i = 0; i < bad.size(); ++i) {
        std::string text = good;
        const auto at = text.find(bad[i].second);
        ASSERT_NE(at, std::string::npos) << bad[i].first;
        text.replace(at, bad[i].second.size(), replacement[i]);
        EXPECT_FALSE(schema::violations(parseObject(text), schema::kGetKeyResponse).empty())
            << bad[i].first;
    }
}

// list-zones: open, the configured Exoscale zones, endpoints leading back to Keyport when
// reached through a zone-shaped host (the exo CLI then talks to the api-endpoint).
TEST(ExoscaleRoutes, ZoneListServesTheCli) {
    const std::string host = "api-ch-gva-2.keyport.test:" + std::to_string(server().port());
    auto r = httpRequest(server().port(), "GET", "/v2/zone", "", {{"Host", host}});
    expectDecodes(r, schema::kListZonesResponse, "list-zones without a credential");
    const auto zones = r.json->getArray("zones");
    ASSERT_EQ(zones->size(), 2u) << r.body;  // cn-north-4 is not an Exoscale zone
    EXPECT_EQ(zones->getObject(0)->getValue<std::string>("name"), kGva);
    EXPECT_EQ(zones->getObject(1)->getValue<std::string>("name"), kFra);
    EXPECT_EQ(zones->getObject(1)->getValue<std::string>("api-endpoint"),
              "http://api-de-fra-1.keyport.test:" + std::to_string(server().port()) + "/v2");
    EXPECT_EQ(zones->getObject(1)->getValue<std::string>("sos-endpoint"),
              "https://sos-de-fra-1.exo.io");
    // Not through a zone host: the vendor's own endpoints.
    r = httpRequest(server().port(), "GET", "/v2/zone", "", {});
    expectDecodes(r, schema::kListZonesResponse, "list-zones by address");
    // Reached by address, every zone's endpoint is that address: the CLI's next requests
    // (signed with the user's credential) must come back here, never go to the vendor.
    EXPECT_EQ(r.json->getArray("zones")->getObject(0)->getValue<std::string>("api-endpoint"),
              "http://127.0.0.1:" + std::to_string(server().port()) + "/v2");
    // Reached as the vendor's own name (DNS pointing at Keyport), the vendor's endpoints.
    r = httpRequest(server().port(), "GET", "/v2/zone", "",
                    {{"Host", "api-ch-gva-2.exoscale.com"}});
    EXPECT_EQ(r.json->getArray("zones")->getObject(1)->getValue<std::string>("api-endpoint"),
              "https://api-de-fra-1.exoscale.com/v2");
    // Signed, as egoscale sends it: the same.
    expectDecodes(exo("GET", "/v2/zone"), schema::kListZonesResponse, "list-zones signed");
    // Exoscale-shaped 404/405 under /v2/zone.
    expectProblem(exo("POST", "/v2/zone"), {405, "Method Not Allowed"}, "POST /v2/zone");
    expectProblem(exo("GET", "/v2/zone/ch-gva-2"), {404, "Not Found"}, "GET /v2/zone/x");
}

TEST(ExoscaleRoutes, KeyObjectsDecodeStrictly) {
    const std::string id = createKey("routes-strict");
    const auto k = getKey(id);
    const auto rotation = k->getObject("rotation");
    EXPECT_FALSE(rotation->getValue<bool>("automatic"));
    EXPECT_EQ(rotation->getValue<std::int64_t>("manual-count"), 0);
    EXPECT_EQ(rotation->getValue<std::int64_t>("rotation-period"), 365);
    // Automatic rotation off: the Go zero time (see exo_key_json.cpp), never "".
    EXPECT_EQ(rotation->getValue<std::string>("next-at"), "0001-01-01T00:00:00Z");
    const auto material = k->getObject("material");
    EXPECT_EQ(material->getValue<std::int64_t>("version"), 1);
    EXPECT_FALSE(material->getValue<bool>("automatic"));
    EXPECT_EQ(material->getValue<std::string>("created-at"),
              k->getValue<std::string>("created-at"));
    EXPECT_EQ(k->getValue<std::string>("status-since"), k->getValue<std::string>("created-at"));
    EXPECT_EQ(seq(k), 1);
    EXPECT_EQ(k->getObject("revision")->getValue<std::string>("at"),
              k->getValue<std::string>("created-at"));
    EXPECT_EQ(k->getValue<std::string>("origin-zone"), kGva);
    EXPECT_FALSE(k->has("replicas-status"));  // no replicas
    EXPECT_NE(k->getValue<std::string>("created-at").back(), 'z');
    EXPECT_EQ(k->getValue<std::string>("created-at").back(), 'Z');

    const auto list = exo("GET", "/v2/kms-key");
    expectDecodes(list, schema::kListKeysResponse, "list-kms-keys");
    EXPECT_NE(list.body.find(id), std::string::npos);
}

// revision.seq advances on every change of the key, revision.at with it; status-since moves
// when (and only when) the status changes.
TEST(ExoscaleRoutes, RevisionAdvancesOnEveryChange) {
    ensureFraProject();
    const std::string id = createKey("routes-revision", true);
    auto before = getKey(id);
    const auto step = [&](const std::string& what, const std::string& action,
                          const std::string& body, const schema::Schema& answer,
                          bool statusChanges) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        const auto r = exo("POST", "/v2/kms-key/" + id + "/" + action, body);
        expectDecodes(r, answer, what);
        // replicate answers before the replica exists: the primary changes when it does.
        if (action == "replicate") {
            EXPECT_EQ(poll(r.str("id")).str("state"), "success");
        }
        const auto after = getKey(id);
        EXPECT_GT(seq(after), seq(before)) << what;
        EXPECT_GT(ms(after->getObject("revision"), "at"), ms(before->getObject("revision"), "at"))
            << what;
        if (statusChanges) {
            EXPECT_GT(ms(after, "status-since"), ms(before, "status-since")) << what;
        } else {
            EXPECT_EQ(after->getValue<std::string>("status-since"),
                      before->getValue<std::string>("status-since"))
                << what;
        }
        before = after;
        return r;
    };
    step("disable", "disable", "", schema::kSuccessResponse, true);
    step("enable", "enable", "", schema::kSuccessResponse, true);
    const auto scheduled = step("schedule-deletion", "schedule-deletion", R"({"delay-days":7})",
                                schema::kScheduleDeletionResponse, true);
    const std::int64_t deleteAt = schema::dateTimeMs(scheduled.str("delete-at"));
    EXPECT_NEAR(static_cast<double>(deleteAt - nowSeconds() * 1000), 7.0 * 86400000, 120000.0);
    EXPECT_EQ(before->getValue<std::string>("delete-at"), scheduled.str("delete-at"));
    step("cancel-deletion", "cancel-deletion", "", schema::kSuccessResponse, true);
    EXPECT_FALSE(before->has("delete-at"));
    if (before->getValue<std::string>("status") != "enabled")
        step("enable after cancel", "enable", "", schema::kSuccessResponse, true);
    step("enable-key-rotation", "enable-key-rotation", "{}", schema::kRotationResponse, false);
    step("disable-key-rotation", "disable-key-rotation", "", schema::kRotationResponse, false);
    step("rotate", "rotate", "", schema::kRotationResponse, false);
    step("replicate", "replicate", R"({"zone":"de-fra-1"})", schema::kSuccessResponse, false);
}

TEST(ExoscaleRoutes, RotateListEnableDisable) {
    const std::string id = createKey("routes-rotation");
    const std::string oldCt = encrypt(id, "before rotation", "ctx-1");

    auto r = exo("GET", "/v2/kms-key/" + id + "/list-key-rotations");
    expectDecodes(r, schema::kListRotationsResponse, "list-key-rotations, new key");
    ASSERT_EQ(r.json->getArray("rotations")->size(), 1u) << r.body;

    r = exo("POST", "/v2/kms-key/" + id + "/rotate");
    expectDecodes(r, schema::kRotationResponse, "rotate");
    EXPECT_EQ(r.json->getObject("rotation")->getValue<std::int64_t>("manual-count"), 1);
    auto k = getKey(id);
    EXPECT_EQ(k->getObject("material")->getValue<std::int64_t>("version"), 2);
    EXPECT_FALSE(k->getObject("material")->getValue<bool>("automatic"));
    EXPECT_GE(ms(k->getObject("material"), "created-at"), ms(k, "created-at"));
    r = exo("GET", "/v2/kms-key/" + id + "/list-key-rotations");
    expectDecodes(r, schema::kListRotationsResponse, "list-key-rotations, rotated");
    const auto rotations = r.json->getArray("rotations");
    ASSERT_EQ(rotations->size(), 2u) << r.body;
    EXPECT_EQ(rotations->getObject(0)->getValue<std::int64_t>("version"), 1);
    EXPECT_EQ(rotations->getObject(1)->getValue<std::int64_t>("version"), 2);
    EXPECT_EQ(rotations->getObject(1)->getValue<std::string>("rotated-at"),
              k->getObject("material")->getValue<std::string>("created-at"));
    // The old version still opens what it made, with the same context only.
    EXPECT_EQ(decrypt(id, oldCt, "ctx-1"), "before rotation");

    // re-encrypt onto the same key: the ciphertext moves to the newest material version.
    r = exo("POST", "/v2/kms-key/" + id + "/re-encrypt",
            reEncryptBody(id, oldCt, id, "ctx-1", "ctx-2"));
    expectDecodes(r, schema::kReEncryptResponse, "re-encrypt onto itself");
    EXPECT_NE(r.str("ciphertext"), oldCt);
    EXPECT_EQ(decrypt(id, r.str("ciphertext"), "ctx-2"), "before rotation");

    r = exo("POST", "/v2/kms-key/" + id + "/enable-key-rotation", R"({"rotation-period":120})");
    expectDecodes(r, schema::kRotationResponse, "enable-key-rotation");
    auto rot = r.json->getObject("rotation");
    EXPECT_TRUE(rot->getValue<bool>("automatic"));
    EXPECT_EQ(rot->getValue<std::int64_t>("rotation-period"), 120);
    // next-at = when automatic rotation started + the period (a day is kDaySeconds here).
    EXPECT_NEAR(static_cast<double>(ms(rot, "next-at") - nowSeconds() * 1000),
                120.0 * kDaySeconds * 1000, 5000.0)
        << r.body;
    EXPECT_EQ(getKey(id)->getObject("rotation")->getValue<std::string>("next-at"),
              rot->getValue<std::string>("next-at"));
    expectProblem(exo("POST", "/v2/kms-key/" + id + "/enable-key-rotation", "{}"),
                  {400, "Conflict"}, "enable-key-rotation while enabled");
    r = exo("POST", "/v2/kms-key/" + id + "/disable-key-rotation");
    expectDecodes(r, schema::kRotationResponse, "disable-key-rotation");
    rot = r.json->getObject("rotation");
    EXPECT_FALSE(rot->getValue<bool>("automatic"));
    EXPECT_EQ(rot->getValue<std::int64_t>("rotation-period"), 120);
    EXPECT_EQ(rot->getValue<std::string>("next-at"), "0001-01-01T00:00:00Z");
    expectDecodes(exo("POST", "/v2/kms-key/" + id + "/disable-key-rotation"),
                  schema::kRotationResponse, "disable-key-rotation while disabled (idempotent)");
    // Default period when the body names none.
    r = exo("POST", "/v2/kms-key/" + id + "/enable-key-rotation", "{}");
    expectDecodes(r, schema::kRotationResponse, "enable-key-rotation, default period");
    EXPECT_EQ(r.json->getObject("rotation")->getValue<std::int64_t>("rotation-period"), 365);

    // Ten manual rotations per key, then "Manual Rotation Limit".
    for (int i = 2; i <= 10; ++i) {
        r = exo("POST", "/v2/kms-key/" + id + "/rotate");
        expectDecodes(r, schema::kRotationResponse, "rotate #" + std::to_string(i));
        EXPECT_EQ(r.json->getObject("rotation")->getValue<std::int64_t>("manual-count"), i);
    }
    expectProblem(exo("POST", "/v2/kms-key/" + id + "/rotate"), {400, "Manual Rotation Limit"},
                  "the eleventh manual rotation");
    EXPECT_EQ(getKey(id)->getObject("material")->getValue<std::int64_t>("version"), 11);
    EXPECT_EQ(decrypt(id, oldCt, "ctx-1"), "before rotation");
}

TEST(ExoscaleRoutes, ReEncryptBetweenKeys) {
    const std::string a = createKey("routes-reenc-a");
    const std::string b = createKey("routes-reenc-b");
    const std::string ct = encrypt(a, "moving data", "from-a");
    auto r = exo("POST", "/v2/kms-key/" + a + "/re-encrypt", reEncryptBody(a, ct, b, "from-a"));
    expectDecodes(r, schema::kReEncryptResponse, "re-encrypt a -> b");
    EXPECT_EQ(decrypt(b, r.str("ciphertext")), "moving data");
    // The new ciphertext is b's: a refuses it.
    expectProblem(exo("POST", "/v2/kms-key/" + a + "/decrypt",
                      R"({"ciphertext":")" + r.str("ciphertext") + "\"}"),
                  {400, "Bad Request"}, "b's ciphertext on a");

    struct Case {
        std::string what, path, body;
        Expect expect;
    };
    const std::string unknown = "00000000-0000-4000-8000-000000000000";
    const std::vector<Case> cases = {
        {"path names the destination, not source.key",
         b,
         reEncryptBody(a, ct, b, "from-a"),
         {400, "Bad Request"}},
        {"wrong source context", a, reEncryptBody(a, ct, b, "from-x"), {400, "Bad Request"}},
        {"no source context", a, reEncryptBody(a, ct, b), {400, "Bad Request"}},
        {"source.key did not make the ciphertext",
         b,
         reEncryptBody(b, ct, a, "from-a"),
         {400, "Bad Request"}},
        {"unknown destination", a, reEncryptBody(a, ct, unknown, "from-a"), {400, "Key Not Found"}},
        {"unknown source",
         unknown,
         reEncryptBody(unknown, ct, b, "from-a"),
         {400, "Key Not Found"}},
        {"source missing", a, R"({"destination":{"key":")" + b + "\"}}", {400, "Bad Request"}},
        {"source not an object",
         a,
         R"({"source":"x","destination":{"key":")" + b + "\"}}",
         {400, "Bad Request"}},
        {"destination missing",
         a,
         R"({"source":{"key":")" + a + R"(","ciphertext":")" + ct + "\"}}",
         {400, "Bad Request"}},
        {"source.key not a UUID", a, reEncryptBody("nope", ct, b, "from-a"), {400, "Bad Request"}},
        {"destination.key not a UUID",
         a,
         reEncryptBody(a, ct, "nope", "from-a"),
         {400, "Bad Request"}},
        {"ciphertext not base64", a, reEncryptBody(a, "!!", b, "from-a"), {400, "Bad Request"}},
        {"ciphertext missing",
         a,
         R"({"source":{"key":")" + a + R"("},"destination":{"key":")" + b + "\"}}",
         {400, "Bad Request"}},
        {"ciphertext Keyport never made",
         a,
         reEncryptBody(a, b64(hsm::Bytes(64, 7)), b),
         {400, "Bad Request"}},
        {"malformed JSON", a, R"({"source":)", {400, "Bad Request"}},
    };
    for (const auto& c : cases) {
        expectProblem(exo("POST", "/v2/kms-key/" + c.path + "/re-encrypt", c.body), c.expect,
                      c.what);
    }
    ASSERT_EQ(exo("POST", "/v2/kms-key/" + b + "/disable").status, 200);
    expectProblem(
        exo("POST", "/v2/kms-key/" + a + "/re-encrypt", reEncryptBody(a, ct, b, "from-a")),
        {400, "Key is Disabled"}, "disabled destination");
}

TEST(ExoscaleRoutes, ReplicasAndNotOnReplica) {
    ensureFraProject();
    const std::string id = createKey("routes-replicas", true);
    const std::string ct = encrypt(id, "replicated");
    auto r = exo("POST", "/v2/kms-key/" + id + "/replicate", R"({"zone":"de-fra-1"})");
    // Both kinds of client: egoscale's success-response and the seed's Operation.
    expectDecodes(r, schema::kSuccessResponse, "replicate as success-response");
    expectDecodes(r, schema::kOperation, "replicate as Operation");
    EXPECT_EQ(r.str("status"), "target-registered");
    const auto done = poll(r.str("id"));
    expectDecodes(done, schema::kOperation, "get-operation");
    ASSERT_EQ(done.str("state"), "success") << done.body;
    const std::string replica = done.json->getObject("reference")->getValue<std::string>("id");

    auto k = getKey(id);
    ASSERT_TRUE(k->has("replicas-status"));
    auto status = k->getArray("replicas-status");
    ASSERT_EQ(status->size(), 1u);
    EXPECT_EQ(status->getObject(0)->getValue<std::string>("zone"), kFra);
    EXPECT_EQ(status->getObject(0)->getValue<std::int64_t>("last-applied-watermark"), 1);
    // A rotation of the primary reaches the replica: its watermark is the material version.
    expectDecodes(exo("POST", "/v2/kms-key/" + id + "/rotate"), schema::kRotationResponse,
                  "rotate the primary");
    k = getKey(id);
    EXPECT_EQ(k->getArray("replicas-status")
                  ->getObject(0)
                  ->getValue<std::int64_t>("last-applied-watermark"),
              2);
    const auto rep = getKey(replica, kFra);
    EXPECT_EQ(rep->getValue<std::string>("origin-zone"), kGva);
    EXPECT_EQ(rep->getObject("material")->getValue<std::int64_t>("version"), 2);
    EXPECT_EQ(rep->getObject("rotation")->getValue<std::int64_t>("manual-count"), 1);
    EXPECT_EQ(decrypt(replica, ct, "", kFra), "replicated");

    for (const auto& [action, body] : std::vector<std::pair<std::string, std::string>>{
             {"schedule-deletion", R"({"delay-days":7})"},
             {"cancel-deletion", ""},
             {"rotate", ""},
             {"enable-key-rotation", "{}"},
             {"disable-key-rotation", ""}}) {
        expectProblem(exo("POST", "/v2/kms-key/" + replica + "/" + action, body, kFra),
                      {400, "Not on Replica"}, action + " on a replica");
    }
}

TEST(ExoscaleRoutes, ErrorsAsTheSpecTitlesThem) {
    const std::string id = createKey("routes-titles");
    expectProblem(exo("POST", "/v2/kms-key", R"({"name":"routes-titles"})"), {400, "Name Conflict"},
                  "duplicate name");
    // The same name in another zone is another key.
    ensureFraProject();
    createKey("routes-titles", false, kFra);
    expectProblem(exo("GET", "/v2/kms-key/00000000-0000-4000-8000-000000000000"),
                  {400, "Key Not Found"}, "unknown key (the spec: 400)");
    expectProblem(exo("POST", "/v2/kms-key/" + id + "/cancel-deletion"),
                  {400, "Not Pending Deletion"}, "cancel-deletion of a key not pending deletion");
    expectProblem(exo("GET", "/v2/operation/00000000-0000-4000-8000-000000000000"),
                  {404, "Not Found"}, "unknown operation");
    expectProblem(exo("GET", "/v2/kms-key/nope"), {400, "Bad Request"}, "id not a UUID");
    expectProblem(exo("POST", "/v2/kms-key", "{}"), {400, "Bad Request"}, "name missing");
    expectProblem(exo("POST", "/v2/kms-key/" + id + "/replicate", R"({"zone":"de-fra-1"})"),
                  {400, "Not Multizone"}, "replicate a single-zone key");
}

// Bad input on the new routes: what each gets.
TEST(ExoscaleRoutes, BadInputOnNewRoutes) {
    const std::string id = createKey("routes-bad-input");
    const std::string disabled = createKey("routes-bad-disabled");
    ASSERT_EQ(exo("POST", "/v2/kms-key/" + disabled + "/disable").status, 200);
    const std::string pending = createKey("routes-bad-pending");
    ASSERT_EQ(exo("POST", "/v2/kms-key/" + pending + "/schedule-deletion", "{}").status, 200);
    const std::string unknown = "00000000-0000-4000-8000-000000000000";
    struct Case {
        std::string what, method, path, body;
        Expect expect;
    };
    const std::vector<Case> cases = {
        {"rotate: id not a UUID", "POST", "/v2/kms-key/nope/rotate", "", {400, "Bad Request"}},
        {"rotate: unknown key",
         "POST",
         "/v2/kms-key/" + unknown + "/rotate",
         "",
         {400, "Key Not Found"}},
        {"rotate: disabled key",
         "POST",
         "/v2/kms-key/" + disabled + "/rotate",
         "",
         {400, "Key is Disabled"}},
        {"rotate: key pending deletion",
         "POST",
         "/v2/kms-key/" + pending + "/rotate",
         "",
         {400, "Key is Pending Deletion"}},
        {"rotate: GET", "GET", "/v2/kms-key/" + id + "/rotate", "", {405, "Method Not Allowed"}},
        {"list-key-rotations: id not a UUID",
         "GET",
         "/v2/kms-key/nope/list-key-rotations",
         "",
         {400, "Bad Request"}},
        {"list-key-rotations: unknown key",
         "GET",
         "/v2/kms-key/" + unknown + "/list-key-rotations",
         "",
         {400, "Key Not Found"}},
        {"list-key-rotations: POST",
         "POST",
         "/v2/kms-key/" + id + "/list-key-rotations",
         "",
         {405, "Method Not Allowed"}},
        {"enable-key-rotation: period 89",
         "POST",
         "/v2/kms-key/" + id + "/enable-key-rotation",
         R"({"rotation-period":89})",
         {400, "Bad Request"}},
        {"enable-key-rotation: period 2561",
         "POST",
         "/v2/kms-key/" + id + "/enable-key-rotation",
         R"({"rotation-period":2561})",
         {400, "Bad Request"}},
        {"enable-key-rotation: period not a number",
         "POST",
         "/v2/kms-key/" + id + "/enable-key-rotation",
         R"({"rotation-period":"soon"})",
         {400, "Bad Request"}},
        {"enable-key-rotation: body not an object",
         "POST",
         "/v2/kms-key/" + id + "/enable-key-rotation",
         "[]",
         {400, "Bad Request"}},
        {"enable-key-rotation: malformed JSON",
         "POST",
         "/v2/kms-key/" + id + "/enable-key-rotation",
         R"({"rotation-period":)",
         {400, "Bad Request"}},
        {"enable-key-rotation: disabled key",
         "POST",
         "/v2/kms-key/" + disabled + "/enable-key-rotation",
         "{}",
         {400, "Key is Disabled"}},
        {"enable-key-rotation: key pending deletion",
         "POST",
         "/v2/kms-key/" + pending + "/enable-key-rotation",
         "{}",
         {400, "Key is Pending Deletion"}},
        {"enable-key-rotation: unknown key",
         "POST",
         "/v2/kms-key/" + unknown + "/enable-key-rotation",
         "{}",
         {400, "Key Not Found"}},
        {"disable-key-rotation: disabled key",
         "POST",
         "/v2/kms-key/" + disabled + "/disable-key-rotation",
         "",
         {400, "Key is Disabled"}},
        {"disable-key-rotation: unknown key",
         "POST",
         "/v2/kms-key/" + unknown + "/disable-key-rotation",
         "",
         {400, "Key Not Found"}},
        {"re-encrypt: empty body",
         "POST",
         "/v2/kms-key/" + id + "/re-encrypt",
         "",
         {400, "Bad Request"}},
        {"schedule-deletion: delay-days 31",
         "POST",
         "/v2/kms-key/" + id + "/schedule-deletion",
         R"({"delay-days":31})",
         {400, "Bad Request"}},
        {"zone: unknown path", "GET", "/v2/zones", "", {404, "Not Found"}},
    };
    for (const auto& c : cases) expectProblem(exo(c.method, c.path, c.body), c.expect, c.what);
    // A key whose material is to be imported (made through the Huawei dialect in the same
    // project): only origin exoscale-kms rotates.
    const auto external = demoClient().call(
        "create-key", R"({"key_alias":"routes-bad-external","origin":"external"})");
    ASSERT_EQ(external.status, 200) << external.body;
    const std::string ext = external.json->getObject("key_info")->getValue<std::string>("key_id");
    expectProblem(exo("POST", "/v2/kms-key/" + ext + "/enable-key-rotation", "{}"),
                  {400, "Invalid Origin"}, "enable-key-rotation: imported material");
    // Nothing changed on the refused keys.
    EXPECT_EQ(getKey(id)->getObject("material")->getValue<std::int64_t>("version"), 1);
    EXPECT_FALSE(getKey(id)->getObject("rotation")->getValue<bool>("automatic"));
}

// Another domain's credential: Key Not Found on every new route, never data.
TEST(ExoscaleRoutes, AnotherDomainSeesNothing) {
    const std::string id = createKey("routes-isolated");
    const std::string ct = encrypt(id, "private");
    const auto other =
        server().addCredential("exo-routes-other", "9f8e7d6c5b4a40318293a4b5c6d7e8f9", kGva);
    struct Case {
        std::string method, action, body;
    };
    const std::vector<Case> cases = {
        {"GET", "", ""},
        {"POST", "/rotate", ""},
        {"GET", "/list-key-rotations", ""},
        {"POST", "/enable-key-rotation", "{}"},
        {"POST", "/disable-key-rotation", ""},
        {"POST", "/re-encrypt", reEncryptBody(id, ct, id)},
        {"POST", "/schedule-deletion", "{}"},
        {"POST", "/cancel-deletion", ""},
    };
    for (const auto& c : cases) {
        expectProblem(exo(c.method, "/v2/kms-key/" + id + c.action, c.body, kGva, other),
                      {400, "Key Not Found"}, "another domain, " + c.method + " " + c.action);
    }
    // The other domain's own key as destination of our ciphertext: it cannot open ours.
    const auto r = exo("POST", "/v2/kms-key", R"({"name":"routes-other-own"})", kGva, other);
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string theirs = r.str("id");
    expectProblem(exo("POST", "/v2/kms-key/" + id + "/re-encrypt", reEncryptBody(id, ct, theirs),
                      kGva, other),
                  {400, "Key Not Found"}, "another domain re-encrypting our ciphertext");
    expectProblem(exo("POST", "/v2/kms-key/" + theirs + "/re-encrypt",
                      reEncryptBody(theirs, ct, theirs), kGva, other),
                  {400, "Key Not Found"}, "another domain naming its own key for our ciphertext");
    expectProblem(exo("POST", "/v2/kms-key/" + id + "/re-encrypt", reEncryptBody(id, ct, theirs)),
                  {400, "Key Not Found"}, "our ciphertext onto another domain's key");
    // Our key is untouched.
    const auto k = getKey(id);
    EXPECT_EQ(seq(k), 1);
    EXPECT_EQ(k->getValue<std::string>("status"), "enabled");
}

// The sweeper's rotation shows as automatic: material.automatic, the rotations list, and a
// manual-count that does not count it. Exoscale's shortest period is 90 days; Huawei's
// update-key-rotation-interval (same key, same policy) shortens it to 30 (30 s here).
TEST(ExoscaleRoutes, AutomaticRotationIsRecordedAsAutomatic) {
    const std::string id = createKey("routes-automatic");
    expectDecodes(exo("POST", "/v2/kms-key/" + id + "/enable-key-rotation", "{}"),
                  schema::kRotationResponse, "enable-key-rotation");
    const auto shorter = demoClient().call("update-key-rotation-interval",
                                           R"({"key_id":")" + id + R"(","rotation_interval":30})");
    ASSERT_EQ(shorter.status, 200) << shorter.body;
    auto k = getKey(id);
    EXPECT_EQ(k->getObject("rotation")->getValue<std::int64_t>("rotation-period"), 30);
    const std::int64_t nextAt = ms(k->getObject("rotation"), "next-at");
    for (int i = 0; i < 120 && k->getObject("material")->getValue<std::int64_t>("version") == 1;
         ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        k = getKey(id);
    }
    const auto material = k->getObject("material");
    ASSERT_EQ(material->getValue<std::int64_t>("version"), 2) << "the sweeper did not rotate";
    EXPECT_TRUE(material->getValue<bool>("automatic"));
    EXPECT_GE(ms(material, "created-at"), nextAt);
    EXPECT_EQ(k->getObject("rotation")->getValue<std::int64_t>("manual-count"), 0);
    // The next automatic rotation counts from this one.
    EXPECT_EQ(ms(k->getObject("rotation"), "next-at"), ms(material, "created-at") + 30 * 1000);
    const auto r = exo("GET", "/v2/kms-key/" + id + "/list-key-rotations");
    expectDecodes(r, schema::kListRotationsResponse, "list-key-rotations");
    const auto rotations = r.json->getArray("rotations");
    ASSERT_EQ(rotations->size(), 2u);
    EXPECT_FALSE(rotations->getObject(0)->getValue<bool>("automatic"));
    EXPECT_TRUE(rotations->getObject(1)->getValue<bool>("automatic"));
}

}  // namespace
}  // namespace keyport::test

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    // The Exoscale zones and one Huawei region (not a zone: list-zones leaves it out); a
    // rotation-interval day of a second, so next-at is checked against a known clock and the
    // sweeper's automatic rotation happens within the test.
    keyport::test::setServerConfig(
        "regions = ch-gva-2, de-fra-1, cn-north-4\ndemo.region = ch-gva-2\n"
        "keys.rotation_day_seconds = 1");
    return RUN_ALL_TESTS();
}
