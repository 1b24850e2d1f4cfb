// keyport tls init: a lab CA and the certificates keyportd and a mutual-TLS client need,
// under <state_dir>/tls, made with OpenSSL's API (no `openssl` command is run), and the
// --define lines that turn them on.
#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "hsm/openssl_util.h"
#include "service/core/base/config.h"
#include "tools/args.h"
#include "tools/commands.h"

namespace keyport::cli {
namespace {

namespace fs = std::filesystem;
using hsm::ossl::check;
using hsm::ossl::Deleter;
using hsm::ossl::PKey;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using NamePtr = std::unique_ptr<X509_NAME, Deleter<X509_NAME_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

constexpr long kDay = 24 * 3600;

bool isIp(const std::string& s) {
    unsigned char buf[16];
    return ::inet_pton(AF_INET, s.c_str(), buf) == 1 || ::inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

// A DNS name for a SAN ("*." allowed in front); the SAN text goes into an X509V3 config
// string, so nothing but name characters may pass.
bool isDnsName(const std::string& s) {
    if (s.empty() || s.size() > 253) return false;
    const std::string rest = s.rfind("*.", 0) == 0 ? s.substr(2) : s;
    if (rest.empty() || rest.front() == '.' || rest.back() == '.') return false;
    for (char c : rest) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
    }
    return true;
}

bool isWildcardAddress(const std::string& a) {
    return a == "0.0.0.0" || a == "::" || a.empty();
}

PKey newP256Key() {
    PKey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    check(key != nullptr, "EVP_PKEY_Q_keygen(EC P-256)");
    return key;
}

NamePtr name(const std::string& cn) {
    NamePtr n(X509_NAME_new());
    check(n != nullptr, "X509_NAME_new");
    const auto add = [&](const char* field, const std::string& v) {
        check(X509_NAME_add_entry_by_txt(n.get(), field, MBSTRING_UTF8,
                                         reinterpret_cast<const unsigned char*>(v.c_str()), -1, -1,
                                         0) == 1,
              "X509_NAME_add_entry_by_txt");
    };
    add("O", "Keyport lab");
    add("CN", cn);
    return n;
}

struct CertSpec {
    std::string commonName;
    long days = 365;
    std::vector<std::pair<int, std::string>> extensions;  // NID, X509V3 config value
};

// A certificate for `key`, signed by `issuerKey` (self-signed when issuer is null).
X509Ptr makeCert(const CertSpec& spec, EVP_PKEY* key, const X509* issuer, EVP_PKEY* issuerKey) {
    X509Ptr cert(X509_new());
    check(cert != nullptr, "X509_new");
    check(X509_set_version(cert.get(), X509_VERSION_3) == 1, "X509_set_version");
    // A random 127-bit serial (RFC 5280: positive, at most 20 octets, unpredictable).
    std::unique_ptr<BIGNUM, Deleter<BN_free>> serial(BN_new());
    check(serial && BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1,
          "BN_rand");
    check(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr,
          "BN_to_ASN1_INTEGER");
    // An hour of slack for clocks that are a little behind ours.
    check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "notBefore");
    check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.days * kDay) != nullptr, "notAfter");
    const NamePtr subject = name(spec.commonName);
    check(X509_set_subject_name(cert.get(), subject.get()) == 1, "X509_set_subject_name");
    check(X509_set_issuer_name(cert.get(),
                               issuer ? X509_get_subject_name(issuer) : subject.get()) == 1,
          "X509_set_issuer_name");
    check(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");

    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer ? const_cast<X509*>(issuer) : cert.get(), cert.get(), nullptr,
                   nullptr, 0);
    for (const auto& [nid, value] : spec.extensions) {
        ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
        check(ext != nullptr, OBJ_nid2sn(nid));
        check(X509_add_ext(cert.get(), ext.get(), -1) == 1, "X509_add_ext");
    }
    check(X509_sign(cert.get(), issuerKey ? issuerKey : key, EVP_sha256()) > 0, "X509_sign");
    return cert;
}

