#include "service/api/front/request_parser.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <limits>

#include "service/api/json.h"

namespace keyport::api::front {
namespace {

// A chunk-size line (size and extensions) longer than this is refused: extensions carry
// nothing keyportd reads, and an unbounded line would let a client send bytes forever
// without one byte of body.
constexpr std::size_t kMaxChunkLine = 1024;

bool isTchar(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
        case '!':
        case '#':
        case '$':
        case '%':
        case '&':
        case '\'':
        case '*':
        case '+':
        case '-':
        case '.':
        case '^':
        case '_':
        case '`':
        case '|':
        case '~':
            return true;
        default:
            return false;
    }
}

bool isToken(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(),
                                     [](char c) { return isTchar(static_cast<unsigned char>(c)); });
}

bool isOws(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trimOws(std::string_view s) {
    while (!s.empty() && isOws(s.front())) s.remove_prefix(1);
    while (!s.empty() && isOws(s.back())) s.remove_suffix(1);
    return s;
}

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](char x, char y) { return lower(x) == lower(y); });
}

// Calls f(member) for each OWS-trimmed member of a comma-separated field value; stops and
// returns false as soon as f does.
template <typename F>
bool eachListMember(std::string_view value, F f) {
    while (true) {
        const auto comma = value.find(',');
        if (!f(trimOws(value.substr(0, comma)))) return false;
        if (comma == std::string_view::npos) return true;
        value.remove_prefix(comma + 1);
    }
}

// 1*DIGIT into a uint64; anything else (sign, space, hex, empty, overflow) is nullopt.
std::optional<std::uint64_t> decimal(std::string_view s) {
    if (s.empty()) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        const auto d = static_cast<std::uint64_t>(c - '0');
        if (v > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return std::nullopt;
        v = v * 10 + d;
    }
    return v;
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Appends one byte; when the string is full it moves to a buffer twice the size and wipes
// the old one, so header bytes (credentials) never stay behind in freed memory.
void pushWiping(std::string& s, char c) {
    if (s.size() == s.capacity()) {
        std::string bigger;
        bigger.reserve(std::max<std::size_t>(128, s.capacity() * 2));
        bigger.assign(s);
        wipe(s);
        s = std::move(bigger);
    }
    s.push_back(c);
}

// chunk-ext = *( ";" token [ "=" ( token / quoted-string ) ] ), no whitespace (strict).
bool validChunkExtensions(std::string_view s) {
    std::size_t i = 0;
    const auto tokenAt = [&] {
        const std::size_t from = i;
        while (i < s.size() && isTchar(static_cast<unsigned char>(s[i]))) ++i;
        return i > from;
    };
    while (i < s.size()) {
        if (s[i++] != ';' || !tokenAt()) return false;
        if (i == s.size() || s[i] != '=') continue;
        ++i;
        if (i < s.size() && s[i] == '"') {
            ++i;
            bool closed = false;
            while (i < s.size() && !closed) {
                const auto c = static_cast<unsigned char>(s[i++]);
                if (c == '"') {
                    closed = true;
                } else if (c == '\\') {
                    if (i == s.size()) return false;
                    ++i;  // quoted-pair: any byte that reached here is HTAB, SP, VCHAR, obs-text
                }
            }
            if (!closed) return false;
        } else if (!tokenAt()) {
            return false;
        }
    }
    return true;
}

}  // namespace

RequestParser::RequestParser(ParseLimits limits) : limits_(limits) {}

RequestParser::~RequestParser() {
    wipeAll();
}

RequestParser::State RequestParser::state() const {
    return state_;
}

bool RequestParser::headComplete() const {
    return headDone_;
}

std::optional<std::uint64_t> RequestParser::declaredLength() const {
    return contentLength_;
}

bool RequestParser::expectsContinue() const {
    return headDone_ && state_ == State::NeedMore && expectContinue_;
}

bool RequestParser::keepAlive() const {
    return state_ != State::Failed && keepAlive_;
}

bool RequestParser::started() const {
    return started_;
}

Request& RequestParser::request() {
    return request_;
}

int RequestParser::errorStatus() const {
    return status_;
}

const std::string& RequestParser::errorMessage() const {
    return message_;
}

