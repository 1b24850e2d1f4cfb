#include "service/api/front/event_loop.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/crypto.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "service/api/front/response_writer.h"
#include "service/api/front/tls_context.h"
#include "service/api/json.h"
#include "service/api/log_text.h"

namespace keyport::api::front {
namespace {

constexpr std::size_t kScratch = 64 * 1024;
constexpr int kReadsPerEvent = 16;              // then re-armed: one client cannot hog the loop
constexpr std::int64_t kScanEveryMs = 100;      // the deadline scan
constexpr std::int64_t kLingerMs = 2000;        // after a closing answer: read and discard
constexpr std::size_t kLingerBytes = 1u << 20;  // ... at most this much

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// The peer's address bytes: IPv4 and IPv4-mapped IPv6 count as the same peer.
std::string peerKey(const sockaddr_storage& ss) {
    if (ss.ss_family == AF_INET) {
        const auto& a = reinterpret_cast<const sockaddr_in&>(ss).sin_addr;
        return std::string(reinterpret_cast<const char*>(&a), 4);
    }
    if (ss.ss_family == AF_INET6) {
        const auto& a = reinterpret_cast<const sockaddr_in6&>(ss).sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(&a)) return std::string(reinterpret_cast<const char*>(&a) + 12, 4);
        return std::string(reinterpret_cast<const char*>(&a), 16);
    }
    return {};
}

// The peer's address as text, for logs and audit records.
std::string peerText(const sockaddr_storage& ss) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (ss.ss_family == AF_INET) {
        const auto& a = reinterpret_cast<const sockaddr_in&>(ss).sin_addr;
        if (::inet_ntop(AF_INET, &a, buf, sizeof buf) != nullptr) return buf;
    } else if (ss.ss_family == AF_INET6) {
        const auto& a = reinterpret_cast<const sockaddr_in6&>(ss).sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(&a)) {
            if (::inet_ntop(AF_INET, reinterpret_cast<const char*>(&a) + 12, buf, sizeof buf))
                return buf;
        } else if (::inet_ntop(AF_INET6, &a, buf, sizeof buf) != nullptr) {
            return buf;
        }
    }
    return {};
}

int bindListener(const ServerConfig& config) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(config.port);
    if (const int rc = ::getaddrinfo(config.address.c_str(), service.c_str(), &hints, &found);
        rc != 0) {
        throw std::runtime_error("server.address '" + config.address + "': " + ::gai_strerror(rc));
    }
    std::string why = "no address";
    for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
        const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                                ai->ai_protocol);
        if (fd < 0) continue;
        // SO_REUSEADDR (restart while old connections sit in TIME_WAIT) but never
        // SO_REUSEPORT: a second keyportd on the same port must fail to start.
        const int on = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0) {
            ::freeaddrinfo(found);
            return fd;
        }
        why = std::strerror(errno);
        ::close(fd);
    }
    ::freeaddrinfo(found);
    throw std::runtime_error("cannot listen on " + config.address + ":" + service + ": " + why);
}

}  // namespace

EventLoop::EventLoop(const ServerConfig& config, const RequestPipeline& pipeline,
                     const TlsContext* tls)
    : config_(config),
      pipeline_(pipeline),
      tls_(tls),
      limits_{config.maxHeaderBytes, config.maxHeaders, config.bodyLimit},
      scratch_(kScratch),
      pool_(config.threads, config.maxQueued, [this](Connection& c) { serve(c); }) {
    listenFd_ = bindListener(config);
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&ss), &len);
    port_ = ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6&>(ss).sin6_port
                                           : reinterpret_cast<sockaddr_in&>(ss).sin_port);
    epollFd_ = ::epoll_create1(EPOLL_CLOEXEC);
    wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    spareFd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (epollFd_ < 0 || wakeFd_ < 0) {
        const std::string why = std::strerror(errno);
        for (int fd : {listenFd_, epollFd_, wakeFd_, spareFd_}) {
            if (fd >= 0) ::close(fd);
        }
        throw std::runtime_error("epoll: " + why);
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &listenFd_;
    ::epoll_ctl(epollFd_, EPOLL_CTL_ADD, listenFd_, &ev);
    ev.data.ptr = &wakeFd_;
    ::epoll_ctl(epollFd_, EPOLL_CTL_ADD, wakeFd_, &ev);
}