std::string pem(const X509* cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    check(bio && PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509");
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

// PKCS#8 PEM, unencrypted (keyportd reads it unattended; the file mode protects it). The
// memory BIO is wiped before it is freed.
std::string pem(const EVP_PKEY* key) {
    BioPtr bio(BIO_new(BIO_s_secmem()));
    check(
        bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM_write_bio_PrivateKey");
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

void wipe(std::string& s) {
    OPENSSL_cleanse(s.data(), s.size());
    s.clear();
}

// Written next to its final name and renamed over it, so a reader (or a crash) sees the
// old file or the whole new one; fsync'd with its directory.
void writeAtomically(const fs::path& file, const std::string& data, mode_t mode) {
    const fs::path tmp = file.string() + ".tmp";
    ::unlink(tmp.c_str());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        throw std::runtime_error("cannot create " + tmp.string() + ": " + std::strerror(errno));
    std::size_t off = 0;
    bool ok = ::fchmod(fd, mode) == 0;  // not narrowed by the umask either way
    while (ok && off < data.size()) {
        const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) off += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    const int err = errno;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), file.c_str()) != 0) {
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot write " + file.string() + ": " +
                                 std::strerror(ok ? errno : err));
    }
}

void syncDir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)::fsync(fd);
        ::close(fd);
    }
}

std::string sanEntry(const std::string& host) {
    return (isIp(host) ? "IP:" : "DNS:") + host;
}

std::string dateOf(const X509* cert) {
    const ASN1_TIME* t = X509_get0_notAfter(cert);
    std::tm tm{};
    check(ASN1_TIME_to_tm(t, &tm) == 1, "ASN1_TIME_to_tm");
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

}  // namespace

