// `keyport bench hostile`: keyportd's front door under a bounded, loopback attack — idle
// and header-trickling connections from 127.0.0.1 — while a normal client on 127.0.0.2
// measures /healthz and encrypt-data; then whether the process is back as it was (threads,
// fds, memory). The server runs in-process on a fresh state dir, as in `bench http`.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <malloc.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "service/api/frontend.h"
#include "service/core/base/state_dir.h"
#include "service/core/services.h"
#include "service/core/tokens/provisioning.h"
#include "tools/args.h"
#include "tools/bench_state.h"
#include "tools/commands.h"

namespace keyport::cli {
namespace {

// AddressSanitizer quarantines freed memory, so RSS after an attack says nothing about
// leaks there (LeakSanitizer does); the RSS target is judged in normal builds only.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kRssMeaningful = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kRssMeaningful = false;
#else
constexpr bool kRssMeaningful = true;
#endif
#else
constexpr bool kRssMeaningful = true;
#endif

using Clock = std::chrono::steady_clock;

constexpr char kAttacker[] = "127.0.0.1";
constexpr char kNormal[] = "127.0.0.2";  // another peer: the per-peer limit is not its problem
constexpr char kTricklePrefix[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-a: ";

double secondsSince(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

std::runtime_error sysError(const std::string& what) {
    return std::runtime_error(what + ": " + std::strerror(errno));
}

sockaddr_in ipv4(const char* address, unsigned port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    if (inet_pton(AF_INET, address, &a.sin_addr) != 1) throw std::runtime_error("bad address");
    return a;
}

// A TCP socket bound to `source` (any port) and connecting to 127.0.0.1:port.
int connectFrom(const char* source, unsigned port, bool nonBlocking) {
    const int fd =
        ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0), 0);
    if (fd < 0) throw sysError("socket");
    const int one = 1;
    ::setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    const sockaddr_in src = ipv4(source, 0);
    const sockaddr_in dst = ipv4("127.0.0.1", port);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&src), sizeof src) != 0 ||
        (::connect(fd, reinterpret_cast<const sockaddr*>(&dst), sizeof dst) != 0 &&
         errno != EINPROGRESS)) {
        const auto e = sysError(std::string("connect from ") + source);
        ::close(fd);
        throw e;
    }
    return fd;
}

// What the process holds: the figures that must be the same after the attack as before.
struct ProcessFigures {
    long threads = 0;
    long fds = 0;
    long rssKiB = 0;
};

// The entries of a /proc directory ("." and ".." not counted; in /proc/self/fd, the
// directory's own descriptor is one of them, the same before and after).
long entries(const char* dir) {
    long n = 0;
    if (DIR* d = ::opendir(dir)) {
        while (const dirent* e = ::readdir(d)) {
            if (e->d_name[0] != '.') ++n;
        }
        ::closedir(d);
    }
    return n;
}

ProcessFigures processFigures() {
    ::malloc_trim(0);  // freed memory back to the system, so RSS says what is still held
    ProcessFigures f;
    f.threads = entries("/proc/self/task");
    f.fds = entries("/proc/self/fd");
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with("VmRSS:")) f.rssKiB = std::atol(line.c_str() + 6);
    }
    return f;
}

// The attack needs a few thousand descriptors on each side of the loopback.
void raiseFdLimit() {
    rlimit r{};
    if (::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &r);
    }
}

// The normal client: blocking HTTP/1.1 over one keep-alive connection from 127.0.0.2 (or a
// new connection per request), its own code so every I/O error and timeout is counted as
// what it is — no retry hides one.
class NormalClient {
  public:
    NormalClient(unsigned port, bool keepAlive) : port_(port), keepAlive_(keepAlive) {}
    ~NormalClient() { disconnect(); }
    NormalClient(const NormalClient&) = delete;
    NormalClient& operator=(const NormalClient&) = delete;

    // Sends one request; returns the status and the body; throws on I/O error or timeout.
    int send(const std::string& request, std::string* body = nullptr) {
        try {
            if (fd_ < 0) open();
            writeAll(request);
            const int status = readResponse(body);
            if (!keepAlive_) disconnect();
            return status;
        } catch (...) {
            disconnect();
            throw;
        }
    }

  private:
    void open() {
        fd_ = connectFrom(kNormal, port_, false);
        timeval tv{5, 0};  // a request stuck this long is a failure
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        buf_.clear();
    }