EventLoop::~EventLoop() {
    stop();
    for (Connection* c : connections_) delete c;
    connections_.clear();
    for (int* fd : {&listenFd_, &epollFd_, &wakeFd_, &spareFd_}) {
        if (*fd >= 0) ::close(*fd);
        *fd = -1;
    }
}

void EventLoop::start() {
    if (started_) return;
    started_ = true;
    pool_.start();
    thread_ = std::thread([this] { run(); });
}

void EventLoop::stop() {
    if (!started_) return;
    stopRequested_.store(true);
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wakeFd_, &one, sizeof one);
    if (thread_.joinable()) thread_.join();
    pool_.stop();
    started_ = false;
}

unsigned EventLoop::port() const {
    return port_;
}

void EventLoop::run() {
    epoll_event events[256];
    std::int64_t lastScan = nowMs();
    for (;;) {
        const int n = ::epoll_wait(epollFd_, events, 256, static_cast<int>(kScanEveryMs));
        for (int i = 0; i < n; ++i) {
            void* tag = events[i].data.ptr;
            if (tag == &listenFd_) {
                acceptAll();
            } else if (tag == &wakeFd_) {
                std::uint64_t count;
                [[maybe_unused]] const auto r = ::read(wakeFd_, &count, sizeof count);
            } else {
                handle(*static_cast<Connection*>(tag));
            }
        }
        const std::int64_t now = nowMs();
        if (now - lastScan >= kScanEveryMs) {
            scanDeadlines(now);
            lastScan = now;
        }
        if (stopRequested_.load() && !stopping_.load()) beginStop();
        if (stopping_.load() && connections_.empty()) return;
    }
}

void EventLoop::acceptAll() {
    for (;;) {
        sockaddr_storage ss{};
        socklen_t len = sizeof ss;
        const int fd = ::accept4(listenFd_, reinterpret_cast<sockaddr*>(&ss), &len,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if ((errno == EMFILE || errno == ENFILE) && spareFd_ >= 0) {
                // Out of descriptors: take this one and close it, or the level-triggered
                // listener would spin on it.
                ::close(spareFd_);
                const int victim = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
                if (victim >= 0) ::close(victim);
                spareFd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
                continue;
            }
            return;  // EAGAIN, or an error the next readiness retries
        }
        std::string peer = peerKey(ss);
        auto& count = perPeer_[peer];
        if (connections_.size() >= config_.maxConnections ||
            count >= config_.maxConnectionsPerPeer) {
            if (count == 0) perPeer_.erase(peer);
            ::close(fd);
            continue;
        }
        const int on = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        auto* c = new Connection(fd, std::move(peer), limits_);
        c->peerAddress = peerText(ss);
        try {
            c->transport = tls_ != nullptr ? tls_->accept(fd) : plainTransport(fd);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "keyportd: cannot set up a connection: %s\n", e.what());
            delete c;
            if (count == 0) perPeer_.erase(peerKey(ss));
            continue;
        }
        ++count;
        c->index = connections_.size();
        connections_.push_back(c);
        // The header deadline runs from accept for the first request (TLS handshake included).
        c->headerClock = true;
        c->deadline.store(nowMs() + config_.headerTimeoutMs, std::memory_order_relaxed);
        c->phase = tls_ != nullptr ? Connection::Phase::Handshake : Connection::Phase::Reading;
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLONESHOT;
        ev.data.ptr = c;
        if (::epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &ev) != 0) close(*c);
    }
}

