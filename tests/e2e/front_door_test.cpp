// The front door against hostile and sloppy clients, over raw sockets to a real keyportd:
// idle and trickling connections cost no worker, deadlines close slow peers, connection
// caps hold, strict framing answers once and closes, pipelining and HTTP/1.0 behave, a
// full queue gets 503 + Retry-After; and an in-process server leaves no thread or fd.
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "service/api/front/connection.h"
#include "service/api/front/status_text.h"
#include "service/api/front/worker_pool.h"
#include "service/api/http_server.h"
#include "service/api/router.h"
#include "tests/e2e/kms_client.h"

namespace keyport::test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// One raw TCP connection from a chosen local address (127.0.0.x are distinct peers).
class Raw {
  public:
    explicit Raw(unsigned port, const char* from = "127.0.0.1") {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        ::inet_pton(AF_INET, from, &local.sin_addr);
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0)
            throw std::runtime_error("bind");
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(static_cast<std::uint16_t>(port));
        ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0)
            throw std::runtime_error("connect");
    }
    ~Raw() {
        if (fd_ >= 0) ::close(fd_);
    }
    Raw(const Raw&) = delete;
    Raw& operator=(const Raw&) = delete;

    // False once the peer closed or reset.
    bool send(const std::string& bytes) {
        std::size_t off = 0;
        while (off < bytes.size()) {
            const ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return false;
            off += static_cast<std::size_t>(n);
        }
        return true;
    }

    // Reads until the peer closes or `timeout` passes; closed() says which.
    std::string readUntilClosed(milliseconds timeout) {
        std::string got;
        const auto end = Clock::now() + timeout;
        while (Clock::now() < end) {
            if (!readSome(got, end)) break;
        }
        return got;
    }

    // Reads one response (head + Content-Length body); "" on timeout or close before it.
    std::string readResponse(milliseconds timeout) {
        const auto end = Clock::now() + timeout;
        for (;;) {
            const auto headEnd = buffer_.find("\r\n\r\n");
            if (headEnd != std::string::npos) {
                std::size_t length = 0;
                const auto cl = buffer_.find("Content-Length: ");
                if (cl != std::string::npos && cl < headEnd)
                    length = std::stoul(buffer_.substr(cl + 16));
                if (buffer_.size() >= headEnd + 4 + length) {
                    std::string one = buffer_.substr(0, headEnd + 4 + length);
                    buffer_.erase(0, one.size());
                    return one;
                }
            }
            if (Clock::now() >= end || !readSome(buffer_, end)) return {};
        }
    }

    bool closed() const { return closed_; }
    // True when the server closes the connection within `timeout` (without a byte more).
    bool closedWithin(milliseconds timeout) {
        readUntilClosed(timeout);
        return closed_;
    }

  private:
    bool readSome(std::string& into, Clock::time_point end) {
        const auto left = std::chrono::duration_cast<milliseconds>(end - Clock::now()).count();
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(std::max<long>(left, 0))) <= 0) return false;
        char buf[65536];
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) {
            closed_ = true;
            return false;
        }
        into.append(buf, static_cast<std::size_t>(n));
        return true;
    }

    int fd_ = -1;
    bool closed_ = false;
    std::string buffer_;
};

std::string statusLine(const std::string& response) {
    return response.substr(0, response.find("\r\n"));
}

// /healthz over a fresh connection, with a generous timeout (a loaded 2-core machine).
std::string healthz(unsigned port, const char* from = "127.0.0.1") {
    Raw r(port, from);
    r.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
    return statusLine(r.readResponse(milliseconds(10000)));
}

// Started on first use (provisioning costs seconds), stopped after the last test.
std::unique_ptr<KeyportServer> g_strict, g_caps, g_busy;

KeyportServer& lazily(std::unique_ptr<KeyportServer>& s, const char* config) {
    if (!s) s = std::make_unique<KeyportServer>(config);
    return *s;
}

