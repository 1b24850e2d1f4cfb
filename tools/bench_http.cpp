// `keyport bench http`: keyportd's HTTP front end measured in one process and one run,
// beside the raw token rates of the same operations. The server runs in-process on a
// fresh state dir (its own SoftHSM tokens), clients use keep-alive connections over
// loopback, one per thread — so client, server and token share the same cores.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <tuple>

#include "service/api/frontend.h"
#include "service/core/base/encoding.h"
#include "service/core/base/state_dir.h"
#include "service/core/services.h"
#include "service/core/storage/key_store.h"
#include "service/core/tokens/provisioning.h"
#include "tools/args.h"
#include "tools/bench_hsm.h"
#include "tools/bench_runner.h"
#include "tools/bench_state.h"
#include "tools/client/byok_wrap.h"
#include "tools/client/http_client.h"
#include "tools/commands.h"

namespace keyport::cli {
namespace {

using client::HttpClient;

std::string field(const std::string& json, const std::string& path) {
    auto v = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    const auto dot = path.find('.');
    if (dot != std::string::npos) v = v->getObject(path.substr(0, dot));
    return v->getValue<std::string>(path.substr(dot == std::string::npos ? 0 : dot + 1));
}

// Everything a bench client needs to reach one project.
struct Target {
    std::string url;
    std::string project;
    std::string token;

    std::string path(const std::string& action) const {
        return "/v1.0/" + project + "/kms/" + action;
    }
    client::Headers headers() const { return {{"X-Auth-Token", token}}; }
};

client::HttpReply expect200(HttpClient& http, const Target& t, const std::string& action,
                            const std::string& body) {
    auto r = http.send("POST", t.path(action), body, t.headers());
    if (r.status != 200)
        throw std::runtime_error(action + ": HTTP " + std::to_string(r.status) + " " + r.body);
    return r;
}

std::string createKey(HttpClient& http, const Target& t, const std::string& alias,
                      const std::string& spec, const std::string& usage,
                      const std::string& origin) {
    return field(expect200(http, t, "create-key",
                           R"({"key_alias":")" + alias + R"(","key_spec":")" + spec +
                               R"(","key_usage":")" + usage + R"(","origin":")" + origin + R"("})")
                     .body,
                 "key_info.key_id");
}

// A client whose keep-alive connection is open before the clock starts (the runner builds
// every worker's operation first): 64 connects at once can meet a full listen backlog and
// a SYN retransmitted a second later, which would stretch the run and understate the rate.
std::shared_ptr<HttpClient> connected(const std::string& url) {
    auto http = std::make_shared<HttpClient>(url);
    if (http->send("GET", "/healthz", "", {}).status != 200)
        throw std::runtime_error("/healthz before the run");
    return http;
}

// A POST of a fixed body on every iteration, one keep-alive connection per thread.
bench::WorkerFactory fixedPost(const Target& t, const std::string& action,
                               const std::string& body) {
    return [&t, action, body](unsigned) -> bench::Operation {
        auto http = connected(t.url);
        return [&t, http, action, body] { expect200(*http, t, action, body); };
    };
}

// Imports prepared before the clock starts: external keys with their parameters fetched and
// the material wrapped on the client, so the timed call is import-key-material alone.
struct PreparedImports {
    std::vector<std::vector<std::string>> bodies;  // per worker thread
    std::vector<std::size_t> next;

    // Keys are named `prefix`-THREAD-N: two sets in one run need two prefixes.
    PreparedImports(const Target& t, unsigned threads, std::size_t perThread,
                    const std::string& prefix = "bench-import")
        : bodies(threads), next(threads) {
        const unsigned makers = 8;
        std::vector<std::thread> pool;
        std::mutex m;
        std::string firstError;
        for (unsigned w = 0; w < makers; ++w) {
            pool.emplace_back([&, w] {
                try {
                    HttpClient http(t.url);
                    for (unsigned th = 0; th < threads; ++th) {
                        for (std::size_t i = w; i < perThread; i += makers) {
                            std::string body = prepareOne(http, t, prefix, th, i);
                            std::lock_guard lock(m);
                            bodies[th].push_back(std::move(body));
                        }
                    }
                } catch (const std::exception& e) {
                    std::lock_guard lock(m);
                    if (firstError.empty()) firstError = e.what();
                }
            });
        }
        for (auto& p : pool) p.join();
        if (!firstError.empty()) throw std::runtime_error("preparing imports: " + firstError);
    }