void EventLoop::arm(Connection& c, unsigned events) {
    epoll_event ev{};
    ev.events = events | EPOLLONESHOT;
    ev.data.ptr = &c;
    ::epoll_ctl(epollFd_, EPOLL_CTL_MOD, c.fd, &ev);
}

void EventLoop::handle(Connection& c) {
    if (c.broken) return close(c);
    switch (c.phase) {
        case Connection::Phase::Handshake:
            return handleHandshake(c);
        case Connection::Phase::Reading:
            return handleReading(c);
        case Connection::Phase::Writing:
            return handleWriting(c);
        case Connection::Phase::Lingering:
            return handleLingering(c);
        case Connection::Phase::Working:
            return;  // not armed while a worker holds it
    }
}

void EventLoop::handleHandshake(Connection& c) {
    switch (c.transport->handshake()) {
        case Io::Ok:
            c.subject = c.transport->peerSubject();
            // (the TLS transport logs the mutual-TLS subject once; the internal-error line
            // names it too)
            c.phase = Connection::Phase::Reading;
            return handleReading(c);
        case Io::WantRead:
            return arm(c, EPOLLIN);
        case Io::WantWrite:
            return arm(c, EPOLLOUT);
        default:
            return close(c);
    }
}

void EventLoop::handleReading(Connection& c) {
    switch (pump(c, scratch_.data(), scratch_.size())) {
        case Step::Wait:
            return arm(c, c.events);
        case Step::Closed:
            return close(c);
        case Step::Failed:
            return answerAndClose(c, parseError(c));
        case Step::Complete:
            c.phase = Connection::Phase::Working;
            c.deadline.store(kNoDeadline, std::memory_order_relaxed);
            if (pool_.tryPush(&c)) return;
            {
                Request& req = c.parser.request();
                req.peer = c.peerAddress;
                req.peerSubject = c.subject;
                Response busy = pipeline_.early(req, 503, "the server is busy; retry in a moment");
                busy.headers.emplace_back("Retry-After", "1");
                return answerAndClose(c, std::move(busy));
            }
    }
}

Response EventLoop::parseError(Connection& c) const {
    Request& req = c.parser.request();
    req.peer = c.peerAddress;
    req.peerSubject = c.subject;
    return pipeline_.early(req, c.parser.errorStatus(), c.parser.errorMessage());
}

void EventLoop::answerAndClose(Connection& c, Response res) {
    c.clearOut();
    writeResponse(c.out, res, false, ConnectionHeader::Close);
    wipe(res.body);
    c.closeAfterWrite = true;
    c.phase = Connection::Phase::Writing;
    c.deadline.store(nowMs() + config_.writeTimeoutMs, std::memory_order_relaxed);
    handleWriting(c);
}

void EventLoop::handleWriting(Connection& c) {
    switch (flush(c)) {
        case Step::Wait:
            return arm(c, c.events);
        case Step::Complete:
            return afterWrite(c);
        default:
            return close(c);
    }
}

void EventLoop::afterWrite(Connection& c) {
    c.clearOut();
    if (c.closeAfterWrite) return linger(c);
    resetForNext(c);
    c.phase = Connection::Phase::Reading;
    handleReading(c);
}

void EventLoop::linger(Connection& c) {
    c.clearLeftover();
    if (stopping_.load()) return close(c);
    // Shut the write side and read what the client still sends: a client that writes
    // its whole (refused) body before reading then gets the answer instead of a reset.
    c.transport->shutdown();
    ::shutdown(c.fd, SHUT_WR);
    c.phase = Connection::Phase::Lingering;
    c.lingered = 0;
    c.deadline.store(nowMs() + kLingerMs, std::memory_order_relaxed);
    handleLingering(c);
}