// Short deadlines: these tests assert that slow peers are closed.
KeyportServer& strictServer() {
    return lazily(g_strict,
                  "server.threads = 2\n"
                  "server.header_timeout_ms = 500\n"
                  "server.keepalive_timeout_ms = 700\n"
                  "server.body_min_bytes_per_second = 1000\n");
}

// Long deadlines and tight caps: idle connections stay, the caps decide.
KeyportServer& capServer() {
    return lazily(g_caps,
                  "server.threads = 2\n"
                  "server.header_timeout_ms = 60000\n"
                  "server.keepalive_timeout_ms = 60000\n"
                  "server.max_connections_per_peer = 320\n"
                  "server.max_connections = 330\n");
}

// One worker and one queue slot: a burst of requests overflows the queue.
KeyportServer& busyServer() {
    return lazily(g_busy,
                  "server.threads = 1\n"
                  "server.max_queued = 1\n");
}

class Servers : public ::testing::Environment {
  public:
    void TearDown() override {
        g_strict.reset();
        g_caps.reset();
        g_busy.reset();
    }
};
const auto* const g_env = ::testing::AddGlobalTestEnvironment(new Servers);

std::string kmsPath(const std::string& action) {
    return "/v1.0/" + std::string(kDemoProject) + "/kms/" + action;
}

std::string createKeyRequest(const std::string& alias) {
    const std::string body =
        R"({"key_alias":")" + alias + R"(","key_spec":"AES_256","key_usage":"ENCRYPT_DECRYPT"})";
    return "POST " + kmsPath("create-key") + " HTTP/1.1\r\nHost: t\r\nX-Auth-Token: " + kDemoToken +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
}