    static std::string prepareOne(HttpClient& http, const Target& t, const std::string& prefix,
                                  unsigned th, std::size_t i) {
        const std::string id =
            createKey(http, t, prefix + "-" + std::to_string(th) + "-" + std::to_string(i),
                      "AES_256", "ENCRYPT_DECRYPT", "external");
        const auto p = expect200(
            http, t, "get-parameters-for-import",
            R"({"key_id":")" + id +
                R"(","wrapping_algorithm":"RSAES_OAEP_SHA_1","wrapping_key_spec":"RSA_2048"})");
        const auto spki = base64Decode(field(p.body, "public_key"));
        hsm::Bytes material(32);
        for (std::size_t k = 0; k < material.size(); ++k)
            material[k] = static_cast<std::uint8_t>(std::rand());
        const auto w = client::wrapSymmetric(*spki, false, material);
        return R"({"key_id":")" + id + R"(","import_token":")" + field(p.body, "import_token") +
               R"(","encrypted_key_material":")" + base64Encode(w.encryptedKeyMaterial) + R"("})";
    }

    bench::WorkerFactory workers(const Target& t) {
        return [this, &t](unsigned th) -> bench::Operation {
            auto http = connected(t.url);
            return [this, &t, http, th] {
                if (next[th] >= bodies[th].size()) throw bench::Exhausted{};
                expect200(*http, t, "import-key-material", bodies[th][next[th]++]);
            };
        };
    }
};

const bench::Result* find(const std::vector<bench::Result>& rs, const std::string& name) {
    for (const auto& r : rs) {
        if (r.name == name) return &r;
    }
    return nullptr;
}

void verdict(const char* what, double value, double target, const char* against) {
    std::printf("  %-46s %9.1f/s  target %9.1f/s (%s)  %s\n", what, value, target, against,
                value >= target ? "met" : "MISSED");
}

// User and system CPU time of this process so far.
double processCpuMicros() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    const auto us = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec);
    };
    return us(u.ru_utime) + us(u.ru_stime);
}

// A figure against a figure of the same run: the ratio and the issue's target ratio.
void ratio(const char* what, double value, double base, double target, const char* against) {
    const double r = base > 0 ? value / base : 0;
    std::printf("  %-42s %9.1f/s  %5.2fx %-20s target >= %.2fx  %s\n", what, value, r, against,
                target, r >= target ? "met" : "MISSED");
}

// Source keys for the replication run: clones of one key's record (same sealed blob, new
// ids), so preparing thousands is not bound by RSA key generation.
std::vector<std::string> cloneKeys(Services& services, const ProjectScope& scope,
                                   const std::string& keyId, std::size_t n) {
    const KeyRecord k = services.keys->get(scope, keyId);
    std::vector<std::string> ids;
    services.keys->db().write([&](Poco::Data::Session& s) {
        for (std::size_t i = 0; i < n; ++i) {
            KeyRecord c = k;
            c.id = newUuid();
            c.alias = "bench-clone-" + c.id;
            key_store::insert(s, c);
            ids.push_back(c.id);
        }
    });
    return ids;
}

