// Connection: one accepted socket's state — transport, parser, deadline, bytes read past a
// complete request, the response being written. Owned by the loop or by one worker at a
// time (EPOLLONESHOT): whoever took its last event; only the loop frees it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "service/api/front/request_parser.h"
#include "service/api/front/transport.h"

namespace keyport::api::front {

inline constexpr std::int64_t kNoDeadline = std::numeric_limits<std::int64_t>::max();

struct Connection {
    enum class Phase {
        Handshake,  // TLS handshake under the header deadline
        Reading,    // gathering a request
        Working,    // queued for or held by a worker
        Writing,    // the rest of a response waits for EPOLLOUT
        Lingering,  // answered and closing: write side shut, reading what the peer still sends
    };

    Connection(int fd, std::string peer, ParseLimits limits);
    ~Connection();  // wipes what it holds, closes the fd
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Drops what was written: the response may have carried plaintext.
    void clearOut();
    // Keeps data[from..] as the start of the next request (pipelining).
    void keepLeftover(std::string_view rest);
    void clearLeftover();

    const int fd;
    const std::string peer;   // the peer's address bytes (the per-peer count's key)
    std::string peerAddress;  // the same as text ("127.0.0.1"), for logs and audit records
    std::unique_ptr<Transport> transport;
    std::string subject;  // the mutual-TLS client certificate subject, else empty
    RequestParser parser;
    Phase phase = Phase::Reading;
    // Past it the loop shuts the socket down; kNoDeadline while a worker holds it. Read by
    // the loop's timer scan while a worker may set it, hence atomic.
    std::atomic<std::int64_t> deadline{kNoDeadline};
    bool headerClock = false;      // the header deadline of the current request is set
    bool bodyClock = false;        // the body deadline of the current request is set
    bool closeAfterWrite = false;  // the response being written is the last
    bool broken = false;           // an I/O error: the loop closes it at its next event
    unsigned events = 0;           // what to wait for next (EPOLLIN / EPOLLOUT)
    std::string leftover;          // read past a complete request
    std::string out;               // the response being written
    std::size_t outOffset = 0;
    std::size_t lingered = 0;  // bytes discarded while lingering
    std::size_t index = 0;     // in the loop's list of connections
};

}  // namespace keyport::api::front