TEST(FrontDoor, IdleConnectionsCostNoWorkerAndCapsHold) {
    const unsigned port = capServer().port();
    std::vector<std::unique_ptr<Raw>> idle;
    for (int i = 0; i < 300; ++i) idle.push_back(std::make_unique<Raw>(port));
    // 300 idle connections on 2 workers: /healthz still answers (from another peer, so
    // that the probe's own connection never counts against 127.0.0.1's cap below).
    EXPECT_EQ(healthz(port, "127.0.0.2"), "HTTP/1.1 200 OK");
    std::this_thread::sleep_for(milliseconds(300));  // the probe's close reaches the server
    // Up to the per-peer cap (320) from 127.0.0.1 ...
    for (int i = 0; i < 20; ++i) idle.push_back(std::make_unique<Raw>(port));
    // ... and the 321st from it is closed at once, while another peer is served.
    Raw over(port);
    EXPECT_TRUE(over.closedWithin(milliseconds(3000)));
    Raw other(port, "127.0.0.2");
    other.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_EQ(statusLine(other.readResponse(milliseconds(10000))), "HTTP/1.1 200 OK");
    // Total cap 330: 320 + `other` + 9 more from 127.0.0.3 fill it; the next is closed.
    std::vector<std::unique_ptr<Raw>> more;
    for (int i = 0; i < 9; ++i) more.push_back(std::make_unique<Raw>(port, "127.0.0.3"));
    EXPECT_EQ(statusLine([&] {
                  more.back()->send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
                  return more.back()->readResponse(milliseconds(10000));
              }()),
              "HTTP/1.1 200 OK");
    Raw full(port, "127.0.0.4");
    EXPECT_TRUE(full.closedWithin(milliseconds(3000)));
    // The connections already open are unaffected.
    EXPECT_TRUE(idle.front()->send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_EQ(statusLine(idle.front()->readResponse(milliseconds(10000))), "HTTP/1.1 200 OK");
    // Once they go, new connections are welcome again.
    idle.clear();
    more.clear();
    std::string status;
    for (int attempt = 0; attempt < 50 && status != "HTTP/1.1 200 OK"; ++attempt) {
        std::this_thread::sleep_for(milliseconds(100));
        status = healthz(port, "127.0.0.4");
    }
    EXPECT_EQ(status, "HTTP/1.1 200 OK");
}

TEST(FrontDoor, HeaderTricklerIsClosedWhileOthersAreServed) {
    const unsigned port = strictServer().port();
    Raw trickler(port);
    const std::string head =
        "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    std::atomic<bool> stop{false};
    std::thread others([&] {
        while (!stop) {
            EXPECT_EQ(healthz(port), "HTTP/1.1 200 OK");
            std::this_thread::sleep_for(milliseconds(50));
        }
    });
    const auto start = Clock::now();
    bool closed = false;
    for (std::size_t i = 0; i < head.size() * 4 && !closed; ++i) {
        closed = !trickler.send(std::string(1, head[i % head.size()])) ||
                 trickler.closedWithin(milliseconds(100));
    }
    stop = true;
    others.join();
    EXPECT_TRUE(closed) << "a 1-byte-per-100ms trickler still open after " << head.size() * 4 * 100
                        << " ms";
    // The header timeout is 500 ms: well before the trickle would end.
    EXPECT_LT(Clock::now() - start, milliseconds(6000));
}

TEST(FrontDoor, SlowBodyBelowTheMinimumRateIsClosed) {
    Raw slow(strictServer().port());
    // 2,000 bytes at 1,000 B/s minimum: deadline 0.5 s + 2 s; sent at 100 B/s it would take 20.
    ASSERT_TRUE(slow.send("POST " + kmsPath("create-key") +
                          " HTTP/1.1\r\nHost: t\r\nContent-Length: 2000\r\n\r\n"));
    const auto start = Clock::now();
    bool closed = false;
    while (!closed && Clock::now() - start < milliseconds(15000)) {
        closed = !slow.send(std::string(10, 'x')) || slow.closedWithin(milliseconds(100));
    }
    EXPECT_TRUE(closed);
    EXPECT_LT(Clock::now() - start, milliseconds(10000));
}

TEST(FrontDoor, IdleKeepAliveConnectionIsClosed) {
    Raw r(strictServer().port());
    r.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_EQ(statusLine(r.readResponse(milliseconds(10000))), "HTTP/1.1 200 OK");
    const auto start = Clock::now();
    EXPECT_TRUE(r.closedWithin(milliseconds(6000)));  // keep-alive timeout 700 ms
    EXPECT_GE(Clock::now() - start, milliseconds(300));
}

TEST(FrontDoor, SmugglingThroughFFGetsOne400AndTheHiddenRequestNeverRuns) {
    const unsigned port = strictServer().port();
    const std::string alias = "smuggled-" + std::to_string(::getpid());
    Raw r(port);
    r.send("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Pad: a\xff\r\n" + createKeyRequest(alias));
    const std::string all = r.readUntilClosed(milliseconds(10000));
    EXPECT_TRUE(r.closed());
    EXPECT_EQ(statusLine(all), "HTTP/1.1 400 Bad Request");
    std::size_t answers = 0;
    for (auto at = all.find("HTTP/1.1 "); at != std::string::npos;
         at = all.find("HTTP/1.1 ", at + 1))
        ++answers;
    EXPECT_EQ(answers, 1u) << all;
    // The alias is still free: create-key with it is the first and succeeds.
    KmsClient kms(port, KeyportServer::demo());
    EXPECT_NO_THROW(kms.createKey(alias, "AES_256", "ENCRYPT_DECRYPT", "kms"));
    EXPECT_THROW(kms.createKey(alias, "AES_256", "ENCRYPT_DECRYPT", "kms"), std::runtime_error)
        << "a duplicate alias must be refused, or the check above proves nothing";
}

TEST(FrontDoor, PostWithoutLengthGets411AtOnce) {
    Raw r(strictServer().port());
    const auto start = Clock::now();
    r.send("POST " + kmsPath("create-key") + " HTTP/1.1\r\nHost: t\r\n\r\n");
    const std::string res = r.readResponse(milliseconds(10000));
    EXPECT_EQ(statusLine(res), "HTTP/1.1 411 Length Required");
    EXPECT_NE(res.find("Connection: close"), std::string::npos);
    EXPECT_LT(Clock::now() - start, milliseconds(3000));
    EXPECT_TRUE(r.closedWithin(milliseconds(5000)));
}

TEST(FrontDoor, OversizedHeaderSectionGets431) {
    Raw r(strictServer().port());
    r.send("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
    EXPECT_EQ(statusLine(r.readResponse(milliseconds(10000))),
              "HTTP/1.1 431 " + std::string(api::front::reasonPhrase(431)));
    EXPECT_TRUE(r.closedWithin(milliseconds(5000)));
}

TEST(FrontDoor, GigabyteBodyGets413WithinASecondUnread) {
    Raw r(strictServer().port());
    const auto start = Clock::now();
    r.send("POST " + kmsPath("create-key") + " HTTP/1.1\r\nHost: t\r\nX-Auth-Token: " + kDemoToken +
           "\r\nContent-Length: 1073741824\r\n\r\n");
    const std::string res = r.readResponse(milliseconds(5000));
    EXPECT_LT(Clock::now() - start, milliseconds(1000));
    EXPECT_EQ(statusLine(res), "HTTP/1.1 413 " + std::string(api::front::reasonPhrase(413)));
    EXPECT_NE(res.find("\"error_code\""), std::string::npos) << res;  // the KMS shape
    // A client that keeps writing its body still got the answer; then it is closed.
    for (int i = 0; i < 8 && r.send(std::string(64 * 1024, 'x')); ++i) {
    }
    EXPECT_TRUE(r.closedWithin(milliseconds(8000)));
}

TEST(FrontDoor, StatusLinesCarryTheirReasonPhrase) {
    const unsigned port = strictServer().port();
    Raw r(port);
    r.send("GET /v1.0/" + std::string(kDemoProject) +
           "/kms/no-such-action HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_EQ(statusLine(r.readResponse(milliseconds(10000))), "HTTP/1.1 404 Not Found");
    r.send("GET " + kmsPath("create-key") + " HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_EQ(statusLine(r.readResponse(milliseconds(10000))), "HTTP/1.1 405 Method Not Allowed");
    EXPECT_EQ(api::front::reasonPhrase(404), "Not Found");
}

TEST(FrontDoor, ExpectContinueGets100BeforeTheBody) {
    Raw r(strictServer().port());
    r.send(
        "POST /healthz HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    EXPECT_EQ(r.readResponse(milliseconds(10000)), "HTTP/1.1 100 Continue\r\n\r\n");
    r.send("{}");
    EXPECT_EQ(statusLine(r.readResponse(milliseconds(10000))), "HTTP/1.1 405 Method Not Allowed");
}

TEST(FrontDoor, PipelinedRequestsAreAnsweredInOrder) {
    Raw r(strictServer().port());
    r.send(
        "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
        "GET /no-such-path HTTP/1.1\r\nHost: t\r\n\r\n"
        "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_EQ(statusLine(r.readResponse(milliseconds(10000))), "HTTP/1.1 200 OK");
    EXPECT_EQ(statusLine(r.readResponse(milliseconds(10000))), "HTTP/1.1 404 Not Found");
    EXPECT_EQ(statusLine(r.readResponse(milliseconds(10000))), "HTTP/1.1 200 OK");
}

TEST(FrontDoor, Http10ClosesUnlessKeepAlive) {
    const unsigned port = strictServer().port();
    Raw once(port);
    once.send("GET /healthz HTTP/1.0\r\n\r\n");
    EXPECT_EQ(statusLine(once.readResponse(milliseconds(10000))), "HTTP/1.1 200 OK");
    EXPECT_TRUE(once.closedWithin(milliseconds(3000)));
    Raw kept(port);
    kept.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    const std::string res = kept.readResponse(milliseconds(10000));
    EXPECT_NE(res.find("Connection: keep-alive"), std::string::npos) << res;
    kept.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    EXPECT_EQ(statusLine(kept.readResponse(milliseconds(10000))), "HTTP/1.1 200 OK");
}

TEST(FrontDoor, FullQueueGets503WithRetryAfter) {
    const unsigned port = busyServer().port();
    // 64 create-key requests land at once on one worker with one queue slot.
    std::vector<std::unique_ptr<Raw>> clients;
    for (int i = 0; i < 64; ++i) clients.push_back(std::make_unique<Raw>(port));
    const std::string tag = std::to_string(::getpid());
    for (int i = 0; i < 64; ++i)
        clients[i]->send(createKeyRequest("busy-" + tag + "-" + std::to_string(i)));
    int ok = 0, busy = 0;
    for (auto& c : clients) {
        const std::string res = c->readResponse(milliseconds(30000));
        const std::string line = statusLine(res);
        if (line == "HTTP/1.1 200 OK") {
            ++ok;
        } else if (line == "HTTP/1.1 503 Service Unavailable") {
            ++busy;
            EXPECT_NE(res.find("Retry-After: 1\r\n"), std::string::npos) << res;
            EXPECT_NE(res.find("\"error_code\""), std::string::npos) << res;  // the KMS shape
            EXPECT_TRUE(c->closedWithin(milliseconds(5000)));
        } else {
            ADD_FAILURE() << "unexpected answer: " << line;
        }
    }
    EXPECT_GE(ok, 1);
    EXPECT_GE(busy, 1);
    EXPECT_EQ(healthz(port), "HTTP/1.1 200 OK");
}

// The queue behind the 503, deterministically: one worker busy, one request queued, the
// next refused at once (never waited on).
TEST(FrontDoor, WorkerPoolRefusesPastMaxQueued) {
    std::vector<std::unique_ptr<api::front::Connection>> conns;
    for (int i = 0; i < 3; ++i) {
        conns.push_back(std::make_unique<api::front::Connection>(
            ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), "peer", api::front::ParseLimits{}));
    }
    std::atomic<int> started{0};
    std::atomic<bool> release{false};
    api::front::WorkerPool pool(1, 1, [&](api::front::Connection&) {
        ++started;
        while (!release) std::this_thread::sleep_for(milliseconds(5));
    });
    pool.start();
    ASSERT_TRUE(pool.tryPush(conns[0].get()));
    for (int i = 0; i < 2000 && started == 0; ++i) std::this_thread::sleep_for(milliseconds(5));
    ASSERT_EQ(started, 1);
    EXPECT_TRUE(pool.tryPush(conns[1].get()));   // waits for the worker
    EXPECT_FALSE(pool.tryPush(conns[2].get()));  // the queue is full
    release = true;
    pool.stop();  // runs what was queued, then joins
    EXPECT_EQ(started, 2);
}

std::size_t entries(const char* dir) {
    std::size_t n = 0;
    if (DIR* d = ::opendir(dir)) {
        while (::readdir(d) != nullptr) ++n;
        ::closedir(d);
    }
    return n;
}

TEST(FrontDoor, StoppedServersLeaveNoThreadOrDescriptor) {
    api::Router router;
    router.add("GET", "/healthz", [](api::Request&) { return api::Response::json(200, "{}"); });
    ServerConfig config;
    config.port = 0;
    config.threads = 4;
    const std::size_t threads = entries("/proc/self/task");
    const std::size_t fds = entries("/proc/self/fd");
    for (int round = 0; round < 20; ++round) {
        api::HttpServer server(config, router);
        server.start();
        Raw idle(server.port());  // open when the server stops
        EXPECT_EQ(healthz(server.port()), "HTTP/1.1 200 OK");
        server.stop();
        EXPECT_TRUE(idle.closedWithin(milliseconds(3000)));
    }
    EXPECT_EQ(entries("/proc/self/task"), threads);
    EXPECT_EQ(entries("/proc/self/fd"), fds);
}

}  // namespace
}  // namespace keyport::test
