// `keyport tls init` end to end: the files and their modes, the certificates verified with
// OpenSSL's API and with `openssl verify`, the SANs and key usages, the printed --define
// lines, and no overwrite without --force.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "tests/cli/cli_runner.h"

namespace keyport::test {
namespace {

namespace fs = std::filesystem;

struct X509Free {
    void operator()(X509* x) const { X509_free(x); }
};
using Cert = std::unique_ptr<X509, X509Free>;

Cert load(const fs::path& file) {
    FILE* f = std::fopen(file.c_str(), "r");
    if (f == nullptr) return nullptr;
    Cert c(PEM_read_X509(f, nullptr, nullptr, nullptr));
    std::fclose(f);
    return c;
}

unsigned mode(const fs::path& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0xffff;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// X509_verify_cert of `leaf` against `ca` alone, for `purpose`; "" or the error text.
std::string verify(X509* leaf, X509* ca, int purpose) {
    std::unique_ptr<X509_STORE, void (*)(X509_STORE*)> store(X509_STORE_new(), X509_STORE_free);
    X509_STORE_add_cert(store.get(), ca);
    std::unique_ptr<X509_STORE_CTX, void (*)(X509_STORE_CTX*)> ctx(X509_STORE_CTX_new(),
                                                                   X509_STORE_CTX_free);
    X509_STORE_CTX_init(ctx.get(), store.get(), leaf, nullptr);
    X509_STORE_CTX_set_purpose(ctx.get(), purpose);
    if (X509_verify_cert(ctx.get()) == 1) return "";
    return X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
}

std::set<std::string> sans(X509* cert) {
    std::set<std::string> out;
    auto* names =
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
        if (n->type == GEN_DNS) {
            out.insert("DNS:" + std::string(reinterpret_cast<const char*>(
                                                ASN1_STRING_get0_data(n->d.dNSName)),
                                            ASN1_STRING_length(n->d.dNSName)));
        } else if (n->type == GEN_IPADD) {
            const int len = ASN1_STRING_length(n->d.iPAddress);
            char text[INET6_ADDRSTRLEN] = "?";
            ::inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(n->d.iPAddress), text,
                        sizeof text);
            out.insert(std::string("IP:") + text);
        }
    }
    GENERAL_NAMES_free(names);
    return out;
}

std::string subject(X509* cert) {
    char buf[256];
    X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
    return buf;
}

int shell(const std::string& cmd) {
    return std::system((cmd + " >/dev/null 2>&1").c_str());
}

class TlsInit : public ::testing::Test {
  protected:
    void SetUp() override {
        cli_.writeConfig("regions = a\nserver.address = 192.0.2.7\nserver.port = 8443\n");
        tls_ = cli_.stateDir() / "tls";
    }
    CliRunner cli_;
    fs::path tls_;
};

TEST_F(TlsInit, MakesACaAndAServerCertificateItSigned) {
    const auto r = cli_.run({"tls", "init", "--host", "kms.lab.example", "--host", "10.1.2.3"});
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(mode(tls_), 0700u);
    EXPECT_EQ(mode(tls_ / "ca.key"), 0600u);
    EXPECT_EQ(mode(tls_ / "server.key"), 0600u);
    EXPECT_EQ(mode(tls_ / "ca.crt"), 0644u);
    EXPECT_EQ(mode(tls_ / "server.crt"), 0644u);
    EXPECT_FALSE(fs::exists(tls_ / "client.crt"));
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(tls_)) names.insert(e.path().filename());
    EXPECT_EQ(names, (std::set<std::string>{"ca.crt", "ca.key", "server.crt", "server.key"}));

    const Cert ca = load(tls_ / "ca.crt");
    const Cert server = load(tls_ / "server.crt");
    ASSERT_TRUE(ca && server);
    EXPECT_EQ(verify(server.get(), ca.get(), X509_PURPOSE_SSL_SERVER), "");
    EXPECT_NE(verify(server.get(), ca.get(), X509_PURPOSE_SSL_CLIENT), "");  // EKU serverAuth
    EXPECT_EQ(X509_check_host(server.get(), "localhost", 0, 0, nullptr), 1);
    EXPECT_EQ(X509_check_ip_asc(server.get(), "127.0.0.1", 0), 1);
    EXPECT_EQ(X509_check_ip_asc(server.get(), "::1", 0), 1);
    EXPECT_EQ(X509_check_ip_asc(server.get(), "192.0.2.7", 0), 1);  // server.address
    EXPECT_EQ(X509_check_host(server.get(), "kms.lab.example", 0, 0, nullptr), 1);
    EXPECT_EQ(X509_check_host(server.get(), "other.example", 0, 0, nullptr), 0);
    EXPECT_EQ(sans(server.get()),
              (std::set<std::string>{"DNS:localhost", "IP:127.0.0.1", "IP:::1", "IP:192.0.2.7",
                                     "DNS:kms.lab.example", "IP:10.1.2.3"}));

