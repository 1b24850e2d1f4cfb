// Every operation of Exoscale's KMS spec (../shared/specs/exoscale-kms-v2.yaml, verbatim from
// egoscale v3/generator/source.yaml: 17 operationIds) sent through Stoplight Prism's `prism
// proxy` (tests/exoscale_prism, pinned) to a real keyportd. Prism validates each request and
// each response against the spec and reports what breaks it in the `sl-violations` response
// header; a violation of Error severity in a response fails its row, as does one in a request
// the row means to be valid. Warnings are printed. Rows that send bad input on purpose must
// draw Prism's request violation (so Prism did look) and keyportd's error, whose shape Prism
// then checks against the spec's error-response.
//
// How Prism proxies (prism-cli 5.16.0, read from its source): it routes by the spec's paths
// without the servers' /v2 (`/kms-key/{id}`), forwards to <upstream> + path, so the upstream is
// keyportd's /v2, drops Host (the zone then comes from X-Keyport-Region or the credential's
// home zone, service/api/region_selection.cpp) and re-serialises a JSON body with
// JSON.stringify, so bodies here are compact JSON and the EXO2 signature covers
// "/v2" + path. It runs without --errors: with it Prism answers a bad request itself (422)
// instead of forwarding it, and keyportd's answer to bad input would go unchecked.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/e2e/exo_client.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

namespace fs = std::filesystem;

// The spec's zone-name enum holds Exoscale's zones: the server is configured with two of them.
constexpr char kZone[] = "ch-gva-2";
constexpr char kOtherZone[] = "de-fra-1";
constexpr char kOtherZoneProject[] = "4c0b1a2c3d44e5f8a9b0c1d2e3f4a5b6";
constexpr char kOtherDomainProject[] = "4d0b1a2c3d44e5f8a9b0c1d2e3f4a5b7";