int tlsInit(const Argv& argv) {
    const Args args(argv, {"config", "define", "host", "client"}, {"force"});
    std::vector<std::string> defines = args.all("define");
    // Only the state dir and the listen address are needed here; a config that listens on
    // another address without TLS yet (what this command is about to fix) must still load.
    defines.push_back("server.plain_http_on_any_address=true");
    const Config config = Config::load(args.required("config"), defines);

    std::vector<std::string> hosts = {"localhost", "127.0.0.1", "::1"};
    const auto addHost = [&](const std::string& h) {
        for (const auto& have : hosts)
            if (have == h) return;
        hosts.push_back(h);
    };
    if (!isWildcardAddress(config.server.address)) addHost(config.server.address);
    for (const auto& h : args.all("host")) {
        if (!isIp(h) && !isDnsName(h))
            throw UsageError("--host '" + h + "' is neither an IP address nor a DNS name");
        addHost(h);
    }
    const bool withClient = args.has("client");
    const std::string client = args.get("client");
    if (withClient) {
        bool ok = !client.empty() && client.size() <= 64;
        for (char c : client) ok = ok && static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
        if (!ok) throw UsageError("--client must be 1-64 printable characters (the CN)");
    }

    const fs::path dir = config.stateDir / "tls";
    std::vector<std::string> names = {"ca.crt", "ca.key", "server.crt", "server.key"};
    if (withClient) names.insert(names.end(), {"client.crt", "client.key"});
    if (!args.has("force")) {
        for (const auto& n : names) {
            if (fs::exists(dir / n)) {
                throw std::runtime_error((dir / n).string() +
                                         " already exists; --force replaces every file of "
                                         "the lab CA (clients must then trust the new ca.crt)");
            }
        }
    }
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);

    const PKey caKey = newP256Key();
    const X509Ptr ca = makeCert({"Keyport lab CA",
                                 3650,
                                 {{NID_basic_constraints, "critical,CA:TRUE"},
                                  {NID_key_usage, "critical,keyCertSign,cRLSign"},
                                  {NID_subject_key_identifier, "hash"}}},
                                caKey.get(), nullptr, nullptr);

    std::string san;
    for (const auto& h : hosts) san += (san.empty() ? "" : ",") + sanEntry(h);
    const PKey serverKey = newP256Key();
    const X509Ptr server = makeCert({"keyportd",
                                     365,
                                     {{NID_basic_constraints, "critical,CA:FALSE"},
                                      {NID_key_usage, "critical,digitalSignature"},
                                      {NID_ext_key_usage, "serverAuth"},
                                      {NID_subject_alt_name, san},
                                      {NID_subject_key_identifier, "hash"},
                                      {NID_authority_key_identifier, "keyid:always"}}},
                                    serverKey.get(), ca.get(), caKey.get());

    struct File {
        std::string name, data;
        mode_t mode;
    };
    std::vector<File> files = {{"ca.crt", pem(ca.get()), 0644},
                               {"ca.key", pem(caKey.get()), 0600},
                               {"server.crt", pem(server.get()), 0644},
                               {"server.key", pem(serverKey.get()), 0600}};
    if (withClient) {
        const PKey clientKey = newP256Key();
        const X509Ptr cert = makeCert({client,
                                       365,
                                       {{NID_basic_constraints, "critical,CA:FALSE"},
                                        {NID_key_usage, "critical,digitalSignature"},
                                        {NID_ext_key_usage, "clientAuth"},
                                        {NID_subject_key_identifier, "hash"},
                                        {NID_authority_key_identifier, "keyid:always"}}},
                                      clientKey.get(), ca.get(), caKey.get());
        files.push_back({"client.crt", pem(cert.get()), 0644});
        files.push_back({"client.key", pem(clientKey.get()), 0600});
    }
    // Keys first: a certificate never sits on disk without its key. During a --force run a
    // new key can meet the old certificate for a moment; keyportd's key check refuses that
    // pair rather than serving it.
    for (auto& f : files)
        if (f.mode == 0600) writeAtomically(dir / f.name, f.data, f.mode);
    for (auto& f : files)
        if (f.mode != 0600) writeAtomically(dir / f.name, f.data, f.mode);
    for (auto& f : files) wipe(f.data);
    syncDir(dir);

    const std::string d = dir.string() + "/";
    const std::string& a = config.server.address;
    const std::string host = isWildcardAddress(a) || a.rfind("127.", 0) == 0 ? "127.0.0.1"
                             : a.find(':') != std::string::npos              ? "[" + a + "]"
                                                                             : a;
    const std::string port =
        config.server.port == 0 ? std::string("PORT") : std::to_string(config.server.port);
    const std::string url = "https://" + host + ":" + port + "/healthz";

    std::printf("lab TLS files in %s:\n", dir.c_str());
    std::printf("  ca.crt      the lab CA (EC P-256, until %s): clients trust it\n",
                dateOf(ca.get()).c_str());
    std::printf(
        "  ca.key      the lab CA's private key: whoever holds it can make certificates every\n"
        "              client here trusts; in a real deployment a CA key belongs offline, not\n"
        "              next to the service (mode 0600)\n");
    std::printf("  server.crt  keyportd's certificate (until %s) for %s\n",
                dateOf(server.get()).c_str(), san.c_str());
    std::printf("  server.key  its private key (mode 0600)\n");
    if (withClient) {
        std::printf("  client.crt  a client certificate for mutual TLS, CN=%s\n", client.c_str());
        std::printf("  client.key  its private key (mode 0600)\n");
    }
    std::printf("\nstart keyportd with:\n");
    std::printf("  --define server.tls.cert_file=%sserver.crt\n", d.c_str());
    std::printf("  --define server.tls.key_file=%sserver.key\n", d.c_str());
    if (withClient) {
        std::printf("  --define server.tls.client_ca_file=%sca.crt\n", d.c_str());
        std::printf(
            "  (the last turns on mutual TLS: every client then needs a certificate "
            "from this CA)\n");
    }
    std::printf("\nthen:\n  curl --cacert %sca.crt %s\n", d.c_str(), url.c_str());
    if (withClient) {
        std::printf("  curl --cacert %sca.crt --cert %sclient.crt --key %sclient.key %s\n",
                    d.c_str(), d.c_str(), d.c_str(), url.c_str());
    }
    return 0;
}

}  // namespace keyport::cli