    // The CA: critical CA:TRUE, may sign certificates and CRLs only; ten years.
    EXPECT_EQ(X509_check_ca(ca.get()), 1);
    EXPECT_EQ(X509_get_key_usage(ca.get()), static_cast<uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
    const int bc = X509_get_ext_by_NID(ca.get(), NID_basic_constraints, -1);
    ASSERT_GE(bc, 0);
    EXPECT_EQ(X509_EXTENSION_get_critical(X509_get_ext(ca.get(), bc)), 1);
    EXPECT_EQ(X509_check_ca(server.get()), 0);
    int days = 0, secs = 0;
    ASSERT_EQ(ASN1_TIME_diff(&days, &secs, nullptr, X509_get0_notAfter(ca.get())), 1);
    EXPECT_GT(days, 3640);
    ASSERT_EQ(ASN1_TIME_diff(&days, &secs, nullptr, X509_get0_notAfter(server.get())), 1);
    EXPECT_GE(days, 360);
    EXPECT_LE(days, 398);
    EXPECT_EQ(EVP_PKEY_get_bits(X509_get0_pubkey(server.get())), 256);
    EXPECT_EQ(EVP_PKEY_get_base_id(X509_get0_pubkey(server.get())), EVP_PKEY_EC);

    // The openssl command agrees.
    EXPECT_EQ(shell("openssl verify -purpose sslserver -CAfile " + (tls_ / "ca.crt").string() +
                    " " + (tls_ / "server.crt").string()),
              0);
    EXPECT_EQ(shell("openssl pkey -noout -in " + (tls_ / "server.key").string()), 0);

    // What to do next, with absolute paths.
    const std::string d = tls_.string() + "/";
    EXPECT_NE(r.out.find("--define server.tls.cert_file=" + d + "server.crt\n"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("--define server.tls.key_file=" + d + "server.key\n"), std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("server.tls.client_ca_file"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("curl --cacert " + d + "ca.crt https://192.0.2.7:8443/healthz"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("belongs offline"), std::string::npos) << r.out;
    // No key material on stdout.
    EXPECT_EQ(r.out.find("PRIVATE KEY"), std::string::npos);
}

TEST_F(TlsInit, ClientCertificateForMutualTls) {
    cli_.writeConfig("regions = a\n");
    const auto r = cli_.run({"tls", "init", "--client", "ops-alice"});
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(mode(tls_ / "client.key"), 0600u);
    const Cert ca = load(tls_ / "ca.crt");
    const Cert client = load(tls_ / "client.crt");
    ASSERT_TRUE(ca && client);
    EXPECT_EQ(verify(client.get(), ca.get(), X509_PURPOSE_SSL_CLIENT), "");
    EXPECT_NE(verify(client.get(), ca.get(), X509_PURPOSE_SSL_SERVER), "");  // EKU clientAuth
    EXPECT_EQ(subject(client.get()), "/O=Keyport lab/CN=ops-alice");
    EXPECT_EQ(shell("openssl verify -purpose sslclient -CAfile " + (tls_ / "ca.crt").string() +
                    " " + (tls_ / "client.crt").string()),
              0);
    const std::string d = tls_.string() + "/";
    EXPECT_NE(r.out.find("--define server.tls.client_ca_file=" + d + "ca.crt"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("--cert " + d + "client.crt --key " + d + "client.key"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("https://127.0.0.1:8080/healthz"), std::string::npos) << r.out;
}

TEST_F(TlsInit, RefusesToOverwriteWithoutForce) {
    ASSERT_EQ(cli_.run({"tls", "init"}).exitCode, 0);
    const std::string caBefore = slurp(tls_ / "ca.crt");
    const std::string keyBefore = slurp(tls_ / "server.key");
    const auto again = cli_.run({"tls", "init"});
    EXPECT_EQ(again.exitCode, 1) << again.out;
    EXPECT_NE(again.out.find("already exists; --force replaces"), std::string::npos) << again.out;
    EXPECT_EQ(slurp(tls_ / "ca.crt"), caBefore);
    EXPECT_EQ(slurp(tls_ / "server.key"), keyBefore);
    // A client certificate later still needs --force (it would come from a new CA).
    EXPECT_EQ(cli_.run({"tls", "init", "--client", "bob"}).exitCode, 1);
    EXPECT_FALSE(fs::exists(tls_ / "client.crt"));

    const auto forced = cli_.run({"tls", "init", "--force"});
    ASSERT_EQ(forced.exitCode, 0) << forced.out;
    EXPECT_NE(slurp(tls_ / "ca.crt"), caBefore);
    EXPECT_NE(slurp(tls_ / "server.key"), keyBefore);
    EXPECT_EQ(mode(tls_ / "server.key"), 0600u);
    for (const auto& e : fs::directory_iterator(tls_))
        EXPECT_NE(e.path().extension(), ".tmp") << "leftover " << e.path();
}

// A config that listens on another address without TLS loads for this command (it is
// how TLS gets set up), and bad options are usage errors.
TEST_F(TlsInit, WorksForAnAnyAddressConfigAndRejectsBadNames) {
    cli_.writeConfig("regions = a\nserver.address = 0.0.0.0\n");
    const auto ok = cli_.run({"tls", "init"});
    ASSERT_EQ(ok.exitCode, 0) << ok.out;
    EXPECT_EQ(sans(load(tls_ / "server.crt").get()),
              (std::set<std::string>{"DNS:localhost", "IP:127.0.0.1", "IP:::1"}));
    for (const std::vector<std::string>& bad :
         {std::vector<std::string>{"tls", "init", "--force", "--host", "a,DNS:evil.example"},
          std::vector<std::string>{"tls", "init", "--force", "--host", "bad name"},
          std::vector<std::string>{"tls", "init", "--force", "--client", ""},
          std::vector<std::string>{"tls", "init", "--force", "--client", "a\nb"},
          std::vector<std::string>{"tls", "init", "--force", "--bogus"}}) {
        const auto r = cli_.run(bad);
        EXPECT_EQ(r.exitCode, 2) << bad.back() << "\n" << r.out;
    }
}

}  // namespace
}  // namespace keyport::test