RequestParser::State RequestParser::fail(int status, const char* message) {
    state_ = State::Failed;
    status_ = status;
    message_ = message;
    keepAlive_ = false;
    return state_;
}

void RequestParser::wipeAll() noexcept {
    // Only the bytes written: the body is never shrunk, so past size() the reservation (up
    // to maxBody for chunked) was never touched — wiping all of it would cost a large
    // limit's worth of memory writes for every small chunked request.
    OPENSSL_cleanse(request_.body.data(), request_.body.size());
    std::string().swap(request_.body);  // reserved for this request's length only
    wipe(request_.method);
    wipe(request_.path);
    wipe(request_.query);
    for (auto& [name, value] : request_.headers) {
        wipe(name);
        wipe(value);
    }
    request_.headers.clear();
    request_.params.clear();
    wipe(head_);  // keeps its capacity: the next request on the connection reuses it
}

void RequestParser::reset() {
    wipeAll();
    lineStart_ = 0;
    fieldSpans_.clear();
    state_ = State::NeedMore;
    phase_ = Phase::RequestLine;
    sawCr_ = false;
    started_ = false;
    headDone_ = false;
    headBytes_ = 0;
    trailerBytes_ = 0;
    fields_ = 0;
    http10_ = false;
    keepAlive_ = false;
    expectContinue_ = false;
    contentLength_.reset();
    bodyLeft_ = 0;
    chunkLeft_ = 0;
    status_ = 0;
    message_.clear();
}

RequestParser::State RequestParser::feed(std::string_view data, std::size_t& consumed) {
    std::size_t i = 0;
    while (i < data.size() && state_ == State::NeedMore) {
        if (phase_ == Phase::Body || phase_ == Phase::ChunkData) {
            bodyBytes(data, i);
        } else {
            takeLine(data, i);
        }
    }
    consumed = i;
    return state_;
}

// Gathers one line into head_ up to its CRLF, judging each byte as it arrives: a CTL, DEL
// or 0xFF is refused at once (0xFF is the byte Poco took for end of input — the smuggling
// of issue 12), as is a CR not followed by LF or an LF without CR.
void RequestParser::takeLine(std::string_view data, std::size_t& i) {
    while (i < data.size()) {
        const auto c = static_cast<unsigned char>(data[i++]);
        started_ = true;
        if (phase_ == Phase::RequestLine || phase_ == Phase::Headers) {
            if (++headBytes_ > limits_.maxHeaderBytes) {
                if (phase_ == Phase::RequestLine) {
                    fail(414, "request line too long");
                } else {
                    fail(431, "header section too large");
                }
                return;
            }
        } else if (phase_ == Phase::Trailers && ++trailerBytes_ > limits_.maxHeaderBytes) {
            fail(431, "trailer section too large");
            return;
        }
        if (sawCr_) {
            sawCr_ = false;
            if (c != '\n') {
                fail(400, "CR without LF");
                return;
            }
            endOfLine();
            return;
        }
        if (c == '\r') {
            sawCr_ = true;
            continue;
        }
        if (c == '\n') {
            fail(400, "LF without CR");
            return;
        }
        if ((c < 0x20 && c != '\t') || c == 0x7F || c == 0xFF) {
            fail(400, "control byte in the request head");
            return;
        }
        if (phase_ == Phase::ChunkEnd) {
            fail(400, "chunk data longer than its size");
            return;
        }
        if (phase_ == Phase::ChunkSize && head_.size() - lineStart_ >= kMaxChunkLine) {
            fail(400, "chunk size line too long");
            return;
        }
        pushWiping(head_, static_cast<char>(c));
    }
}