    void disconnect() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    void writeAll(const std::string& data) {
        for (std::size_t off = 0; off < data.size();) {
            const ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
            if (n <= 0) throw sysError("send");
            off += static_cast<std::size_t>(n);
        }
    }

    void readMore() {
        char chunk[16384];
        const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n == 0) throw std::runtime_error("connection closed by the server");
        if (n < 0) throw sysError(errno == EAGAIN ? "timeout (5 s)" : "recv");
        buf_.append(chunk, static_cast<std::size_t>(n));
    }

    int readResponse(std::string* body) {
        std::size_t end;
        while ((end = buf_.find("\r\n\r\n")) == std::string::npos) readMore();
        const std::string head = buf_.substr(0, end + 2);
        if (!head.starts_with("HTTP/1.1 ") || head.size() < 12)
            throw std::runtime_error("not an HTTP/1.1 status line");
        const int status = std::atoi(head.c_str() + 9);
        std::string lower = head;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        const auto cl = lower.find("\r\ncontent-length:");
        if (cl == std::string::npos) throw std::runtime_error("response without Content-Length");
        const auto length = std::strtoull(head.c_str() + cl + 17, nullptr, 10);
        while (buf_.size() < end + 4 + length) readMore();
        if (body) *body = buf_.substr(end + 4, length);
        buf_.erase(0, end + 4 + length);
        if (lower.find("\r\nconnection: close") != std::string::npos) disconnect();
        return status;
    }

    unsigned port_;
    bool keepAlive_;
    int fd_ = -1;
    std::string buf_;
};

std::string httpRequest(const std::string& method, const std::string& path,
                        const std::string& token, const std::string& body) {
    std::string r = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!token.empty()) r += "X-Auth-Token: " + token + "\r\n";
    if (method == "POST") {
        r += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\n";
    }
    return r + "\r\n" + body;
}

// One measured request stream: paced (a normal client, not a load generator), every
// latency kept.
struct Series {
    std::string name;
    std::vector<double> micros;
    std::uint64_t failures = 0;
    std::string firstError;

    double percentile(double p) const {
        if (micros.empty()) return 0;
        std::vector<double> v = micros;
        std::sort(v.begin(), v.end());
        return v[std::min(v.size() - 1,
                          static_cast<std::size_t>(p * static_cast<double>(v.size())))];
    }
};

