#include "tests/e2e/keyport_server.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace keyport::test {
namespace fs = std::filesystem;
namespace {

std::string shellQuote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// Three regions keep provisioning quick; two Huawei regions for cross-region cases.
constexpr char kConfig[] = R"(keyport.state_dir = ./var
hsm.module = softhsm2
hsm.softhsm.manage = true
hsm.transport_key_bits = 2048
regions = cn-north-4, cn-south-1, ap-southeast-1
server.address = 127.0.0.1
server.port = 0
server.threads = 32
server.body_limit = 65536
import.host_assisted_oaep = true
demo.domain = demo-domain
demo.project = 0a1b2c3d4e5f40718293a4b5c6d7e8f9
demo.region = cn-north-4
demo.x_auth_token = keyport-demo-token-do-not-use-in-production
demo.access_key = KEYPORTDEMOACCESSKEY
demo.secret_key = keyport-demo-secret-key-do-not-use-in-production
)";

}  // namespace

KeyportServer::KeyportServer(const std::string& extraConfig) {
    std::string tmpl = (fs::temp_directory_path() / "keyport-e2e-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    // Relative state_dir resolves against the working directory: make it absolute here.
    std::string text = kConfig;
    text.replace(text.find("./var"), 5, (dir_ / "var").string());
    std::ofstream(configFile()) << text << extraConfig << "\n";
    cli({"token", "init"});
    start();
}

KeyportServer::~KeyportServer() {
    try {
        stop();
    } catch (...) {
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

void KeyportServer::start() {
    const fs::path log = dir_ / "keyportd.log";
    const auto offset = fs::exists(log) ? fs::file_size(log) : 0;
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        const std::string config = configFile().string();
        ::execl(KEYPORTD_PATH, "keyportd", "--config", config.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    // keyportd's first line says where it listens; an exit before it means it did not start.
    const std::string marker = "keyportd: listening on ";
    for (int i = 0; i < 600; ++i) {
        std::ifstream in(log);
        in.seekg(static_cast<std::streamoff>(offset));
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind(marker, 0) != 0) continue;
            const auto colon = line.rfind(':', line.find(" ("));
            port_ = static_cast<unsigned>(std::stoul(line.substr(colon + 1)));
            return;
        }
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            std::ostringstream all;
            in.clear();
            in.seekg(static_cast<std::streamoff>(offset));
            all << in.rdbuf();
            throw std::runtime_error("keyportd exited at start-up: " + all.str());
        }
        ::usleep(50 * 1000);
    }
    kill9();
    throw std::runtime_error("keyportd did not start within 30 s");
}

void KeyportServer::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

void KeyportServer::kill9() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

CliResult runKeyport(const std::vector<std::string>& args) {
    const auto errFile =
        std::filesystem::temp_directory_path() /
        ("keyport-cli-" + std::to_string(::getpid()) + "-" +
         std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id())) + ".err");
    std::string cmd = shellQuote(KEYPORT_CLI_PATH);
    // append(): see tests/cli/cli_runner.cpp (GCC 12's false -Wrestrict at -O3).
    for (const auto& a : args) cmd.append(" ").append(shellQuote(a));
    cmd.append(" </dev/null 2>").append(shellQuote(errFile.string()));
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) throw std::runtime_error("popen failed");
    CliResult r;
    std::array<char, 4096> buf;
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    const int status = ::pclose(p);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream err(errFile);
    r.err.assign(std::istreambuf_iterator<char>(err), {});
    std::filesystem::remove(errFile);
    return r;
}

std::string KeyportServer::cli(const std::vector<std::string>& args) const {
    std::vector<std::string> full = args;
    full.insert(full.end(), {"--config", configFile().string()});
    const CliResult r = runKeyport(full);
    if (r.exitCode != 0)
        throw std::runtime_error("keyport " + args.front() + " failed: " + r.out + r.err);
    return r.out;
}

Credential KeyportServer::addCredential(const std::string& domain, const std::string& project,
                                        const std::string& region, const std::string& role) const {
    const std::string out = cli({"credentials", "add", "--domain", domain, "--project", project,
                                 "--region", region, "--role", role});
    auto o = Poco::JSON::Parser().parse(out).extract<Poco::JSON::Object::Ptr>();
    return Credential{
        o->getValue<std::string>("domain_id"),  o->getValue<std::string>("project_id"),
        o->getValue<std::string>("region"),     o->getValue<std::string>("x_auth_token"),
        o->getValue<std::string>("access_key"), o->getValue<std::string>("secret_key")};
}

Credential KeyportServer::demo() {
    return Credential{"demo-domain", kDemoProject,   "cn-north-4",
                      kDemoToken,    kDemoAccessKey, kDemoSecretKey};
}

}  // namespace keyport::test
