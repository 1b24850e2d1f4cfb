// GET /metrics on a real keyportd after real traffic (Huawei KMS create-key, encrypt-data and
// decrypt-data, a 404, a 401, an Exoscale request, a BYOK import): the body passes
// `promtool check metrics` (Debian's prometheus package) with no complaint, and the request,
// token-operation, database-commit, cache and import-token metrics moved by what the traffic
// did. With metrics.address set, /metrics is served there only, and the main port answers
// 404 for it.
#include <gtest/gtest.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>

#include "service/api/exoscale/exo_auth.h"
#include "tests/e2e/import_helpers.h"
#include "tests/e2e/kms_client.h"

namespace keyport::test {
namespace {

struct Scrape {
    int status = 0;
    std::string contentType;
    std::string body;
};

Scrape get(unsigned port, const std::string& path) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest req("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(req);
    Poco::Net::HTTPResponse res;
    std::istream& in = session.receiveResponse(res);
    Scrape s;
    s.status = static_cast<int>(res.getStatus());
    s.contentType = res.getContentType();
    Poco::StreamCopier::copyToString(in, s.body);
    return s;
}

// Every sample line as series → value ("name{labels}" exactly as printed).
std::map<std::string, double> samples(const std::string& text) {
    std::map<std::string, double> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        const auto space = line.rfind(' ');
        out[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
    return out;
}

double at(const std::map<std::string, double>& m, const std::string& series) {
    auto it = m.find(series);
    return it == m.end() ? 0 : it->second;
}

// promtool's exit status and everything it printed, for this exposition.
std::pair<int, std::string> promtool(const std::string& text) {
    const std::string path = testing::TempDir() + "keyport-metrics-e2e.prom";
    std::ofstream(path) << text;
    FILE* p = ::popen(("promtool check metrics < " + path + " 2>&1").c_str(), "r");
    std::string out;
    char buf[4096];
    for (std::size_t n; p && (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    const int status = p ? ::pclose(p) : -1;
    std::remove(path.c_str());
    return {status, out};
}

void expectPromtoolClean(const std::string& text) {
    ASSERT_EQ(std::system("command -v promtool >/dev/null 2>&1"), 0)
        << "promtool missing: tools/install-deps.sh installs Debian's prometheus package";
    const auto [status, out] = promtool(text);
    EXPECT_EQ(status, 0) << out;
    EXPECT_EQ(out, "") << "promtool's lint complaints:\n" << out;
}

HttpResult exoscale(unsigned port, const std::string& method, const std::string& path) {
    api::Request r;
    r.method = method;
    r.path = path;
    const Credential cred = KeyportServer::demo();
    api::exoscale::sign(r, cred.accessKey, cred.secretKey, nowSeconds() + 600);
    r.headers.emplace_back("Host", "api-cn-north-4.keyport.test");
    return httpRequest(port, method, path, "", r.headers);
}

std::string tokenOp(const std::string& op, const std::string& mech) {
    return "keyport_token_operations_total{operation=\"" + op + "\",mechanism=\"" + mech +
           "\",region=\"cn-north-4\",outcome=\"ok\"}";
}

std::string requests(const std::string& dialect, const std::string& route, const std::string& cls) {
    return "keyport_http_requests_total{dialect=\"" + dialect + "\",route=\"" + route +
           "\",status_class=\"" + cls + "\"}";
}

TEST(Metrics, AfterRealTrafficPromtoolIsCleanAndTheCountersMoved) {
    KeyportServer server;
    const unsigned port = server.port();
    const Scrape first = get(port, "/metrics");
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(first.contentType, "text/plain; version=0.0.4; charset=utf-8");
    expectPromtoolClean(first.body);
    const auto before = samples(first.body);

    // Huawei KMS: create-key, encrypt-data, decrypt-data (the second use of the key is a hit
    // in both caches), a 404 in the dialect, a 401, and a path no dialect owns.
    const KmsClient c(port, KeyportServer::demo());
    const std::string id = c.createKey("metrics-key", "AES_256", "ENCRYPT_DECRYPT", "kms");
    const auto e =
        c.call("encrypt-data", jsonBody({{"key_id", id}, {"plain_text", "metrics plaintext"}}));
    ASSERT_EQ(e.status, 200) << e.body;
    const auto d = c.call("decrypt-data", jsonBody({{"cipher_text", e.str("cipher_text")}}));
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(c.call("no-such-action", "{}").status, 404);
    Credential wrong = KeyportServer::demo();
    wrong.token = "not-a-valid-token";
    EXPECT_EQ(KmsClient(port, wrong).call("encrypt-data", jsonBody({{"key_id", id}})).status, 401);
    EXPECT_EQ(httpRequest(port, "GET", "/no/dialect/here", "", {}).status, 404);
    // Exoscale: list keys, signed EXO2.
    const auto list = exoscale(port, "GET", "/v2/kms-key");
    EXPECT_EQ(list.status, 200) << list.body;
    // BYOK: parameters (an import token) and import on the token (RSA-OAEP unwrap).
    const std::string imported =
        importKey(c, "metrics-import", "AES_256", "ENCRYPT_DECRYPT", randomBytes(32), std::nullopt);
    EXPECT_FALSE(imported.empty());

    const Scrape second = get(port, "/metrics");
    ASSERT_EQ(second.status, 200);
    expectPromtoolClean(second.body);
    const auto after = samples(second.body);
    auto moved = [&](const std::string& series) { return at(after, series) - at(before, series); };

    // Requests, by dialect, route template and status class.
    EXPECT_EQ(moved(requests("huawei-kms", "/v1.0/{project_id}/kms/encrypt-data", "2xx")), 1);
    EXPECT_EQ(moved(requests("huawei-kms", "/v1.0/{project_id}/kms/encrypt-data", "4xx")), 1);
    EXPECT_EQ(moved(requests("huawei-kms", "/v1.0/{project_id}/kms/decrypt-data", "2xx")), 1);
    EXPECT_EQ(moved(requests("huawei-kms", "unmatched", "4xx")), 1);
    EXPECT_EQ(moved(requests("none", "unmatched", "4xx")), 1);
    EXPECT_EQ(moved(requests("exoscale", "/v2/kms-key", "2xx")), 1);
    EXPECT_GE(moved("keyport_http_request_duration_seconds_count{dialect=\"huawei-kms\",route=\"/"
                    "v1.0/{project_id}/kms/encrypt-data\",status_class=\"2xx\"}"),
              1);
    // The first scrape itself was counted (no dialect) once it was answered.
    EXPECT_GE(at(after, requests("none", "/metrics", "2xx")), 1);

    // Token operations, per mechanism: AES-GCM for the data, KWP to open the key's blob,
    // RSA-OAEP for the import, KWP wrap to seal the imported material.
    EXPECT_GE(moved(tokenOp("encrypt", "CKM_AES_GCM")), 1);
    EXPECT_GE(moved(tokenOp("decrypt", "CKM_AES_GCM")), 1);
    EXPECT_GE(moved(tokenOp("unwrap_key", "CKM_AES_KEY_WRAP_PAD")), 1);
    EXPECT_GE(moved(tokenOp("unwrap_key", "CKM_RSA_PKCS_OAEP")), 1);
    EXPECT_GE(moved(tokenOp("wrap_key", "CKM_AES_KEY_WRAP_PAD")), 1);
    EXPECT_GE(moved("keyport_token_operation_duration_seconds_count{operation=\"encrypt\","
                    "mechanism=\"CKM_AES_GCM\",region=\"cn-north-4\"}"),
              1);
    EXPECT_GE(moved("keyport_token_session_wait_seconds_count{region=\"cn-north-4\","
                    "session=\"pooled\"}"),
              1);

    // The database: every write committed in a group commit.
    EXPECT_GE(moved("keyport_db_commit_duration_seconds_count"), 2);
    EXPECT_GE(moved("keyport_db_commit_batch_jobs_count"), 2);
    EXPECT_EQ(moved("keyport_db_commit_failures_total"), 0);

    // Caches: the key's row and its session copy missed once, then hit on decrypt-data.
    EXPECT_GE(moved("keyport_cache_requests_total{cache=\"key_material\",result=\"miss\"}"), 1);
    EXPECT_GE(moved("keyport_cache_requests_total{cache=\"key_material\",result=\"hit\"}"), 1);
    EXPECT_GE(moved("keyport_cache_requests_total{cache=\"keys\",result=\"hit\"}"), 1);

    // Import.
    EXPECT_EQ(moved("keyport_import_tokens_issued_total{region=\"cn-north-4\"}"), 1);
    EXPECT_EQ(moved("keyport_key_imports_total{unwrap_path=\"on-token\"}"), 1);

    // Audit: one record per dialect request above (create, encrypt, decrypt, the 404, the
    // 401, Exoscale's list, and the import's create-key, parameters and import), none lost.
    EXPECT_GE(moved("keyport_audit_records_written_total"), 9);
    EXPECT_EQ(moved("keyport_audit_record_failures_total"), 0);

    // The sweeper runs once a second; the process figures are there.
    EXPECT_GE(at(after, "keyport_expiry_sweeps_total"), 1);
    EXPECT_EQ(at(after, "keyport_operations_pending"), 0);
    EXPECT_GT(at(after, "process_resident_memory_bytes"), 1e6);
    EXPECT_GT(at(after, "process_open_fds"), 3);
    EXPECT_NE(second.body.find("\nkeyport_build_info{version=\""), std::string::npos);
    // No object id, access key or token reaches a label.
    EXPECT_EQ(second.body.find(id), std::string::npos);
    EXPECT_EQ(second.body.find(KeyportServer::demo().accessKey), std::string::npos);
    EXPECT_EQ(second.body.find(KeyportServer::demo().projectId), std::string::npos);

    // Unauthenticated, GET only.
    EXPECT_EQ(httpRequest(port, "POST", "/metrics", "{}", {}).status, 405);
}

// The port keyportd printed for its metrics listener ("keyportd: metrics on HOST:PORT").
unsigned metricsPort(const KeyportServer& s) {
    std::ifstream in(s.dir() / "keyportd.log");
    const std::string marker = "keyportd: metrics on ";
    unsigned port = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(marker, 0) == 0)
            port = static_cast<unsigned>(std::stoul(line.substr(line.rfind(':') + 1)));
    }
    return port;
}

TEST(Metrics, MetricsAddressServesOnlyMetricsAndTheMainPortDoesNot) {
    KeyportServer server("metrics.address = 127.0.0.1:0\n");
    const unsigned port = metricsPort(server);
    ASSERT_NE(port, 0u) << "no 'keyportd: metrics on' line in keyportd.log";
    ASSERT_NE(port, server.port());

    const Scrape there = get(port, "/metrics");
    ASSERT_EQ(there.status, 200) << there.body;
    EXPECT_EQ(there.contentType, "text/plain; version=0.0.4; charset=utf-8");
    expectPromtoolClean(there.body);
    EXPECT_NE(there.body.find("# TYPE keyport_token_operations_total counter\n"),
              std::string::npos);

    // The main port has no /metrics; the metrics port has nothing else.
    EXPECT_EQ(get(server.port(), "/metrics").status, 404);
    EXPECT_EQ(get(server.port(), "/healthz").status, 200);
    EXPECT_EQ(get(port, "/healthz").status, 404);
    EXPECT_EQ(get(port, "/v1.0/" + std::string(kDemoProject) + "/kms/list-keys").status, 404);
    EXPECT_EQ(httpRequest(port, "POST", "/metrics", "{}", {}).status, 405);

    // Traffic on the main port shows on the metrics port.
    const KmsClient c(server.port(), KeyportServer::demo());
    c.createKey("metrics-elsewhere", "AES_256", "ENCRYPT_DECRYPT", "kms");
    const auto after = samples(get(port, "/metrics").body);
    EXPECT_GE(at(after, "keyport_db_commit_duration_seconds_count"), 1);
    EXPECT_GE(at(after, requests("huawei-kms", "/v1.0/{project_id}/kms/create-key", "2xx")), 1);
    EXPECT_GE(at(after, requests("none", "unmatched", "4xx")), 1);  // the main port's /metrics
}

}  // namespace
}  // namespace keyport::test