void RequestParser::endOfLine() {
    const std::string_view line = std::string_view(head_).substr(lineStart_);
    switch (phase_) {
        case Phase::RequestLine:
            // RFC 9112 §2.2: empty lines before the request line are ignored (a client may
            // send a CRLF after a body); they still count toward the limit.
            if (!line.empty()) requestLine(line);
            break;
        case Phase::Headers:
            if (line.empty()) {
                endOfHead();
            } else {
                fieldLine(line, lineStart_, false);
            }
            break;
        case Phase::ChunkSize:
            chunkSizeLine(line);
            break;
        case Phase::ChunkEnd:
            phase_ = Phase::ChunkSize;
            break;
        case Phase::Trailers:
            if (line.empty()) {
                complete();
            } else {
                fieldLine(line, lineStart_, true);
            }
            break;
        case Phase::Body:
        case Phase::ChunkData:
        case Phase::Done:
            break;
    }
    if (phase_ == Phase::ChunkSize || phase_ == Phase::Trailers || phase_ == Phase::ChunkData) {
        // Chunk lines and trailers are judged and dropped: reuse the buffer from its start.
        head_.clear();
        lineStart_ = 0;
    } else {
        lineStart_ = head_.size();
    }
}

// method SP request-target SP HTTP-version, single spaces, origin-form target.
void RequestParser::requestLine(std::string_view line) {
    const auto sp1 = line.find(' ');
    if (sp1 == std::string_view::npos) {
        fail(400, "malformed request line");
        return;
    }
    const auto sp2 = line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos) {
        fail(400, "malformed request line");
        return;
    }
    const auto method = line.substr(0, sp1);
    const auto target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const auto version = line.substr(sp2 + 1);
    if (!isToken(method)) {
        fail(400, "malformed method");
        return;
    }
    if (target.empty() || target.front() != '/' ||
        !std::all_of(target.begin(), target.end(), [](char ch) {
            const auto c = static_cast<unsigned char>(ch);
            return c > 0x20 && c < 0x7F;
        })) {
        fail(400, "malformed request target");
        return;
    }
    const bool wellFormed = version.size() == 8 && version.starts_with("HTTP/") &&
                            version[5] >= '0' && version[5] <= '9' && version[6] == '.' &&
                            version[7] >= '0' && version[7] <= '9';
    if (!wellFormed) {
        fail(400, "malformed HTTP version");
        return;
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        fail(505, "only HTTP/1.1 and HTTP/1.0 are supported");
        return;
    }
    http10_ = version == "HTTP/1.0";
    request_.method.assign(method);
    const auto q = target.find('?');
    request_.path.assign(target.substr(0, q));
    if (q != std::string_view::npos) request_.query.assign(target.substr(q + 1));
    phase_ = Phase::Headers;
}

// field-name ":" OWS field-value OWS; the value's bytes were judged as they arrived.
void RequestParser::fieldLine(std::string_view line, std::size_t offset, bool trailer) {
    if (isOws(line.front())) {
        fail(400, "obsolete line folding");
        return;
    }
    if (++fields_ > limits_.maxHeaders) {
        fail(431, trailer ? "too many trailer fields" : "too many header fields");
        return;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
        fail(400, "header line without a colon");
        return;
    }
    if (!isToken(line.substr(0, colon))) {
        fail(400, "malformed header name");
        return;
    }
    if (trailer) return;  // validated, dropped
    const auto rest = line.substr(colon + 1);
    const auto value = trimOws(rest);
    const std::size_t valueAt =
        value.empty() ? 0 : offset + colon + 1 + (value.data() - rest.data());
    fieldSpans_.push_back(FieldSpan{offset, colon, valueAt, value.size()});
}

void RequestParser::endOfHead() {
    headDone_ = true;
    request_.headers.reserve(fieldSpans_.size());
    for (const auto& f : fieldSpans_) {
        request_.headers.emplace_back(head_.substr(f.name, f.nameLen),
                                      head_.substr(f.value, f.valueLen));
    }
    fieldSpans_.clear();
    wipe(head_);
    framing();
}

