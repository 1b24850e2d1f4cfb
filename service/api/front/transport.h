// Transport: the bytes of one accepted connection over a non-blocking socket — plain TCP
// or TLS — as the event loop and the workers read and write them. The connection owns the
// fd and closes it; a Transport never blocks.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace keyport::api::front {

enum class Io {
    Ok,         // `done` bytes moved (> 0), or the handshake finished
    WantRead,   // wait for EPOLLIN, then call again
    WantWrite,  // wait for EPOLLOUT, then call again
    Closed,     // orderly end of stream from the peer
    Error,      // reset, TLS alert, bad handshake: close the connection
};

class Transport {
  public:
    virtual ~Transport() = default;
    // Plain TCP: Ok at once. TLS: drive until Ok (WantRead/WantWrite in between).
    virtual Io handshake() = 0;
    virtual Io read(char* buf, std::size_t cap, std::size_t& done) = 0;
    virtual Io write(const char* buf, std::size_t len, std::size_t& done) = 0;
    // Bytes already decrypted and buffered inside the transport (TLS): epoll will not
    // report them, so a reader must drain them before it waits.
    virtual bool pending() const { return false; }
    // Best effort close_notify (TLS) / nothing (plain); never blocks.
    virtual void shutdown() {}
    // The verified client certificate's subject (mutual TLS), else empty.
    virtual std::string peerSubject() const { return {}; }
};

std::unique_ptr<Transport> plainTransport(int fd);

}  // namespace keyport::api::front
