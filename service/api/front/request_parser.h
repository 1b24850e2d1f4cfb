// RequestParser: a strict, incremental HTTP/1.1 request reader (RFC 9112) — bytes in,
// one complete Request out, or the 4xx that ends the connection. No I/O, so the event
// loop, the tests and the fuzzer all drive the same code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
    ~RequestParser();  // wipes what it still holds (headers carry credentials)
    RequestParser(RequestParser&&) = default;
    RequestParser& operator=(RequestParser&&) = default;
    RequestParser(const RequestParser&) = delete;
    RequestParser& operator=(const RequestParser&) = delete;

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

    // Ready for the next request on the same connection; wipes the previous request (body,
    // header values, target) unless the caller moved it out of request() first — then
    // wiping it is the caller's job.
    void reset();

  private:
    // Where the next byte goes. Head lines and chunk-size lines are gathered in line_
    // (bounded by the limits) and judged whole at their CRLF; body bytes go straight to
    // request_.body. Each byte is looked at once, so a trickler costs O(1) per byte.
    enum class Phase {
        RequestLine,
        Headers,
        Body,       // Content-Length bytes
        ChunkSize,  // hex size, extensions, CRLF
        ChunkData,  // chunkLeft_ bytes
        ChunkEnd,   // the CRLF after a chunk's data
        Trailers,   // trailer fields (validated, dropped) up to the blank line
        Done,
    };

    // One header line of head_: where its name and (OWS-trimmed) value sit.
    struct FieldSpan {
        std::size_t name, nameLen, value, valueLen;
    };

    State fail(int status, const char* message);
    void takeLine(std::string_view data, std::size_t& i);
    void endOfLine();
    void requestLine(std::string_view line);
    void fieldLine(std::string_view line, std::size_t offset, bool trailer);
    void endOfHead();
    void framing();
    void chunkSizeLine(std::string_view line);
    void bodyBytes(std::string_view data, std::size_t& i);
    void complete();
    void wipeAll() noexcept;

    ParseLimits limits_;
    State state_ = State::NeedMore;
    Phase phase_ = Phase::RequestLine;
    Request request_;
    // The head as read, CRLFs dropped (header lines until the blank line; later the current
    // chunk-size or trailer line). It grows by copy-and-wipe, never by a plain reallocation.
    std::string head_;
    std::size_t lineStart_ = 0;  // where the current line starts in head_
    std::vector<FieldSpan> fieldSpans_;
    bool sawCr_ = false;  // the last byte was CR; LF must follow
    bool started_ = false;
    bool headDone_ = false;
    std::size_t headBytes_ = 0;     // request line + header section so far, CRLFs included
    std::size_t trailerBytes_ = 0;  // trailer section so far
    std::size_t fields_ = 0;        // header (or trailer) lines so far
    bool http10_ = false;
    bool keepAlive_ = false;
    bool expectContinue_ = false;
    std::optional<std::uint64_t> contentLength_;
    std::uint64_t bodyLeft_ = 0;   // Content-Length bytes still due
    std::uint64_t chunkLeft_ = 0;  // bytes of the current chunk still due
    int status_ = 0;
    std::string message_;
};

}  // namespace keyport::api::front