// `keyport bench` replication: KeyReplication::replicate (transfer chain + one durable
// commit) per second for AES-256 and RSA-2048, beside the raw on-token chain (unwrap under
// the source KEK, KWP under an ephemeral key, OAEP to the target transport key, unwrap both
// on the target, seal under its KEK) measured in the same run.
void benchReplication(Services& services, const std::string& region, const Principal& principal,
                      double seconds, int& rc) {
    std::string target;
    for (const auto& [name, r] : services.regions->all()) {
        if (name != region && target.empty()) target = name;
    }
    if (target.empty()) return;
    const auto there = services.tenancy->addCredential(
        principal.domainId, "0b0e0c0b0e0c40aa8bb0c0d0e0f0abcd", target, Role::Admin);
    const ProjectScope scope{principal.domainId, principal.projectId, region};
    Region& targetRegion = services.regions->region(target);
    std::printf("\n-- replication %s -> %s, 2 threads --\n", region.c_str(), target.c_str());
    bench::printHeader();
    for (const auto& [label, spec, usage] :
         {std::tuple{"aes-256", KeySpec::Aes256, KeyUsage::EncryptDecrypt},
          std::tuple{"rsa-2048", KeySpec::Rsa2048, KeyUsage::SignVerify}}) {
        const KeyRecord base = services.keys->create(
            scope, CreateKey{std::string("bench-repl-") + label, "", spec, usage, Origin::Kms});
        auto raw = bench::run(
            std::string("raw chain ") + label, 2, seconds, [&](unsigned) -> bench::Operation {
                return [&] { (void)services.replication->transferMaterial(base, targetRegion); };
            });
        bench::print(raw);
        const auto perThread = static_cast<std::size_t>(raw.opsPerSecond * seconds) + 50;
        std::vector<std::vector<std::string>> pools;
        for (int t = 0; t < 2; ++t) pools.push_back(cloneKeys(services, scope, base.id, perThread));
        std::vector<std::size_t> next(2, 0);
        auto full = bench::run(
            std::string("replicate ") + label, 2, seconds, [&](unsigned th) -> bench::Operation {
                return [&, th] {
                    if (next[th] >= pools[th].size()) throw bench::Exhausted{};
                    const std::string& id = pools[th][next[th]++];
                    (void)services.replication->replicate(
                        scope, id,
                        ReplicateKey{there.principal.projectId, target, "r-" + id, "", {}});
                };
            });
        bench::print(full);
        if (raw.errors > 0 || full.errors > 0) rc = 1;
    }
}

// Key rotation's cost on the data path: encrypt-data and decrypt-data on a key never rotated
// and on one rotated `kRotations` times (decrypting ciphertexts of every version in turn, so
// each old version's session copy is opened and cached too), beside the raw token AES-GCM
// rate of the same run.
void benchRotation(const Target& t, const std::vector<bench::Result>& raw, double seconds,
                   std::vector<bench::Result>& all, int& rc) {
    constexpr int kRotations = 5;
    HttpClient setup(t.url);
    const std::string fresh =
        createKey(setup, t, "bench-rot-0", "AES_256", "ENCRYPT_DECRYPT", "kms");
    const std::string rotated =
        createKey(setup, t, "bench-rot-n", "AES_256", "ENCRYPT_DECRYPT", "kms");
    const std::string plain(1024, 'r');
    const auto encryptBody = [&](const std::string& id) {
        return R"({"key_id":")" + id + R"(","plain_text":")" + plain + R"("})";
    };
    const auto decryptBody = [&](const std::string& id) {
        const auto e = expect200(setup, t, "encrypt-data", encryptBody(id));
        return R"({"cipher_text":")" + field(e.body, "cipher_text") + R"("})";
    };
    std::vector<std::string> everyVersion{decryptBody(rotated)};
    for (int i = 0; i < kRotations; ++i) {
        expect200(setup, t, "rotate-on-demand", R"({"key_id":")" + rotated + R"("})");
        everyVersion.push_back(decryptBody(rotated));
    }
    const std::string freshCipher = decryptBody(fresh);
    auto cycling = [&t, &everyVersion](unsigned) -> bench::Operation {
        auto http = connected(t.url);
        auto next = std::make_shared<std::size_t>(0);
        return [&t, &everyVersion, http, next] {
            expect200(*http, t, "decrypt-data", everyVersion[(*next)++ % everyVersion.size()]);
        };
    };
    auto measure = [&](const std::string& name, const bench::WorkerFactory& make) {
        all.push_back(bench::run(name, 16, seconds, make));
        bench::print(all.back());
        if (all.back().errors > 0) rc = 1;
    };
    std::printf("\n-- key rotation: 0 vs %d rotations, 1 KiB, 16 connections --\n", kRotations);
    bench::printHeader();
    const bench::Result* gcm = find(raw, "aes-256-gcm encrypt 1 KiB");
    if (gcm) bench::print(*gcm);
    measure("encrypt-data, 0 rotations", fixedPost(t, "encrypt-data", encryptBody(fresh)));
    measure("encrypt-data, " + std::to_string(kRotations) + " rotations",
            fixedPost(t, "encrypt-data", encryptBody(rotated)));
    measure("decrypt-data, 0 rotations", fixedPost(t, "decrypt-data", freshCipher));
    measure("decrypt-data, " + std::to_string(kRotations) + " rot., every version", cycling);
}

}  // namespace