// `prism proxy <spec> <upstream>` as a child process on a port of its choosing (-p 0; it
// prints the one it got), its log in `log`.
class PrismProxy {
  public:
    PrismProxy(unsigned upstreamPort, fs::path logFile) : log_(std::move(logFile)) {
        const std::string upstream = "http://127.0.0.1:" + std::to_string(upstreamPort) + "/v2";
        pid_ = ::fork();
        if (pid_ == 0) {
            const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (fd < 0) ::_exit(127);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            ::setenv("NO_COLOR", "1", 1);
            ::execl(KEYPORT_PRISM_NODE, KEYPORT_PRISM_NODE, KEYPORT_PRISM_CLI, "proxy",
                    KEYPORT_EXOSCALE_SPEC, upstream.c_str(), "--host", "127.0.0.1", "--port", "0",
                    "--errors", "false", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        const std::regex listening(R"(Prism is listening on http://127\.0\.0\.1:(\d+))");
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        while (std::chrono::steady_clock::now() < deadline) {
            std::smatch m;
            const std::string text = log();
            if (std::regex_search(text, m, listening)) {
                port_ = static_cast<unsigned>(std::stoul(m[1]));
                return;
            }
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        ADD_FAILURE() << "prism proxy did not start; its log:\n" << log();
    }
    ~PrismProxy() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    PrismProxy(const PrismProxy&) = delete;
    PrismProxy& operator=(const PrismProxy&) = delete;

    unsigned port() const { return port_; }
    std::string log() const {
        std::ifstream in(log_);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }

  private:
    fs::path log_;
    pid_t pid_ = -1;
    unsigned port_ = 0;
};

struct Violation {
    std::string where;  // "request.body.name", "response.body.rotation.next-at", …
    std::string severity;
    std::string message;
};

// The sl-violations header: a JSON array of {location, severity, code, message}.
std::vector<Violation> violations(const ExoResult& r) {
    std::vector<Violation> out;
    auto h = r.header("sl-violations");
    if (!h) return out;
    std::string text = *h;
    if (text.starts_with("Too many violations!")) {
        out.push_back({"", "Error", "Prism truncated the list: " + text.substr(0, 300)});
        return out;
    }
    const auto a = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < a->size(); ++i) {
        const auto v = a->getObject(static_cast<unsigned>(i));
        std::string where;
        if (const auto loc = v->getArray("location")) {
            for (std::size_t j = 0; j < loc->size(); ++j) {
                if (j) where += '.';
                where += loc->get(static_cast<unsigned>(j)).toString();
            }
        }
        out.push_back({where, v->optValue<std::string>("severity", ""),
                       v->optValue<std::string>("message", "")});
    }
    return out;
}

struct Row {
    std::string operationId;
    std::string method;
    std::string path;  // as the spec names it (no /v2)
    std::string body;
    int status;               // what keyportd must answer
    std::string title = {};   // an error's title in the spec ("" for a success)
    bool badRequest = false;  // the request breaks the spec on purpose
    const Credential* cred = nullptr;
    std::string zone = {};  // X-Keyport-Region; "" = the credential's home zone
};

class PrismConformance : public testing::Test {
  protected:
    static void SetUpTestSuite() {
        const std::string spec = KEYPORT_EXOSCALE_SPEC;
        ASSERT_TRUE(fs::exists(spec)) << "the spec " << spec << " is missing";
        ASSERT_TRUE(fs::exists(KEYPORT_PRISM_NODE))
            << KEYPORT_PRISM_NODE << " is missing: the fixture test exoscale_prism_npm_ci runs "
            << "`npm ci` in " << KEYPORT_PRISM_DIR;
        prism_ = new PrismProxy(server().port(), server().dir() / "prism.log");
    }
    static void TearDownTestSuite() {
        delete prism_;
        prism_ = nullptr;
    }

    // Sends the row through Prism and checks what Prism and keyportd said; returns the answer.
    ExoResult run(const Row& row) {
        const Credential& cred = row.cred ? *row.cred : KeyportServer::demo();
        Headers extra;
        if (!row.zone.empty()) extra.emplace_back("X-Keyport-Region", row.zone);
        const auto r = exoCall(prism_->port(), row.method, row.path, row.body,
                               {cred, "/v2" + row.path, 0}, extra);
        covered_.insert(row.operationId);
        const std::string what = row.operationId + " " + row.method + " " + row.path +
                                 (row.body.empty() ? "" : " " + row.body);
        int requestErrors = 0;
        for (const auto& v : violations(r)) {
            const bool inRequest = v.where.starts_with("request");
            std::cout << "  [" << v.severity << "] " << row.operationId << ": " << v.where << " "
                      << v.message << "\n";
            EXPECT_NE(v.message, "Selected route not found")
                << what << ": Prism found no operation for the request, so it checked nothing";
            if (v.severity != "Error") continue;
            if (inRequest) {
                ++requestErrors;
                EXPECT_TRUE(row.badRequest) << what << ": the request breaks the spec (" << v.where
                                            << " " << v.message << "): the test's row is wrong";
            } else {
                ADD_FAILURE() << what << " → " << r.status << ": the response breaks the spec at "
                              << v.where << ": " << v.message << "\n  body: " << r.body;
            }
        }
        if (row.badRequest) {
            EXPECT_GT(requestErrors, 0) << what << ": Prism did not flag the bad request";
        }
        EXPECT_EQ(r.status, row.status) << what << ": " << r.body;
        if (!row.title.empty()) {
            EXPECT_EQ(r.str("title"), row.title) << what << ": " << r.body;
        }
        std::cout << (r.status == row.status ? "ok   " : "FAIL ") << r.status << " "
                  << row.operationId << " " << row.method << " " << row.path << "\n";
        return r;
    }

    static PrismProxy* prism_;
    static std::set<std::string> covered_;
};

PrismProxy* PrismConformance::prism_ = nullptr;
std::set<std::string> PrismConformance::covered_;

std::string b64of(const std::string& s) {
    return b64(bytes(s));
}

TEST_F(PrismConformance, EveryOperationAndItsErrorsMatchTheSpec) {
    ASSERT_NE(prism_->port(), 0u);
    const Credential otherZone =
        server().addCredential("demo-domain", kOtherZoneProject, kOtherZone);
    const Credential otherDomain =
        server().addCredential("prism-other-domain", kOtherDomainProject, kZone);
    (void)otherZone;
    const std::string missing = "00000000-0000-4000-8000-000000000000";
    const std::string name = "prism-" + std::to_string(::getpid());
    const std::string ctx = b64of("tenant=42");

    // list-zones: the exo CLI's first call.
    run({"list-zones", "GET", "/zone", "", 200});

    // create-kms-key, list-kms-keys, get-kms-key.
    auto r = run({"create-kms-key", "POST", "/kms-key",
                  R"({"name":")" + name +
                      R"(","description":"prism","usage":"encrypt-decrypt","multi-zone":true})",
                  200});
    const std::string a = r.str("id");
    ASSERT_FALSE(a.empty()) << r.body;
    r = run({"create-kms-key", "POST", "/kms-key", R"({"name":")" + name + R"(-single"})", 200});
    const std::string b = r.str("id");
    ASSERT_FALSE(b.empty()) << r.body;
    run({"list-kms-keys", "GET", "/kms-key", "", 200});
    run({"get-kms-key", "GET", "/kms-key/" + a, "", 200});

    // Crypto: encrypt, decrypt, generate-data-key.
    r = run(
        {"encrypt", "POST", "/kms-key/" + a + "/encrypt",
         R"({"plaintext":")" + b64of("hello prism") + R"(","encryption-context":")" + ctx + R"("})",
         200});
    const std::string ct = r.str("ciphertext");
    run({"decrypt", "POST", "/kms-key/" + a + "/decrypt",
         R"({"ciphertext":")" + ct + R"(","encryption-context":")" + ctx + R"("})", 200});
    run({"generate-data-key", "POST", "/kms-key/" + a + "/generate-data-key",
         R"({"key-spec":"AES-256"})", 200});
    run({"generate-data-key", "POST", "/kms-key/" + a + "/generate-data-key",
         R"({"bytes-count":48,"encryption-context":")" + ctx + R"("})", 200});

    // Rotation: rotate, list-kms-key-rotations, enable/disable-kms-key-rotation, re-encrypt
    // (from the old material to the key's latest).
    run({"rotate-kms-key", "POST", "/kms-key/" + a + "/rotate", "", 200});
    run({"list-kms-key-rotations", "GET", "/kms-key/" + a + "/list-key-rotations", "", 200});
    run({"enable-kms-key-rotation", "POST", "/kms-key/" + a + "/enable-key-rotation",
         R"({"rotation-period":90})", 200});
    run({"get-kms-key", "GET", "/kms-key/" + a, "", 200});  // with automatic rotation on
    run({"disable-kms-key-rotation", "POST", "/kms-key/" + a + "/disable-key-rotation", "", 200});
    run({"re-encrypt", "POST", "/kms-key/" + a + "/re-encrypt",
         R"({"source":{"key":")" + a + R"(","ciphertext":")" + ct + R"(","encryption-context":")" +
             ctx + R"("},"destination":{"key":")" + a + R"("}})",
         200});

    // replicate-kms-key and get-operation (polled until it settles).
    r = run({"replicate-kms-key", "POST", "/kms-key/" + a + "/replicate",
             std::string(R"({"zone":")") + kOtherZone + R"("})", 200});
    const std::string op = r.str("id");
    EXPECT_FALSE(op.empty()) << "replicate answered no operation to poll: " << r.body;
    if (!op.empty()) {
        for (int i = 0; i < 100; ++i) {
            r = run({"get-operation", "GET", "/operation/" + op, "", 200});
            if (r.str("state") != "pending") break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        EXPECT_EQ(r.str("state"), "success") << r.body;
    }
    run({"get-kms-key", "GET", "/kms-key/" + a, "", 200});  // with a replica

    // Lifecycle: disable, enable, schedule-deletion, cancel-deletion.
    run({"disable-kms-key", "POST", "/kms-key/" + b + "/disable", "", 200});
    run({"get-kms-key", "GET", "/kms-key/" + b, "", 200});
    run({"enable-kms-key", "POST", "/kms-key/" + b + "/enable", "", 200});
    run({"schedule-kms-key-deletion", "POST", "/kms-key/" + b + "/schedule-deletion",
         R"({"delay-days":7})", 200});
    run({"list-kms-keys", "GET", "/kms-key", "", 200});  // one pending deletion in the list
    run({"cancel-kms-key-deletion", "POST", "/kms-key/" + b + "/cancel-deletion", "", 200});

    // Errors: the spec's 400s with its titles, and the shape of error-response.
    run({"get-kms-key", "GET", "/kms-key/" + missing, "", 400, "Key Not Found"});
    run({"get-kms-key", "GET", "/kms-key/" + a, "", 400, "Key Not Found", false, &otherDomain});
    run({"create-kms-key", "POST", "/kms-key", R"({"name":")" + name + R"("})", 400,
         "Name Conflict"});
    run({"create-kms-key", "POST", "/kms-key", R"({"description":"no name"})", 400, "Bad Request",
         true});
    run({"encrypt", "POST", "/kms-key/" + missing + "/encrypt", R"({"plaintext":"eA=="})", 400,
         "Key Not Found"});
    run({"decrypt", "POST", "/kms-key/" + a + "/decrypt", R"({"plaintext":"eA=="})", 400, "",
         true});
    run({"schedule-kms-key-deletion", "POST", "/kms-key/" + b + "/schedule-deletion",
         R"({"delay-days":3})", 400, "Bad Request", true});
    run({"cancel-kms-key-deletion", "POST", "/kms-key/" + b + "/cancel-deletion", "", 400,
         "Not Pending Deletion"});
    run({"enable-kms-key-rotation", "POST", "/kms-key/" + a + "/enable-key-rotation",
         R"({"rotation-period":10})", 400, "Bad Request", true});
    run({"replicate-kms-key", "POST", "/kms-key/" + b + "/replicate",
         std::string(R"({"zone":")") + kOtherZone + R"("})", 400, "Not Multizone"});
    run({"replicate-kms-key", "POST", "/kms-key/" + a + "/replicate",
         std::string(R"({"zone":")") + kOtherZone + R"("})", 400, "Conflict"});
    run({"replicate-kms-key", "POST", "/kms-key/" + a + "/replicate", R"({"zone":"nowhere-1"})",
         400, "Invalid Argument"});
    run({"rotate-kms-key", "POST", "/kms-key/" + missing + "/rotate", "", 400, "Key Not Found"});
    run({"list-kms-key-rotations", "GET", "/kms-key/" + missing + "/list-key-rotations", "", 400,
         "Key Not Found"});
    run({"disable-kms-key-rotation", "POST", "/kms-key/" + missing + "/disable-key-rotation", "",
         400, "Key Not Found"});
    run({"re-encrypt", "POST", "/kms-key/" + missing + "/re-encrypt",
         R"({"source":{"key":")" + missing + R"(","ciphertext":")" + ct +
             R"("},"destination":{"key":")" + a + R"("}})",
         400, "Key Not Found"});
    // The path names the source key: another source.key in the body is a bad request.
    run({"re-encrypt", "POST", "/kms-key/" + a + "/re-encrypt",
         R"({"source":{"key":")" + b + R"(","ciphertext":")" + ct + R"("},"destination":{"key":")" +
             a + R"("}})",
         400, "Bad Request"});
    run({"generate-data-key", "POST", "/kms-key/" + a + "/generate-data-key",
         R"({"bytes-count":0})", 400, "", true});
    run({"enable-kms-key", "POST", "/kms-key/" + missing + "/enable", "", 400, "Key Not Found"});
    run({"disable-kms-key", "POST", "/kms-key/" + missing + "/disable", "", 400, "Key Not Found"});
    // The spec lists no error for get-operation: keyportd's 404 is a Prism warning, not an error.
    run({"get-operation", "GET", "/operation/" + missing, "", 404});

    const std::set<std::string> all = {
        "list-zones",
        "create-kms-key",
        "list-kms-keys",
        "get-kms-key",
        "enable-kms-key",
        "disable-kms-key",
        "schedule-kms-key-deletion",
        "cancel-kms-key-deletion",
        "encrypt",
        "decrypt",
        "generate-data-key",
        "replicate-kms-key",
        "get-operation",
        "rotate-kms-key",
        "list-kms-key-rotations",
        "enable-kms-key-rotation",
        "disable-kms-key-rotation",
        "re-encrypt",
    };
    for (const auto& id : all) EXPECT_TRUE(covered_.count(id)) << id << " was never sent";
    if (HasFailure()) std::cout << "prism's log:\n" << prism_->log() << "\n";
}

}  // namespace
}  // namespace keyport::test

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    keyport::test::setServerConfig(std::string("regions = ") + keyport::test::kZone + ", " +
                                   keyport::test::kOtherZone +
                                   "\ndemo.region = " + keyport::test::kZone);
    return RUN_ALL_TESTS();
}