Series measure(std::string name, NormalClient& client, const std::string& request, double seconds,
               std::chrono::microseconds interval) {
    Series s{std::move(name), {}, 0, {}};
    const auto end = Clock::now() + std::chrono::duration<double>(seconds);
    auto next = Clock::now();
    while (Clock::now() < end) {
        std::this_thread::sleep_until(next);
        next += interval;
        const auto t0 = Clock::now();
        try {
            const int status = client.send(request);
            if (status != 200) throw std::runtime_error("HTTP " + std::to_string(status));
            s.micros.push_back(
                std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
        } catch (const std::exception& e) {
            ++s.failures;
            if (s.firstError.empty()) s.firstError = e.what();
        }
        if (next < Clock::now()) next = Clock::now();  // late: do not burst to catch up
    }
    return s;
}

// The normal client's three streams, run side by side.
struct NormalLoad {
    NormalClient healthz, encrypt, fresh;
    std::string healthzRequest, encryptRequest;

    NormalLoad(unsigned port, std::string encryptReq)
        : healthz(port, true),
          encrypt(port, true),
          fresh(port, false),
          healthzRequest(httpRequest("GET", "/healthz", "", "")),
          encryptRequest(std::move(encryptReq)) {}

    std::vector<Series> run(double seconds) {
        std::vector<Series> out(3);
        std::thread a([&] {
            out[0] = measure("GET /healthz", healthz, healthzRequest, seconds,
                             std::chrono::microseconds(1000));
        });
        std::thread b([&] {
            out[1] = measure("encrypt-data 1 KiB", encrypt, encryptRequest, seconds,
                             std::chrono::microseconds(1000));
        });
        out[2] = measure("GET /healthz, new connection each", fresh, healthzRequest, seconds,
                         std::chrono::microseconds(10000));
        a.join();
        b.join();
        return out;
    }
};

void printSeries(const std::vector<Series>& all) {
    std::printf("  %-36s %9s %8s %9s %9s %9s\n", "", "requests", "failed", "p50 ms", "p99 ms",
                "max ms");
    for (const auto& s : all) {
        std::printf("  %-36s %9zu %8llu %9.2f %9.2f %9.2f\n", s.name.c_str(), s.micros.size(),
                    static_cast<unsigned long long>(s.failures), s.percentile(0.5) / 1000,
                    s.percentile(0.99) / 1000, s.percentile(1.0) / 1000);
        if (!s.firstError.empty()) std::printf("    first failure: %s\n", s.firstError.c_str());
    }
}

// The attacker: every connection on one epoll in one thread. Idle ones connect and send
// nothing; tricklers send the start of a head, then one more byte each second. A close by
// the server (EOF, reset, a failed send) is noted with the connection's lifetime.
class Attack {
  public:
    Attack(unsigned port, unsigned idleCount, unsigned trickleCount) : port_(port) {
        ep_ = ::epoll_create1(EPOLL_CLOEXEC);
        if (ep_ < 0) throw sysError("epoll_create1");
        conns_.resize(idleCount + trickleCount);
        for (unsigned i = 0; i < conns_.size(); ++i) conns_[i].trickle = i >= idleCount;
    }
    ~Attack() { closeAll(); }
    Attack(const Attack&) = delete;
    Attack& operator=(const Attack&) = delete;

    struct Kind {
        unsigned connected = 0, failedToConnect = 0, openAtEnd = 0;
        std::vector<double> lifetimes;  // seconds from connect to the server's close
    };
    Kind idle, trickle;

    // Opens every connection, then waits up to `within` seconds until all are connected.
    void open(double within) {
        for (std::uint32_t i = 0; i < conns_.size(); ++i) {
            try {
                conns_[i].fd = connectFrom(kAttacker, port_, true);
            } catch (const std::exception&) {
                ++kind(conns_[i]).failedToConnect;
                continue;
            }
            epoll_event ev{};
            ev.events = EPOLLOUT;
            ev.data.u32 = i;
            ::epoll_ctl(ep_, EPOLL_CTL_ADD, conns_[i].fd, &ev);
            ++pending_;
        }
        const auto until = Clock::now() + std::chrono::duration<double>(within);
        while (pending_ > 0 && Clock::now() < until) poll(100);
    }

    // Keeps the attack up until `stop`: one byte a second on every live trickler.
    void run(const std::atomic<bool>& stop) {
        auto tick = Clock::now() + std::chrono::seconds(1);
        while (!stop) {
            poll(50);
            if (Clock::now() < tick) continue;
            tick += std::chrono::seconds(1);
            for (auto& c : conns_) {
                if (c.fd < 0 || !c.connected || !c.trickle) continue;
                if (::send(c.fd, "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno != EAGAIN)
                    closedByServer(c);
            }
        }
    }

    // The end of the attack: whatever is still open is closed by us, and the epoll set.
    void closeAll() {
        for (auto& c : conns_) {
            if (c.fd < 0) continue;
            if (c.connected) ++kind(c).openAtEnd;
            ::close(c.fd);
            c.fd = -1;
        }
        if (ep_ >= 0) ::close(ep_);
        ep_ = -1;
    }

  private:
    struct Conn {
        int fd = -1;
        bool trickle = false;
        bool connected = false;
        Clock::time_point connectedAt;
    };

    Kind& kind(const Conn& c) { return c.trickle ? trickle : idle; }

    void poll(int timeoutMs) {
        epoll_event events[256];
        const int n = ::epoll_wait(ep_, events, 256, timeoutMs);
        for (int k = 0; k < n; ++k) handle(conns_[events[k].data.u32], events[k].events);
    }

    void handle(Conn& c, std::uint32_t events) {
        if (c.fd < 0) return;
        if (!c.connected) {
            int err = 0;
            socklen_t len = sizeof err;
            ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
            --pending_;
            if (err != 0 || (events & (EPOLLERR | EPOLLHUP))) {
                ++kind(c).failedToConnect;
                ::close(c.fd);
                c.fd = -1;
                return;
            }
            c.connected = true;
            c.connectedAt = Clock::now();
            ++kind(c).connected;
            if (c.trickle &&
                ::send(c.fd, kTricklePrefix, sizeof kTricklePrefix - 1, MSG_NOSIGNAL) < 0) {
                closedByServer(c);
                return;
            }
            epoll_event ev{};
            ev.events = EPOLLIN | EPOLLRDHUP;
            ev.data.u32 = static_cast<std::uint32_t>(&c - conns_.data());
            ::epoll_ctl(ep_, EPOLL_CTL_MOD, c.fd, &ev);
            return;
        }
        char sink[4096];  // an answer (408, 431...) before the close is read and dropped
        ssize_t n;
        while ((n = ::recv(c.fd, sink, sizeof sink, MSG_DONTWAIT)) > 0) {
        }
        if (n == 0 || (n < 0 && errno != EAGAIN) || (events & (EPOLLHUP | EPOLLERR)))
            closedByServer(c);
    }

    void closedByServer(Conn& c) {
        kind(c).lifetimes.push_back(secondsSince(c.connectedAt));
        ::close(c.fd);  // closing removes it from the epoll set
        c.fd = -1;
    }

    unsigned port_;
    int ep_ = -1;
    std::vector<Conn> conns_;
    unsigned pending_ = 0;
};

bool report(const std::string& what, const std::string& figure, const std::string& target,
            bool met) {
    std::printf("  %-44s %12s  target %-28s %s\n", what.c_str(), figure.c_str(), target.c_str(),
                met ? "met" : "MISSED");
    return met;
}

std::string fmt(const char* f, double v) {
    char b[64];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

void printKind(const char* name, unsigned asked, const Attack::Kind& k) {
    std::vector<double> t = k.lifetimes;
    std::sort(t.begin(), t.end());
    std::printf("  %-9s connected %u/%u (failed %u); closed by the server %zu", name, k.connected,
                asked, k.failedToConnect, t.size());
    if (!t.empty()) {
        std::printf(", lifetime min %.2f s, median %.2f s, max %.2f s", t.front(), t[t.size() / 2],
                    t.back());
    }
    std::printf("; still open at the end %u\n", k.openAtEnd);
}

std::string createAesKey(NormalClient& http, const std::string& project, const std::string& token) {
    std::string body;
    const int status = http.send(
        httpRequest(
            "POST", "/v1.0/" + project + "/kms/create-key", token,
            R"({"key_alias":"hostile-aes","key_spec":"AES_256","key_usage":"ENCRYPT_DECRYPT","origin":"kms"})"),
        &body);
    if (status != 200) throw std::runtime_error("create-key: HTTP " + std::to_string(status));
    return Poco::JSON::Parser()
        .parse(body)
        .extract<Poco::JSON::Object::Ptr>()
        ->getObject("key_info")
        ->getValue<std::string>("key_id");
}

}  // namespace

int benchHostile(const Argv& argv) {
    const Args args(argv, {"config", "define", "region", "idle", "trickle", "seconds"},
                    {"keep-state"});
    const auto idle = static_cast<unsigned>(args.number("idle", 1000, 0, 100000));
    const auto trickle = static_cast<unsigned>(args.number("trickle", 1000, 0, 100000));
    const double seconds = static_cast<double>(args.number("seconds", 15, 1, 3600));
    raiseFdLimit();
    BenchState bench = provisionBenchState(
        args,
        {"server.max_connections_per_peer=4096", "server.max_connections=8192", "log.level=error"});
    const std::filesystem::path& state = bench.dir;
    Config& config = bench.config;
    const std::string region = args.get("region", config.regions.front().name);

    bool allMet = true;
    {
        Services services(config);
        if (!services.regions->has(region))
            throw UsageError("--region '" + region + "' is not configured");
        api::Frontend frontend(services);
        services.startServing();
        frontend.start();
        const unsigned port = frontend.port();
        const auto cred = services.tenancy->addCredential(
            "bench-domain", "0b0e0c0b0e0c40aa8bb0c0d0e0f01234", region, Role::Admin);
        std::printf(
            "keyport bench hostile: in-process keyportd on 127.0.0.1:%u (server.threads "
            "%u, header timeout %lld ms), state %s\n",
            port, config.server.threads, static_cast<long long>(config.server.headerTimeoutMs),
            state.c_str());
        std::printf(
            "attack from %s: %u idle + %u header-trickling connections; normal client "
            "from %s for %.0f s\n\n",
            kAttacker, idle, trickle, kNormal, seconds);

        std::string keyId;
        {
            NormalClient setup(port, false);
            keyId = createAesKey(setup, cred.principal.projectId, cred.xAuthToken);
        }
        NormalLoad load(
            port, httpRequest("POST", "/v1.0/" + cred.principal.projectId + "/kms/encrypt-data",
                              cred.xAuthToken,
                              R"({"key_id":")" + keyId + R"(","plain_text":")" +
                                  std::string(1024, 'k') + R"("})"));
        std::printf("-- normal client, no attack (1 s) --\n");
        printSeries(load.run(1));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const ProcessFigures before = processFigures();

        Attack attack(port, idle, trickle);
        const auto attackStart = Clock::now();
        attack.open(5);
        std::printf("\n-- attack: %u + %u connections opened in %.2f s --\n", attack.idle.connected,
                    attack.trickle.connected, secondsSince(attackStart));
        std::atomic<bool> stop{false};
        std::thread attacker([&] { attack.run(stop); });
        std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let the server accept
        const ProcessFigures during = processFigures();
        std::printf("-- normal client under attack (%.0f s) --\n", seconds);
        std::fflush(stdout);
        const auto series = load.run(seconds);
        stop = true;
        attacker.join();
        attack.closeAll();
        printSeries(series);
        std::printf("\n-- attack connections --\n");
        printKind("idle", idle, attack.idle);
        printKind("trickling", trickle, attack.trickle);

        // The server sees the attacker's closes and lets go of them: give it a moment.
        ProcessFigures after;
        const long rssSlackKiB = std::max(4096L, before.rssKiB / 10);
        const auto rssSettled = [&] {
            return !kRssMeaningful || after.rssKiB <= before.rssKiB + rssSlackKiB;
        };
        const auto settled = [&] {
            return after.threads <= before.threads && after.fds <= before.fds + 4 && rssSettled();
        };
        const auto settleStart = Clock::now();
        do {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            after = processFigures();
        } while (!settled() && secondsSince(settleStart) < 5);

        std::printf("\n-- process, before / after the attack (after %.1f s to settle) --\n",
                    secondsSince(settleStart));
        std::printf("  threads %ld / %ld, open fds %ld / %ld, RSS %ld / %ld KiB\n", before.threads,
                    after.threads, before.fds, after.fds, before.rssKiB, after.rssKiB);
        std::printf(
            "  during the attack (0.5 s in; both ends of every connection are in this "
            "process): threads %ld, open fds %ld, RSS %ld KiB\n",
            during.threads, during.fds, during.rssKiB);

        std::printf("\n-- targets --\n");
        for (const auto& s : series) {
            allMet &= report(s.name + ": failures", std::to_string(s.failures), "0",
                             s.failures == 0 && !s.micros.empty());
            allMet &= report(s.name + ": p99", fmt("%.2f ms", s.percentile(0.99) / 1000), "< 50 ms",
                             !s.micros.empty() && s.percentile(0.99) < 50000);
        }
        // A trickler is past the header deadline; an idle connection past that or the
        // keep-alive idle timeout, whichever the engine applies to a request not yet begun.
        // Each gets 2 s of grace; judged only when the attack lasted that long.
        const auto ms = [](std::int64_t v) { return static_cast<double>(v) / 1000; };
        const double trickleDeadline = ms(config.server.headerTimeoutMs) + 2;
        const double idleDeadline =
            std::max(ms(config.server.headerTimeoutMs), ms(config.server.keepAliveTimeoutMs)) + 2;
        for (const auto& [name, k, asked, deadline] :
             {std::tuple{"idle", &attack.idle, idle, idleDeadline},
              std::tuple{"trickling", &attack.trickle, trickle, trickleDeadline}}) {
            const std::string what = std::string(name) + " connections closed by the server";
            if (seconds < deadline) {
                std::printf("  %-44s (not judged: --seconds %.0f < %.1f s)\n", what.c_str(),
                            seconds, deadline);
                continue;
            }
            const bool closedInTime =
                k->lifetimes.size() == asked &&
                std::all_of(k->lifetimes.begin(), k->lifetimes.end(),
                            [limit = deadline](double t) { return t <= limit; });
            allMet &=
                report(what, std::to_string(k->lifetimes.size()) + "/" + std::to_string(asked),
                       "all, each within " + fmt("%.1f s", deadline), closedInTime);
        }
        allMet &= report("threads after", std::to_string(after.threads),
                         "<= " + std::to_string(before.threads) + " (before)",
                         after.threads <= before.threads);
        allMet &= report("open fds after", std::to_string(after.fds),
                         "<= " + std::to_string(before.fds + 4) + " (before + 4)",
                         after.fds <= before.fds + 4);
        allMet &= report(
            "RSS after (KiB)", std::to_string(after.rssKiB),
            kRssMeaningful ? "<= " + std::to_string(before.rssKiB + rssSlackKiB) + " (before + 10%)"
                           : "skipped: AddressSanitizer keeps freed memory",
            rssSettled());
        frontend.stop();
    }
    if (!args.has("keep-state")) std::filesystem::remove_all(state);
    return allMet ? 0 : 1;
}

}  // namespace keyport::cli