// What the head says about the body and the connection (RFC 9112 §6, §9.3).
void RequestParser::framing() {
    int hosts = 0;
    int transferEncodings = 0;
    bool chunked = false;
    bool close = false;
    bool keepAliveToken = false;
    for (const auto& [name, value] : request_.headers) {
        if (iequals(name, "host")) {
            ++hosts;
        } else if (iequals(name, "content-length")) {
            // A list of identical values ("5, 5", from a proxy that merged duplicates) is one
            // length; anything else is a framing the client and we might read differently.
            std::optional<std::uint64_t> length;
            const bool ok = eachListMember(value, [&](std::string_view m) {
                const auto v = decimal(m);
                if (!v || (length && *length != *v) || (contentLength_ && *contentLength_ != *v))
                    return false;
                length = v;
                return true;
            });
            if (!ok) {
                fail(400, "malformed or conflicting Content-Length");
                return;
            }
            contentLength_ = length;
        } else if (iequals(name, "transfer-encoding")) {
            ++transferEncodings;
            chunked = iequals(value, "chunked");
        } else if (iequals(name, "connection")) {
            eachListMember(value, [&](std::string_view m) {
                close = close || iequals(m, "close");
                keepAliveToken = keepAliveToken || iequals(m, "keep-alive");
                return true;
            });
        } else if (iequals(name, "expect")) {
            const bool ok = eachListMember(value, [&](std::string_view m) {
                if (!iequals(m, "100-continue")) return false;
                expectContinue_ = !http10_;  // RFC 9110 §10.1.1: ignored in HTTP/1.0
                return true;
            });
            if (!ok) {
                fail(417, "unsupported expectation");
                return;
            }
        }
    }
    if (!http10_ && hosts != 1) {
        fail(400, "an HTTP/1.1 request needs exactly one Host header");
        return;
    }
    if (transferEncodings > 0) {
        if (http10_) {
            fail(400, "Transfer-Encoding in an HTTP/1.0 request");
            return;
        }
        if (transferEncodings > 1 || !chunked) {
            fail(400, "Transfer-Encoding other than chunked");
            return;
        }
        if (contentLength_) {
            fail(400, "Transfer-Encoding together with Content-Length");
            return;
        }
    }
    keepAlive_ = !close && (!http10_ || keepAliveToken);
    if (chunked) {
        request_.body.reserve(limits_.maxBody);
        phase_ = Phase::ChunkSize;
        return;
    }
    if (contentLength_) {
        if (*contentLength_ > limits_.maxBody) {
            fail(413, "request body too large");
            return;
        }
        if (*contentLength_ == 0) {
            expectContinue_ = false;
            complete();
            return;
        }
        request_.body.reserve(static_cast<std::size_t>(*contentLength_));
        bodyLeft_ = *contentLength_;
        phase_ = Phase::Body;
        return;
    }
    expectContinue_ = false;
    if (request_.method == "POST" || request_.method == "PUT" || request_.method == "PATCH") {
        fail(411, "a request body needs Content-Length or chunked Transfer-Encoding");
        return;
    }
    complete();
}

// chunk-size [ chunk-ext ]; the size in hex, at most 64 bits.
void RequestParser::chunkSizeLine(std::string_view line) {
    std::uint64_t size = 0;
    std::size_t i = 0;
    for (; i < line.size() && hexValue(line[i]) >= 0; ++i) {
        if (size > (std::numeric_limits<std::uint64_t>::max() >> 4)) {
            fail(400, "chunk size out of range");
            return;
        }
        size = size << 4 | static_cast<std::uint64_t>(hexValue(line[i]));
    }
    if (i == 0 || !validChunkExtensions(line.substr(i))) {
        fail(400, "malformed chunk size line");
        return;
    }
    if (size == 0) {
        fields_ = 0;
        phase_ = Phase::Trailers;
        return;
    }
    if (size > limits_.maxBody - request_.body.size()) {
        fail(413, "request body too large");
        return;
    }
    chunkLeft_ = size;
    phase_ = Phase::ChunkData;
}

void RequestParser::bodyBytes(std::string_view data, std::size_t& i) {
    expectContinue_ = false;  // the body is on its way: too late for 100 Continue
    std::uint64_t& left = phase_ == Phase::Body ? bodyLeft_ : chunkLeft_;
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(left, data.size() - i));
    request_.body.append(data.substr(i, n));  // within the reserved capacity: no reallocation
    i += n;
    left -= n;
    if (left > 0) return;
    if (phase_ == Phase::Body) {
        complete();
    } else {
        phase_ = Phase::ChunkEnd;
    }
}

void RequestParser::complete() {
    phase_ = Phase::Done;
    state_ = State::Complete;
}

}  // namespace keyport::api::front