void EventLoop::handleLingering(Connection& c) {
    for (;;) {
        const ssize_t n = ::recv(c.fd, scratch_.data(), scratch_.size(), 0);
        if (n > 0) {
            OPENSSL_cleanse(scratch_.data(), static_cast<std::size_t>(n));
            c.lingered += static_cast<std::size_t>(n);
            if (c.lingered >= kLingerBytes) return close(c);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return arm(c, EPOLLIN);
        return close(c);
    }
}

void EventLoop::close(Connection& c) {
    Connection* last = connections_.back();
    connections_[c.index] = last;
    last->index = c.index;
    connections_.pop_back();
    if (auto it = perPeer_.find(c.peer); it != perPeer_.end() && --it->second == 0) {
        perPeer_.erase(it);
    }
    delete &c;
}

void EventLoop::scanDeadlines(std::int64_t now) {
    for (Connection* c : connections_) {
        std::int64_t d = c->deadline.load(std::memory_order_relaxed);
        if (d > now) continue;
        // Whoever waits on it gets the event (EOF or an error) and closes it; the scan
        // itself never frees a connection that a worker might be about to re-arm.
        if (c->deadline.compare_exchange_strong(d, kNoDeadline)) ::shutdown(c->fd, SHUT_RDWR);
    }
}

void EventLoop::beginStop() {
    stopping_.store(true);
    ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, listenFd_, nullptr);
    ::close(listenFd_);
    listenFd_ = -1;
    // Every connection that waits for a request sees EOF at once; one held by a worker
    // is answered (with Connection: close), then sees it.
    for (Connection* c : connections_) ::shutdown(c->fd, SHUT_RD);
}

void EventLoop::resetForNext(Connection& c) {
    c.parser.reset();
    c.headerClock = false;
    c.bodyClock = false;
    c.closeAfterWrite = false;
    c.deadline.store(nowMs() + config_.keepAliveTimeoutMs, std::memory_order_relaxed);
}

EventLoop::Step EventLoop::pump(Connection& c, char* scratch, std::size_t cap) {
    if (!c.leftover.empty()) {
        std::string held = std::move(c.leftover);
        c.leftover.clear();
        const Step s = feed(c, held);
        wipe(held);
        if (s != Step::Wait) return s;
    }
    for (int reads = 0;; ++reads) {
        if (reads >= kReadsPerEvent && !c.transport->pending()) {
            c.events = EPOLLIN;  // level: fires again at once if more is there
            return Step::Wait;
        }
        std::size_t n = 0;
        const Io r = c.transport->read(scratch, cap, n);
        if (r == Io::Ok) {
            Step s;
            if (!c.leftover.empty()) {
                c.leftover.append(scratch, n);
                std::string held = std::move(c.leftover);
                c.leftover.clear();
                s = feed(c, held);
                wipe(held);
            } else {
                s = feed(c, std::string_view(scratch, n));
            }
            OPENSSL_cleanse(scratch, n);
            if (s != Step::Wait) return s;
            continue;
        }
        if (r == Io::WantRead) {
            if (c.transport->pending()) continue;
            c.events = EPOLLIN;
            return Step::Wait;
        }
        if (r == Io::WantWrite) {
            c.events = EPOLLOUT;
            return Step::Wait;
        }
        return Step::Closed;
    }
}

EventLoop::Step EventLoop::feed(Connection& c, std::string_view data) {
    std::size_t consumed = 0;
    const auto state = c.parser.feed(data, consumed);
    if (state == RequestParser::State::Failed) return Step::Failed;
    if (consumed < data.size()) c.keepLeftover(data.substr(consumed));
    if (state == RequestParser::State::Complete) return Step::Complete;
    noteProgress(c);
    return c.broken ? Step::Closed : Step::Wait;
}

