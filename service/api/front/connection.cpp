#include "service/api/front/connection.h"

#include <openssl/crypto.h>
#include <unistd.h>

#include "service/api/json.h"

namespace keyport::api::front {

Connection::Connection(int fd_, std::string peer_, ParseLimits limits)
    : fd(fd_), peer(std::move(peer_)), parser(limits) {}

Connection::~Connection() {
    transport.reset();
    parser.reset();
    wipe(leftover);
    wipe(out);
    ::close(fd);
}

void Connection::clearOut() {
    // Every clear cleanses what the buffer held, so the bytes past size() are clean and
    // the capacity is kept for the next response (no allocation per request).
    OPENSSL_cleanse(out.data(), out.size());
    out.clear();
    outOffset = 0;
}

void Connection::keepLeftover(std::string_view rest) {
    std::string kept(rest);
    wipe(leftover);
    leftover = std::move(kept);
}

void Connection::clearLeftover() {
    wipe(leftover);
}

}  // namespace keyport::api::front
