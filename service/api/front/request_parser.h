// RequestParser: a strict, incremental HTTP/1.1 request reader (RFC 9112) — bytes in,
// one complete Request out, or the 4xx that ends the connection. No I/O, so the event
// loop, the tests and the fuzzer all drive the same code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "service/api/http.h"

namespace keyport::api::front {

struct ParseLimits {
    std::size_t maxHeaderBytes = 16 * 1024;  // request line + header section; past it 431
    std::size_t maxHeaders = 100;            // header lines; past it 431
    std::size_t maxBody = 64 * 1024;         // declared or decoded body; past it 413
};

class RequestParser {
  public:
    enum class State {
        NeedMore,  // feed more bytes
        Complete,  // request() holds one whole request; reset() before the next
        Failed,    // errorStatus()/errorMessage() say why; answer and close
    };

    explicit RequestParser(ParseLimits limits);

    // Consumes a prefix of `data` (what it took is returned in `consumed`; the rest, e.g.
    // a pipelined next request, stays with the caller). Body bytes are copied into
    // request().body, which is reserved once (no reallocation leaves unwiped copies).
    State feed(std::string_view data, std::size_t& consumed);
    State state() const;

    // True once the blank line after the headers was read (the body may still be due).
    bool headComplete() const;
    // After headComplete(): the declared Content-Length (nullopt for chunked or none).
    std::optional<std::uint64_t> declaredLength() const;
    // After headComplete(): the client sent "Expect: 100-continue" and no body yet.
    bool expectsContinue() const;
    // After headComplete(): the connection may serve another request (HTTP/1.1 without
    // "Connection: close", or HTTP/1.0 with "Connection: keep-alive").
    bool keepAlive() const;
    // True once any byte of the current request was read (the header deadline runs).
    bool started() const;

    Request& request();                       // valid when Complete
    int errorStatus() const;                  // 400, 411, 413, 414, 431, 501, 505 when Failed
    const std::string& errorMessage() const;  // for the client; never echoes input bytes

    // Ready for the next request on the same connection; wipes the previous body.
    void reset();

  private:
    ParseLimits limits_;
    // (the parser's state: its implementer adds what it needs here)
};

}  // namespace keyport::api::front