void EventLoop::noteProgress(Connection& c) {
    if (c.parser.headComplete()) {
        if (c.bodyClock) return;
        c.bodyClock = true;
        // The body gets the header timeout as grace plus its length at the minimum rate.
        const std::uint64_t declared = c.parser.declaredLength().value_or(limits_.maxBody);
        const auto rate = std::max<std::size_t>(config_.bodyMinBytesPerSecond, 1);
        const auto bodyMs = static_cast<std::int64_t>(declared * 1000 / rate);
        c.deadline.store(nowMs() + config_.headerTimeoutMs + bodyMs, std::memory_order_relaxed);
        if (c.parser.expectsContinue()) {
            std::size_t done = 0;
            const std::size_t len = sizeof kContinue - 1;
            if (c.transport->write(kContinue, len, done) != Io::Ok || done != len) {
                c.broken = true;  // 25 bytes do not fit a fresh send buffer: give up
            }
        }
    } else if (c.parser.started() && !c.headerClock) {
        c.headerClock = true;
        c.deadline.store(nowMs() + config_.headerTimeoutMs, std::memory_order_relaxed);
    }
}

EventLoop::Step EventLoop::flush(Connection& c) {
    while (c.outOffset < c.out.size()) {
        std::size_t done = 0;
        const Io r =
            c.transport->write(c.out.data() + c.outOffset, c.out.size() - c.outOffset, done);
        if (r == Io::Ok) {
            c.outOffset += done;
            continue;
        }
        if (r == Io::WantWrite || r == Io::WantRead) {
            c.events = r == Io::WantWrite ? EPOLLOUT : EPOLLIN;
            return Step::Wait;
        }
        return Step::Closed;
    }
    return Step::Complete;
}

void EventLoop::serve(Connection& c) {
    thread_local std::vector<char> scratch(kScratch);
    for (;;) {
        Request& req = c.parser.request();
        const bool keepAlive = c.parser.keepAlive() && !stopping_.load();
        req.peer = c.peerAddress;
        req.peerSubject = c.subject;
        Response res = pipeline_.handle(req);
        ConnectionHeader connection = ConnectionHeader::None;
        if (!keepAlive) {
            connection = ConnectionHeader::Close;
        } else if (const auto h = req.header("connection"); h && h->find("eep-alive") != h->npos) {
            connection = ConnectionHeader::KeepAlive;  // HTTP/1.0 asked for it: say yes
        }
        c.clearOut();
        writeResponse(c.out, res, req.method == "HEAD", connection);
        wipe(res.body);
        c.closeAfterWrite = !keepAlive;
        const Step w = flush(c);
        if (w != Step::Complete || c.closeAfterWrite) {
            // The loop finishes it: the rest of the write, the lingering close, or the
            // close after an I/O error.
            c.broken = w == Step::Closed;
            c.phase = Connection::Phase::Writing;
            c.deadline.store(nowMs() + config_.writeTimeoutMs, std::memory_order_relaxed);
            return arm(c, w == Step::Wait ? c.events : EPOLLOUT);
        }
        c.clearOut();
        resetForNext(c);
        c.phase = Connection::Phase::Reading;
        if (c.leftover.empty() && !c.transport->pending()) return arm(c, EPOLLIN);
        // A pipelined request is already here (or inside TLS): serve it now.
        switch (pump(c, scratch.data(), scratch.size())) {
            case Step::Complete:
                c.phase = Connection::Phase::Working;
                c.deadline.store(kNoDeadline, std::memory_order_relaxed);
                continue;
            case Step::Wait:
                return arm(c, c.events);
            case Step::Failed: {
                Response bad = parseError(c);
                c.clearOut();
                writeResponse(c.out, bad, false, ConnectionHeader::Close);
                wipe(bad.body);
                c.closeAfterWrite = true;
                c.phase = Connection::Phase::Writing;
                c.deadline.store(nowMs() + config_.writeTimeoutMs, std::memory_order_relaxed);
                return arm(c, EPOLLOUT);
            }
            case Step::Closed:
                c.broken = true;
                return arm(c, EPOLLOUT);
        }
    }
}

}  // namespace keyport::api::front
