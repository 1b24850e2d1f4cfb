// plainTransport(): the Transport of a plain TCP connection — recv/send on the
// non-blocking fd, MSG_NOSIGNAL so a peer that went away is an error, not a SIGPIPE.
#include <sys/socket.h>

#include <cerrno>

#include "service/api/front/transport.h"

namespace keyport::api::front {
namespace {

class PlainTransport final : public Transport {
  public:
    explicit PlainTransport(int fd) : fd_(fd) {}

    Io handshake() override { return Io::Ok; }

    Io read(char* buf, std::size_t cap, std::size_t& done) override {
        done = 0;
        for (;;) {
            const ssize_t n = ::recv(fd_, buf, cap, 0);
            if (n > 0) {
                done = static_cast<std::size_t>(n);
                return Io::Ok;
            }
            if (n == 0) return Io::Closed;
            if (errno == EINTR) continue;
            return errno == EAGAIN || errno == EWOULDBLOCK ? Io::WantRead : Io::Error;
        }
    }

    Io write(const char* buf, std::size_t len, std::size_t& done) override {
        done = 0;
        for (;;) {
            const ssize_t n = ::send(fd_, buf, len, MSG_NOSIGNAL);
            if (n >= 0) {
                done = static_cast<std::size_t>(n);
                return n > 0 || len == 0 ? Io::Ok : Io::WantWrite;
            }
            if (errno == EINTR) continue;
            return errno == EAGAIN || errno == EWOULDBLOCK ? Io::WantWrite : Io::Error;
        }
    }

  private:
    int fd_;
};

}  // namespace

std::unique_ptr<Transport> plainTransport(int fd) {
    return std::make_unique<PlainTransport>(fd);
}

}  // namespace keyport::api::front