int benchHttp(const Argv& argv) {
    const Args args(argv, {"config", "define", "region", "seconds", "only"}, {"keep-state"});
    const double seconds = static_cast<double>(args.number("seconds", 2, 1, 3600));
    // --only healthz,encrypt,sign,params,csms,import,dispatch,rotation,replication,raw,audit
    // (default: all), so
    // one figure can be profiled on its own.
    const std::string only = args.get("only", "");
    const auto selected = [&only](const std::string& what) {
        if (only.empty()) return true;
        return ("," + only + ",").find("," + what + ",") != std::string::npos;
    };
    // Requests are logged at warn and above only: a line per request would put the bench's
    // own terminal in the figures (--define log.level=info measures it).
    BenchState bench = provisionBenchState(args, {"log.level=warn"});
    const std::filesystem::path& state = bench.dir;
    Config& config = bench.config;
    const std::string region = args.get("region", config.regions.front().name);

    std::vector<bench::Result> all;
    int rc = 0;
    {
        Services services(config);
        if (!services.regions->has(region))
            throw UsageError("--region '" + region + "' is not configured");
        api::Frontend frontend(services);
        services.startServing();
        frontend.start();
        const auto cred = services.tenancy->addCredential(
            "bench-domain", "0b0e0c0b0e0c40aa8bb0c0d0e0f01234", region, Role::Admin);
        const Target t{"http://127.0.0.1:" + std::to_string(frontend.port()),
                       cred.principal.projectId, cred.xAuthToken};

        std::printf("keyport bench http: region %s, in-process keyportd on %s, state %s\n",
                    region.c_str(), t.url.c_str(), state.c_str());
        std::printf("%.0f s per operation; HTTP clients keep one connection per thread\n\n",
                    seconds);
        // The raw token rates are the import and rotation yardsticks; a run of other figures
        // alone skips them (so that a profile of those figures holds nothing else).
        std::vector<bench::Result> raw;
        if (selected("raw") || selected("import") || selected("rotation") || selected("dispatch") ||
            selected("audit")) {
            std::printf("-- raw token, 2 threads (the yardstick) --\n");
            raw = runHsmBench(services.regions->token(region), 2, seconds, true);
        }

        auto measure = [&](const std::string& name, unsigned threads,
                           const bench::WorkerFactory& make) {
            const double cpu0 = processCpuMicros();
            all.push_back(bench::run(name, threads, seconds, make));
            const double cpu = processCpuMicros() - cpu0;
            bench::print(all.back());
            // CPU per operation (server and client, one process): steadier than the rate when
            // the cores are shared with other work.
            if (all.back().ops > 0)
                std::printf("%35s cpu %.1f us/op\n", "", cpu / static_cast<double>(all.back().ops));
            if (all.back().errors > 0) rc = 1;
        };

        HttpClient setup(t.url);
        const std::string aes =
            createKey(setup, t, "bench-aes", "AES_256", "ENCRYPT_DECRYPT", "kms");
        const std::string ec = createKey(setup, t, "bench-ec", "EC_P256", "SIGN_VERIFY", "kms");
        const std::string pending =
            createKey(setup, t, "bench-pending", "AES_256", "ENCRYPT_DECRYPT", "external");
        const std::string encryptBody =
            R"({"key_id":")" + aes + R"(","plain_text":")" + std::string(1024, 'k') + R"("})";
        const std::string signBody =
            R"({"key_id":")" + ec +
            R"(","message":"YmVuY2ggbWVzc2FnZQ==","message_type":"RAW","signing_algorithm":"ECDSA_SHA_256"})";
        const std::string paramsBody =
            R"({"key_id":")" + pending +
            R"(","wrapping_algorithm":"RSAES_OAEP_SHA_1","wrapping_key_spec":"RSA_2048"})";
        auto healthz = [&t](unsigned) -> bench::Operation {
            auto http = connected(t.url);
            return [http] {
                if (http->send("GET", "/healthz", "", {}).status != 200)
                    throw std::runtime_error("/healthz");
            };
        };

        std::printf("\n-- keyportd over HTTP --\n");
        bench::printHeader();
        for (const unsigned n : {16u, 64u}) {
            if (selected("healthz")) measure("GET /healthz", n, healthz);
            if (selected("encrypt"))
                measure("encrypt-data 1 KiB", n, fixedPost(t, "encrypt-data", encryptBody));
            if (selected("sign")) measure("sign ecdsa-p256", n, fixedPost(t, "sign", signBody));
        }
        if (selected("params")) {
            measure("get-parameters-for-import", 16,
                    fixedPost(t, "get-parameters-for-import", paramsBody));
        }

        // CSMS: a 1 KiB secret. create-version is a data key generated on-token, GCM, a KWP
        // wrap under the CMK and one durable commit; get-version a KWP unwrap and GCM.
        if (selected("csms")) {
            const std::string secretPath = "/v1/" + t.project + "/secrets";
            const std::string value1k(1024, 's');
            if (setup
                    .send("POST", secretPath,
                          R"({"name":"bench-secret","secret_string":")" + value1k + R"("})",
                          t.headers())
                    .status != 200) {
                throw std::runtime_error("could not create the bench secret");
            }
            auto secretOp = [&t, value1k](const std::string& method, const std::string& path) {
                return [&t, value1k, method, path](unsigned) -> bench::Operation {
                    auto http = connected(t.url);
                    const std::string body =
                        method == "POST" ? R"({"secret_string":")" + value1k + R"("})" : "";
                    return [&t, http, method, path, body] {
                        const auto r = http->send(method, path, body, t.headers());
                        if (r.status != 200)
                            throw std::runtime_error(path + ": HTTP " + std::to_string(r.status));
                    };
                };
            };
            measure("csms create-version 1 KiB", 16,
                    secretOp("POST", secretPath + "/bench-secret/versions"));
            measure("csms get-version latest 1 KiB", 16,
                    secretOp("GET", secretPath + "/bench-secret/versions/latest"));
        }

        // The request path below the HTTP engine: Router::dispatch on a parsed request, as the
        // engine hands it over (auth, JSON, key lookup, token, response body), beside the raw
        // token doing the same operation on as many threads.
        if (selected("dispatch")) {
            api::Router router;
            api::Authenticator auth(*services.tenancy);
            api::Idempotency idempotency(*services.db);
            api::addAllRoutes(router, services, auth, idempotency);
            const auto direct = [&](const std::string& action,
                                    const std::string& body) -> bench::WorkerFactory {
                return [&router, &t, action, body](unsigned) -> bench::Operation {
                    return [&router, &t, action, body] {
                        api::Request req;
                        req.method = "POST";
                        req.path = t.path(action);
                        req.headers = {{"Host", "127.0.0.1"},
                                       {"Content-Type", "application/json"},
                                       {"X-Auth-Token", t.token}};
                        req.body = body;
                        const api::Response res = router.dispatch(req);
                        if (res.status != 200)
                            throw std::runtime_error(action + ": " + std::to_string(res.status));
                    };
                };
            };
            std::printf("\n-- Router::dispatch without HTTP, 2 threads, beside the raw token --\n");
            bench::printHeader();
            measure("dispatch encrypt-data 1 KiB", 2, direct("encrypt-data", encryptBody));
            measure("dispatch sign ecdsa-p256", 2, direct("sign", signBody));
            const auto* gcm = find(raw, "aes-256-gcm encrypt 1 KiB");
            const auto* ecdsa = find(raw, "ecdsa-p256 sign");
            const auto* de = find(all, "dispatch encrypt-data 1 KiB");
            const auto* ds = find(all, "dispatch sign ecdsa-p256");
            if (gcm && de)
                std::printf("  dispatch encrypt-data / raw aes-256-gcm 1 KiB: %.2fx\n",
                            de->opsPerSecond / gcm->opsPerSecond);
            if (ecdsa && ds)
                std::printf("  dispatch sign / raw ecdsa-p256 sign: %.2fx\n",
                            ds->opsPerSecond / ecdsa->opsPerSecond);
        }

        const bench::Result* oaep = find(raw, "rsa-2048 oaep-sha1 unwrap");
        std::uint64_t importCommits = 0;
        if (selected("import")) {
            // 16 connections, each with its own prepared keys; enough for the whole run at
            // 1.5x the raw unwrap rate (a worker that runs out stops and its work counts).
            constexpr unsigned kImportConnections = 16;
            const auto perThread =
                static_cast<std::size_t>(oaep->opsPerSecond * seconds * 1.5 / kImportConnections) +
                20;
            std::printf("   (preparing %zu external keys for the import run...)\n",
                        perThread * kImportConnections);
            std::fflush(stdout);
            PreparedImports imports(t, kImportConnections, perThread);
            const std::uint64_t before = services.keys->db().commits();
            measure("import-key-material rsa-2048", kImportConnections, imports.workers(t));
            importCommits = services.keys->db().commits() - before;
        }

        // The cost of the audit trail: the same operations through a second Frontend on the
        // same Services without one, in the same run.
        if (selected("audit") && frontend.audit() != nullptr) {
            api::Frontend plain(services, api::FrontendOptions{false, {}});
            plain.start();
            Target u = t;
            u.url = "http://127.0.0.1:" + std::to_string(plain.port());
            std::printf("\n-- audit trail: the same requests with and without it --\n");
            // A-B-B-A: a drift in the machine's load over the run hits both sides alike.
            std::printf("   (order unaudited, audited, audited, unaudited)\n");
            bench::printHeader();
            const bool auditedFirst[] = {false, true};
            for (int round = 0; round < 2; ++round) {
                for (int i = 0; i < 2; ++i) {
                    const bool audited = (i == 1) != auditedFirst[round];
                    measure(std::string("encrypt-data 1 KiB, ") +
                                (audited ? "audited #" : "unaudited #") + std::to_string(round + 1),
                            16, fixedPost(audited ? t : u, "encrypt-data", encryptBody));
                }
            }
            const auto perThread =
                static_cast<std::size_t>(oaep->opsPerSecond * seconds * 1.5 / 16) + 20;
            std::printf("   (preparing 4 x %zu external keys for the import runs...)\n",
                        perThread * 16);
            std::fflush(stdout);
            for (int round = 0; round < 2; ++round) {
                std::vector<std::pair<bool, std::unique_ptr<PreparedImports>>> sets;
                for (int i = 0; i < 2; ++i) {
                    const bool audited = (i == 1) != auditedFirst[round];
                    const std::string tag = std::string(audited ? "audited-" : "unaudited-") +
                                            std::to_string(round + 1);
                    sets.emplace_back(
                        audited, std::make_unique<PreparedImports>(audited ? t : u, 16, perThread,
                                                                   "bench-import-" + tag));
                }
                for (auto& [audited, set] : sets) {
                    measure(std::string("import rsa-2048, ") +
                                (audited ? "audited #" : "unaudited #") + std::to_string(round + 1),
                            16, set->workers(audited ? t : u));
                }
            }
            plain.stop();
            // The mean rate over the rounds of each.
            const auto byName = [&](const std::string& name) {
                double sum = 0;
                int n = 0;
                for (const auto& r : all) {
                    if (r.name.rfind(name, 0) == 0) {
                        sum += r.opsPerSecond;
                        ++n;
                    }
                }
                return n > 0 ? sum / n : 0.0;
            };
            for (const auto& [what, with, without] :
                 {std::tuple{"encrypt-data", "encrypt-data 1 KiB, audited",
                             "encrypt-data 1 KiB, unaudited"},
                  std::tuple{"import-key-material", "import rsa-2048, audited",
                             "import rsa-2048, unaudited"}}) {
                const double a = byName(with), b = byName(without);
                if (a > 0 && b > 0)
                    std::printf(
                        "  %s audited / unaudited: %.2fx (%+.1f us latency at 16 connections)\n",
                        what, a / b, (1e6 / a - 1e6 / b) * 16);
            }
            std::printf("  audit records written by this run: %llu\n",
                        static_cast<unsigned long long>(frontend.audit()->recordsWritten()));
        }

        const auto rate = [&](const std::string& name, unsigned threads) {
            for (const auto& r : all) {
                if (r.name == name && r.threads == threads) return r.opsPerSecond;
            }
            return 0.0;
        };
        std::printf("\n-- targets (ratios within this run) --\n");
        for (const unsigned n : {16u, 64u}) {
            const double h = rate("GET /healthz", n);
            if (h <= 0) continue;
            const std::string at = " (" + std::to_string(n) + " connections)";
            if (selected("encrypt"))
                ratio(("encrypt-data 1 KiB" + at).c_str(), rate("encrypt-data 1 KiB", n), h, 0.5,
                      "/healthz");
            if (selected("sign"))
                ratio(("sign ecdsa-p256" + at).c_str(), rate("sign ecdsa-p256", n), h, 0.5,
                      "/healthz");
        }
        // The ceiling of those ratios: the token alone, without any request path, against
        // /healthz (a request path without the token). Below 0.5 the target cannot be met
        // whatever the request path costs.
        for (const auto& [label, rawName] :
             {std::pair{"ceiling: raw aes-256-gcm 1 KiB (2 threads)", "aes-256-gcm encrypt 1 KiB"},
              std::pair{"ceiling: raw ecdsa-p256 sign (2 threads)", "ecdsa-p256 sign"}}) {
            const bench::Result* r = find(raw, rawName);
            const double h = rate("GET /healthz", 16);
            if (r && h > 0) ratio(label, r->opsPerSecond, h, 0.5, "/healthz@16");
        }
        if (selected("import")) {
            ratio("import-key-material (16 connections)", rate("import-key-material rsa-2048", 16),
                  oaep->opsPerSecond, 0.8, "raw 2-thread unwrap");
            const auto* imp = find(all, "import-key-material rsa-2048");
            if (imp && importCommits > 0) {
                std::printf(
                    "  import-key-material: %llu imports in %llu durable commits "
                    "(%.1f per commit; includes any other writer of the run)\n",
                    static_cast<unsigned long long>(imp->ops),
                    static_cast<unsigned long long>(importCommits),
                    static_cast<double>(imp->ops) / static_cast<double>(importCommits));
            }
        }
        if (selected("params"))
            verdict("get-parameters-for-import", rate("get-parameters-for-import", 16), 500,
                    "fixed");

        if (selected("rotation")) benchRotation(t, raw, seconds, all, rc);
        if (selected("replication"))
            benchReplication(services, region, cred.principal, seconds, rc);
        frontend.stop();
    }
    if (!args.has("keep-state")) std::filesystem::remove_all(state);
    return rc;
}

}  // namespace keyport::cli
