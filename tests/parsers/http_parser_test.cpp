// RequestParser on its own: a table of HTTP/1.1 framings (raw bytes → one complete request
// or the status that ends the connection), each row run whole, one byte at a time and split
// in two at every offset, plus the 100-continue, pipelining, wiping and linear-cost rules.
// Accepted rows seed the http_parser fuzz target.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "service/api/front/request_parser.h"
#include "service/api/front/status_text.h"
#include "tests/parsers/vectors.h"

namespace keyport::api::front {
namespace {

using State = RequestParser::State;

// Small limits so that every limit is reachable by a short row.
constexpr ParseLimits kLimits{200, 6, 16};

struct Expected {
    State state;
    int status = 0;  // when Failed
    std::string method, path, query, body;
    bool keepAlive = false;
    std::optional<std::size_t> consumed;  // checked when set; else "all of raw" for Complete
};

Expected ok(std::string method, std::string path, std::string query, std::string body,
            bool keepAlive, std::optional<std::size_t> consumed = std::nullopt) {
    return Expected{
        State::Complete, 0,         std::move(method), std::move(path), std::move(query),
        std::move(body), keepAlive, consumed};
}

Expected failed(int status, std::optional<std::size_t> consumed = std::nullopt) {
    return Expected{State::Failed, status, {}, {}, {}, {}, false, consumed};
}

struct FramingCase {
    const char* name;
    std::string raw;
    Expected expected;
};

void PrintTo(const FramingCase& c, std::ostream* os) {
    *os << c.name;
}

struct Outcome {
    State state = State::NeedMore;
    int status = 0;
    std::string method, path, query, body;
    bool keepAlive = false;
    std::size_t consumed = 0;
};

// Delivers `raw` in pieces ending at `cuts` the way the event loop does: what the parser
// did not take stays buffered in front of the next piece; stops at Complete or Failed.
Outcome run(const std::string& raw, const std::vector<std::size_t>& cuts) {
    RequestParser p(kLimits);
    Outcome o;
    std::string pending;
    std::size_t from = 0;
    for (std::size_t cut : cuts) {
        pending.append(raw, from, cut - from);
        from = cut;
        std::size_t took = 0;
        o.state = p.feed(pending, took);
        EXPECT_LE(took, pending.size());
        if (o.state == State::NeedMore) {
            EXPECT_EQ(took, pending.size()) << "NeedMore kept bytes";
        }
        o.consumed += took;
        pending.erase(0, took);
        if (o.state != State::NeedMore) break;
    }
    if (o.state == State::Failed) {
        o.status = p.errorStatus();
        EXPECT_FALSE(p.errorMessage().empty());
        EXPECT_FALSE(p.keepAlive());
    }
    if (o.state == State::Complete) {
        const Request& r = p.request();
        o.method = r.method;
        o.path = r.path;
        o.query = r.query;
        o.body = r.body;
        o.keepAlive = p.keepAlive();
        EXPECT_TRUE(p.headComplete());
        EXPECT_LE(r.body.size(), kLimits.maxBody);
    }
    return o;
}

void expectOutcome(const FramingCase& c, const Outcome& o, const std::string& how) {
    SCOPED_TRACE(how);
    const Expected& e = c.expected;
    ASSERT_EQ(o.state, e.state);
    if (e.state == State::Failed) {
        EXPECT_EQ(o.status, e.status);
        if (e.consumed) {
            EXPECT_EQ(o.consumed, *e.consumed);
        }
        return;
    }
    EXPECT_EQ(o.method, e.method);
    EXPECT_EQ(o.path, e.path);
    EXPECT_EQ(o.query, e.query);
    EXPECT_EQ(o.body, e.body);
    EXPECT_EQ(o.keepAlive, e.keepAlive);
    EXPECT_EQ(o.consumed, e.consumed.value_or(c.raw.size()));
}

class Framing : public ::testing::TestWithParam<FramingCase> {};

TEST_P(Framing, SameOutcomeWholeByteByByteAndSplitAnywhere) {
    const FramingCase& c = GetParam();
    expectOutcome(c, run(c.raw, {c.raw.size()}), "whole");
    std::vector<std::size_t> bytes;
    for (std::size_t i = 1; i <= c.raw.size(); ++i) bytes.push_back(i);
    expectOutcome(c, run(c.raw, bytes), "byte by byte");
    for (std::size_t at = 1; at < c.raw.size(); ++at) {
        expectOutcome(c, run(c.raw, {at, c.raw.size()}), "split at " + std::to_string(at));
    }
    if (c.expected.state == State::Complete) {
        test::seedCorpus("http_parser", c.name, hsm::asBytes(c.raw));
    }
}

const std::string kHost = "Host: x\r\n";
const std::string kGet = "GET / HTTP/1.1\r\n" + kHost;
const std::string kPost = "POST /k HTTP/1.1\r\n" + kHost;
const std::string kChunked = kPost + "Transfer-Encoding: chunked\r\n\r\n";

std::string withHeader(const std::string& header) {
    return kGet + header + "\r\n\r\n";
}

std::string postWith(const std::string& headers, const std::string& body = "hello") {
    return kPost + headers + "\r\n" + body;
}

std::string chunked(const std::string& body) {
    return kChunked + body;
}

// The request the smuggling hid behind a 0xFF: Poco ended the head at the 0xFF and
// ran the second, authenticated request too.
const std::string kSmuggled = "POST /v1.0/p/kms/describe-key HTTP/1.1\r\nHost: x\r\nX-Pad: a\xff";
const std::string kHidden =
    "\r\nPOST /v1.0/p/kms/create-key HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";

INSTANTIATE_TEST_SUITE_P(
    Rfc9112, Framing,
    ::testing::Values(
        // --- accepted ---
        FramingCase{"SimpleGet", "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
                    ok("GET", "/healthz", "", "", true)},
        // The target splits at the first '?'; both halves stay as sent (still encoded).
        FramingCase{"PathAndQuery",
                    "GET /v1/p/secrets?limit=5&m=a%20b?c HTTP/1.1\r\n" + kHost + "\r\n",
                    ok("GET", "/v1/p/secrets", "limit=5&m=a%20b?c", "", true)},
        FramingCase{"EmptyQuery", "GET /a? HTTP/1.1\r\n" + kHost + "\r\n",
                    ok("GET", "/a", "", "", true)},
        // Methods are case-sensitive tokens: "get" is parsed; the router answers it later.
        FramingCase{"LowercaseMethodIsAToken", "get / HTTP/1.1\r\n" + kHost + "\r\n",
                    ok("get", "/", "", "", true)},
        FramingCase{"PostWithLength", postWith("Content-Length: 5\r\n"),
                    ok("POST", "/k", "", "hello", true)},
        // OWS around a field value is not part of it.
        FramingCase{"LengthOwsTrimmed", postWith("Content-Length: \t 5 \t\r\n"),
                    ok("POST", "/k", "", "hello", true)},
        // Identical duplicates, or a list of one repeated value, are one length (RFC 9110 §8.6).
        FramingCase{"LengthIdenticalDuplicates",
                    postWith("Content-Length: 5\r\nContent-Length: 5\r\n"),
                    ok("POST", "/k", "", "hello", true)},
        FramingCase{"LengthListIdentical", postWith("Content-Length: 5, 5\r\n"),
                    ok("POST", "/k", "", "hello", true)},
        FramingCase{"LengthListIdenticalNoSpace", postWith("Content-Length: 5,5\r\n"),
                    ok("POST", "/k", "", "hello", true)},
        FramingCase{"LengthLeadingZeros", postWith("Content-Length: 005\r\n"),
                    ok("POST", "/k", "", "hello", true)},
        FramingCase{"PostLengthZero", postWith("Content-Length: 0\r\n", ""),
                    ok("POST", "/k", "", "", true)},
        FramingCase{"BodyExactlyAtLimit", postWith("Content-Length: 16\r\n", "0123456789abcdef"),
                    ok("POST", "/k", "", "0123456789abcdef", true)},
        // A GET may carry a body; it is framed by its length like any other.
        FramingCase{"GetWithBody", kGet + "Content-Length: 2\r\n\r\n{}",
                    ok("GET", "/", "", "{}", true)},
        FramingCase{"ExpectContinue", postWith("Expect: 100-continue\r\nContent-Length: 5\r\n"),
                    ok("POST", "/k", "", "hello", true)},
        // Field values may hold HTAB, SP and obs-text (0x80-0xFE); names are compared
        // case-insensitively.
        FramingCase{"ObsTextAndTabInValue", withHeader("X-Name: caf\xc3\xa9\tand more"),
                    ok("GET", "/", "", "", true)},
        FramingCase{"EmptyValue", withHeader("X-Empty:"), ok("GET", "/", "", "", true)},
        FramingCase{"LowercaseHost", "GET / HTTP/1.1\r\nhost: x\r\n\r\n",
                    ok("GET", "/", "", "", true)},
        // RFC 9112 §2.2: an empty line before the request line is ignored.
        FramingCase{"LeadingCrlf", "\r\n" + kGet + "\r\n", ok("GET", "/", "", "", true)},
        // Keep-alive: 1.1 unless "close" is among the Connection tokens; 1.0 only with
        // "keep-alive". HTTP/1.0 needs no Host.
        FramingCase{"Http11Close", withHeader("Connection: close"), ok("GET", "/", "", "", false)},
        FramingCase{"Http11CloseInListAnyCase", withHeader("Connection: keep-alive, CLOSE"),
                    ok("GET", "/", "", "", false)},
        FramingCase{"Http11KeepAliveDefault", withHeader("Connection: keep-alive"),
                    ok("GET", "/", "", "", true)},
        FramingCase{"Http10Closes", "GET / HTTP/1.0\r\n\r\n", ok("GET", "/", "", "", false)},
        FramingCase{"Http10KeepAlive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
                    ok("GET", "/", "", "", true)},
        FramingCase{"Http10KeepAliveAndClose",
                    "GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n",
                    ok("GET", "/", "", "", false)},
        FramingCase{"Http10PostWithLength", "POST /k HTTP/1.0\r\nContent-Length: 2\r\n\r\nab",
                    ok("POST", "/k", "", "ab", false)},
        // Chunked: hex sizes (any case), extensions of tokens or quoted strings, trailers
        // validated and dropped; the body is the decoded data.
        FramingCase{"Chunked", chunked("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"),
                    ok("POST", "/k", "", "hello world", true)},
        FramingCase{"ChunkedCaseInsensitive",
                    kPost + "Transfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n",
                    ok("POST", "/k", "", "0123456789", true)},
        FramingCase{"ChunkedExtensions",
                    chunked("5;name=val;flag\r\nhello\r\n0;q=\"a \\\"b\\\" c\"\r\n\r\n"),
                    ok("POST", "/k", "", "hello", true)},
        FramingCase{"ChunkedTrailers",
                    chunked("2\r\nhi\r\n0\r\nX-Checksum: abc\r\nX-Other: d\r\n\r\n"),
                    ok("POST", "/k", "", "hi", true)},
        FramingCase{"ChunkedLeadingZeros", chunked("0002\r\nhi\r\n000\r\n\r\n"),
                    ok("POST", "/k", "", "hi", true)},
        FramingCase{"ChunkedEmpty", chunked("0\r\n\r\n"), ok("POST", "/k", "", "", true)},
        FramingCase{"ChunkedAtLimit", chunked("8\r\n01234567\r\n8\r\n89abcdef\r\n0\r\n\r\n"),
                    ok("POST", "/k", "", "0123456789abcdef", true)},
        // Pipelining: consumed stops at the end of the first request; the rest is the
        // caller's for the next one.
        FramingCase{"PipelinedTwoGets", kGet + "\r\n" + "GET /second HTTP/1.1\r\n" + kHost + "\r\n",
                    ok("GET", "/", "", "", true, kGet.size() + 2)},
        FramingCase{"PipelinedAfterBody", postWith("Content-Length: 5\r\n") + kGet + "\r\n",
                    ok("POST", "/k", "", "hello", true, postWith("Content-Length: 5\r\n").size())},
        FramingCase{"PipelinedAfterChunked", chunked("1\r\na\r\n0\r\n\r\n") + kGet + "\r\n",
                    ok("POST", "/k", "", "a", true, chunked("1\r\na\r\n0\r\n\r\n").size())},

        // --- smuggling (issue 12 item 2): a 0xFF ends nothing; it is a 400 at that byte, and
        // the hidden request behind it is never read.
        FramingCase{"SmugglingFfAtEndOfHeaderLine", kSmuggled + kHidden,
                    failed(400, kSmuggled.size())},
        FramingCase{"FfInHeaderName", kGet + "X-\xff: a\r\n\r\n", failed(400)},
        FramingCase{"FfInTarget", "GET /a\xff HTTP/1.1\r\n" + kHost + "\r\n", failed(400, 7)},

        // --- Content-Length: 1*DIGIT, duplicates identical, else 400; over the limit 413.
        FramingCase{"LengthConflicting", postWith("Content-Length: 5\r\nContent-Length: 6\r\n"),
                    failed(400)},
        FramingCase{"LengthPlusSign", postWith("Content-Length: +5\r\n"), failed(400)},
        FramingCase{"LengthMinusSign", postWith("Content-Length: -5\r\n"), failed(400)},
        FramingCase{"LengthSpaceInside", postWith("Content-Length: 5 5\r\n"), failed(400)},
        FramingCase{"LengthListDifferent", postWith("Content-Length: 5,6\r\n"), failed(400)},
        FramingCase{"LengthListEmptyMember", postWith("Content-Length: 5,\r\n"), failed(400)},
        FramingCase{"LengthHex", postWith("Content-Length: 0x5\r\n"), failed(400)},
        FramingCase{"LengthEmpty", postWith("Content-Length:\r\n"), failed(400)},
        FramingCase{"LengthOverflowsUint64", postWith("Content-Length: 18446744073709551616\r\n"),
                    failed(400)},
        // Fits in 64 bits but over maxBody: 413 as soon as the head is complete, no body
        // byte read (consumed ends at the blank line).
        FramingCase{"LengthMaxUint64", postWith("Content-Length: 18446744073709551615\r\n"),
                    failed(413, postWith("Content-Length: 18446744073709551615\r\n", "").size())},
        FramingCase{"BodyOverLimit", postWith("Content-Length: 17\r\n", "0123456789abcdefg"),
                    failed(413, postWith("Content-Length: 17\r\n", "").size())},

        // --- Transfer-Encoding: exactly one header saying chunked, never with a length, never
        // in HTTP/1.0.
        FramingCase{"TeSpaceBeforeColon", kPost + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
                    failed(400)},
        FramingCase{"TeChunkedIdentity",
                    kPost + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", failed(400)},
        FramingCase{"TeGzipChunked", kPost + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
                    failed(400)},
        FramingCase{"TeXchunked", kPost + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
                    failed(400)},
        FramingCase{"TeIdentity", kPost + "Transfer-Encoding: identity\r\n\r\n", failed(400)},
        FramingCase{
            "TeTwice",
            kPost + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            failed(400)},
        FramingCase{"TeWithLength",
                    kPost + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
                    failed(400)},
        FramingCase{"TeInHttp10", "POST /k HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                    failed(400)},

        // --- header lines
        FramingCase{"ObsFold", kGet + "X-A: a\r\n b\r\n\r\n", failed(400)},
        FramingCase{"ObsFoldTab", kGet + "X-A: a\r\n\tb\r\n\r\n", failed(400)},
        FramingCase{"WhitespaceBeforeFirstHeader", "GET / HTTP/1.1\r\n Host: x\r\n\r\n",
                    failed(400)},
        FramingCase{"NoColon", kGet + "X-A a\r\n\r\n", failed(400)},
        FramingCase{"SpaceBeforeColon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", failed(400)},
        FramingCase{"EmptyName", kGet + ": a\r\n\r\n", failed(400)},
        FramingCase{"NonTokenName", kGet + "X(a): b\r\n\r\n", failed(400)},
        FramingCase{"NulInValue", kGet + std::string("X-A: a\0b\r\n\r\n", 12), failed(400)},
        FramingCase{"DelInValue", withHeader("X-A: a\x7f"), failed(400)},
        FramingCase{"EscInValue", withHeader("X-A: \x1b[31m"), failed(400)},
        FramingCase{"BareLfInHeaders", "GET / HTTP/1.1\r\nHost: x\n\r\n", failed(400)},
        FramingCase{"BareLfAfterRequestLine", "GET / HTTP/1.1\nHost: x\r\n\r\n", failed(400)},
        FramingCase{"BareCr", "GET / HTTP/1.1\r\nHost: x\rX-A: b\r\n\r\n", failed(400)},
        FramingCase{"NoHost", "GET / HTTP/1.1\r\n\r\n", failed(400)},
        FramingCase{"TwoHosts", kGet + kHost + "\r\n", failed(400)},
        // Any expectation but 100-continue: 417 (RFC 9110 §10.1.1).
        FramingCase{"ExpectOther", withHeader("Expect: something"), failed(417)},

        // --- request line: single SP, token method, origin-form visible-ASCII target
        FramingCase{"DoubleSpace", "GET  / HTTP/1.1\r\n" + kHost + "\r\n", failed(400)},
        FramingCase{"TabSeparator", "GET\t/ HTTP/1.1\r\n" + kHost + "\r\n", failed(400)},
        FramingCase{"SpaceInTarget", "GET /a b HTTP/1.1\r\n" + kHost + "\r\n", failed(400)},
        FramingCase{"TrailingSpace", "GET / HTTP/1.1 \r\n" + kHost + "\r\n", failed(400)},
        FramingCase{"NonAsciiInTarget", "GET /caf\xc3\xa9 HTTP/1.1\r\n" + kHost + "\r\n",
                    failed(400)},
        FramingCase{"AbsoluteForm", "GET http://x/ HTTP/1.1\r\n" + kHost + "\r\n", failed(400)},
        FramingCase{"AsteriskForm", "OPTIONS * HTTP/1.1\r\n" + kHost + "\r\n", failed(400)},
        FramingCase{"NonTokenMethod", "GE(T / HTTP/1.1\r\n" + kHost + "\r\n", failed(400)},
        FramingCase{"MissingVersion", "GET /\r\n" + kHost + "\r\n", failed(400)},
        FramingCase{"LowercaseVersion", "GET / http/1.1\r\n" + kHost + "\r\n", failed(400)},
        FramingCase{"VersionTwoDigits", "GET / HTTP/1.10\r\n" + kHost + "\r\n", failed(400)},
        // A well-formed version we do not speak: 505.
        FramingCase{"Http20", "GET / HTTP/2.0\r\n" + kHost + "\r\n", failed(505)},
        FramingCase{"Http12", "GET / HTTP/1.2\r\n" + kHost + "\r\n", failed(505)},
        FramingCase{"Http09", "GET / HTTP/0.9\r\n\r\n", failed(505)},

        // --- bodies without a length
        FramingCase{"PostWithoutLength", kPost + "\r\n", failed(411)},
        FramingCase{"PutWithoutLength", "PUT /k HTTP/1.1\r\n" + kHost + "\r\n", failed(411)},
        FramingCase{"PatchWithoutLength", "PATCH /k HTTP/1.1\r\n" + kHost + "\r\n", failed(411)},
        FramingCase{"Http10PostWithoutLength", "POST /k HTTP/1.0\r\n\r\n", failed(411)},

        // --- limits (200 bytes of head, 6 header lines): at the limit is fine, one past is not
        FramingCase{"HeadExactlyAtLimit", withHeader("X-Big: " + std::string(164, 'a')),
                    ok("GET", "/", "", "", true)},
        FramingCase{"HeadOneByteOverLimit", withHeader("X-Big: " + std::string(165, 'a')),
                    failed(431, 201)},
        FramingCase{"HeadersExactlyAtCount", kGet + "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n",
                    ok("GET", "/", "", "", true)},
        FramingCase{"HeaderSectionTooLarge", withHeader("X-Big: " + std::string(180, 'a')),
                    failed(431, 201)},
        FramingCase{"TooManyHeaders", kGet + "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\n\r\n",
                    failed(431)},
        FramingCase{"LongTarget",
                    "GET /" + std::string(200, 'a') + " HTTP/1.1\r\n" + kHost + "\r\n",
                    failed(414, 201)},

        // --- chunked framing errors
        FramingCase{"ChunkSizeNotHex", chunked("g\r\nhello\r\n0\r\n\r\n"), failed(400)},
        FramingCase{"ChunkSizeEmpty", chunked("\r\nhello\r\n0\r\n\r\n"), failed(400)},
        FramingCase{"ChunkSizeSigned", chunked("+5\r\nhello\r\n0\r\n\r\n"), failed(400)},
        FramingCase{"ChunkSizeHexPrefix", chunked("0x5\r\nhello\r\n0\r\n\r\n"), failed(400)},
        FramingCase{"ChunkSizeTrailingSpace", chunked("5 \r\nhello\r\n0\r\n\r\n"), failed(400)},
        FramingCase{"ChunkSizeOverflow", chunked("10000000000000000\r\n"), failed(400)},
        // Fits in 64 bits but over maxBody: 413 before any of its data.
        FramingCase{"ChunkSizeHuge", chunked("ffffffffffffffff\r\n"), failed(413)},
        FramingCase{"ChunkedOverLimit", chunked("9\r\n012345678\r\n8\r\n9abcdefg\r\n0\r\n\r\n"),
                    failed(413, chunked("9\r\n012345678\r\n8\r\n").size())},
        FramingCase{"ChunkDataLongerThanSize", chunked("5\r\nhelloX\r\n0\r\n\r\n"), failed(400)},
        FramingCase{"ChunkDataWithoutCrlf", chunked("5\r\nhello0\r\n\r\n"), failed(400)},
        FramingCase{"ChunkSizeBareLf", chunked("5\nhello\r\n0\r\n\r\n"), failed(400)},
        FramingCase{"ChunkExtensionEmpty", chunked("5;\r\nhello\r\n0\r\n\r\n"), failed(400)},
        FramingCase{"ChunkExtensionSpace", chunked("5 ;a=b\r\nhello\r\n0\r\n\r\n"), failed(400)},
        FramingCase{"ChunkExtensionOpenQuote", chunked("5;a=\"b\r\nhello\r\n0\r\n\r\n"),
                    failed(400)},
        FramingCase{"ChunkExtensionNul", chunked(std::string("5;a\0\r\nhello\r\n0\r\n\r\n", 18)),
                    failed(400)},
        FramingCase{"TrailerWithoutColon", chunked("0\r\nX y\r\n\r\n"), failed(400)},
        FramingCase{"TrailerObsFold", chunked("0\r\nX: y\r\n z\r\n\r\n"), failed(400)},
        FramingCase{"TrailerFf", chunked("0\r\nX: \xff\r\n\r\n"), failed(400)}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(RequestParser, HeadersKeptInOrderWithNamesAsSent) {
    RequestParser p(kLimits);
    const std::string raw = "GET / HTTP/1.1\r\nHost: x\r\nx-B:  2 \r\nX-a:1\r\nx-b: 3\r\n\r\n";
    std::size_t took = 0;
    ASSERT_EQ(p.feed(raw, took), State::Complete);
    const std::vector<std::pair<std::string, std::string>> want{
        {"Host", "x"}, {"x-B", "2"}, {"X-a", "1"}, {"x-b", "3"}};
    EXPECT_EQ(p.request().headers, want);
    EXPECT_EQ(p.request().header("X-B"), "2");
}

TEST(RequestParser, ExpectsContinueOnceTheHeadIsInAndNoBodyYet) {
    RequestParser p(kLimits);
    const std::string head = kPost + "Expect: 100-Continue\r\nContent-Length: 5\r\n\r\n";
    std::size_t took = 0;
    ASSERT_EQ(p.feed(head.substr(0, head.size() - 1), took), State::NeedMore);
    EXPECT_FALSE(p.headComplete());
    EXPECT_FALSE(p.expectsContinue());
    ASSERT_EQ(p.feed("\n", took), State::NeedMore);
    EXPECT_TRUE(p.headComplete());
    EXPECT_TRUE(p.expectsContinue());
    EXPECT_EQ(p.declaredLength(), 5u);
    ASSERT_EQ(p.feed("he", took), State::NeedMore);
    EXPECT_FALSE(p.expectsContinue());
    ASSERT_EQ(p.feed("llo", took), State::Complete);
    EXPECT_EQ(p.request().body, "hello");
}

TEST(RequestParser, ExpectIgnoredInHttp10AndWithoutBody) {
    RequestParser p(kLimits);
    std::size_t took = 0;
    ASSERT_EQ(p.feed("POST /k HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n", took),
              State::NeedMore);
    EXPECT_FALSE(p.expectsContinue());  // RFC 9110 §10.1.1
    RequestParser q(kLimits);
    ASSERT_EQ(q.feed(kGet + "Expect: 100-continue\r\n\r\n", took), State::Complete);
    EXPECT_FALSE(q.expectsContinue());
}

TEST(RequestParser, DeclaredLengthOnlyForContentLength) {
    RequestParser p(kLimits);
    std::size_t took = 0;
    ASSERT_EQ(p.feed(kChunked, took), State::NeedMore);
    EXPECT_TRUE(p.headComplete());
    EXPECT_EQ(p.declaredLength(), std::nullopt);
    RequestParser q(kLimits);
    ASSERT_EQ(q.feed(kGet + "\r\n", took), State::Complete);
    EXPECT_EQ(q.declaredLength(), std::nullopt);
}

TEST(RequestParser, StartedOnTheFirstByte) {
    RequestParser p(kLimits);
    std::size_t took = 0;
    EXPECT_FALSE(p.started());
    ASSERT_EQ(p.feed("", took), State::NeedMore);
    EXPECT_FALSE(p.started());
    ASSERT_EQ(p.feed("G", took), State::NeedMore);
    EXPECT_TRUE(p.started());
}

// The loop's use: feed, answer, reset, feed the rest (the pipelined next request).
TEST(RequestParser, ResetReadiesTheNextRequestAndWipesTheBody) {
    RequestParser p(kLimits);
    const std::string first = postWith("Content-Length: 5\r\n");
    const std::string second = "GET /next?x=1 HTTP/1.1\r\n" + kHost + "\r\n";
    std::string buffer = first + second;
    std::size_t took = 0;
    ASSERT_EQ(p.feed(buffer, took), State::Complete);
    ASSERT_EQ(took, first.size());
    EXPECT_EQ(p.request().body, "hello");
    buffer.erase(0, took);
    p.reset();
    EXPECT_FALSE(p.started());
    EXPECT_FALSE(p.headComplete());
    EXPECT_EQ(p.state(), State::NeedMore);
    EXPECT_TRUE(p.request().body.empty());
    EXPECT_TRUE(p.request().headers.empty());
    ASSERT_EQ(p.feed(buffer, took), State::Complete);
    EXPECT_EQ(took, second.size());
    EXPECT_EQ(p.request().method, "GET");
    EXPECT_EQ(p.request().path, "/next");
    EXPECT_EQ(p.request().query, "x=1");
    EXPECT_TRUE(p.request().body.empty());
    EXPECT_EQ(p.request().headers.size(), 1u);
    // A failure is over until reset: more bytes are not taken.
    p.reset();
    ASSERT_EQ(p.feed("GET /\x01", took), State::Failed);
    ASSERT_EQ(p.feed(kGet, took), State::Failed);
    EXPECT_EQ(took, 0u);
    p.reset();
    ASSERT_EQ(p.feed(kGet + "\r\n", took), State::Complete);
}

// The body is reserved once (the declared length, or maxBody for chunked): a byte-by-byte
// body never moves, so no unwiped copy of it is left in freed memory.
TEST(RequestParser, BodyIsNeverReallocated) {
    for (const std::string& raw :
         {postWith("Content-Length: 16\r\n", "0123456789abcdef"),
          chunked("3\r\n012\r\n5\r\n34567\r\n8\r\n89abcdef\r\n0\r\n\r\n")}) {
        RequestParser p(kLimits);
        std::size_t took = 0;
        const char* data = nullptr;
        for (char c : raw) {
            const State s = p.feed(std::string_view(&c, 1), took);
            if (p.headComplete() && data == nullptr) data = p.request().body.data();
            if (s != State::NeedMore) break;
        }
        ASSERT_EQ(p.state(), State::Complete);
        EXPECT_EQ(p.request().body, "0123456789abcdef");
        EXPECT_EQ(p.request().body.data(), data);
    }
}

// A trickler costs O(1) per byte: 2 MiB of one header fed one byte at a time. A parser that
// rescanned what it holds on every feed would take ~10^12 steps here.
TEST(RequestParser, TrickledHeadCostsLinearTime) {
    const std::size_t n = 2 * 1024 * 1024;
    RequestParser p(ParseLimits{n + 1024, 100, 16});
    std::size_t took = 0;
    const auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(p.feed(kGet + "X-Long: ", took), State::NeedMore);
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(p.feed("a", took), State::NeedMore);
    ASSERT_EQ(p.feed("\r\n\r\n", took), State::Complete);
    EXPECT_EQ(p.request().header("x-long")->size(), n);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// The message goes to the client: fixed text, never a byte of the request.
TEST(RequestParser, ErrorMessageNeverEchoesInput) {
    for (const std::string& raw :
         {std::string("GET /Zq9Marker\x01 HTTP/1.1\r\n"), kGet + "Zq9Marker\r\n\r\n",
          postWith("Content-Length: Zq9Marker\r\n"), withHeader("Expect: Zq9Marker"),
          std::string("GET /Zq9Marker HTTP/9.9\r\n\r\n")}) {
        RequestParser p(kLimits);
        std::size_t took = 0;
        ASSERT_EQ(p.feed(raw, took), State::Failed);
        EXPECT_EQ(p.errorMessage().find("Zq9"), std::string::npos) << p.errorMessage();
        for (char c : p.errorMessage()) EXPECT_TRUE(c >= 0x20 && c < 0x7F);
    }
}

struct PhraseCase {
    int status;
    const char* phrase;
};

TEST(ReasonPhrase, EveryStatusKeyportdSendsHasItsRfc9110Phrase) {
    for (const auto& [status, phrase] : std::vector<PhraseCase>{
             {100, "Continue"},
             {200, "OK"},
             {201, "Created"},
             {202, "Accepted"},
             {204, "No Content"},
             {400, "Bad Request"},
             {401, "Unauthorized"},
             {403, "Forbidden"},
             {404, "Not Found"},
             {405, "Method Not Allowed"},
             {408, "Request Timeout"},
             {409, "Conflict"},
             {411, "Length Required"},
             {412, "Precondition Failed"},
             {413, "Content Too Large"},
             {414, "URI Too Long"},
             {415, "Unsupported Media Type"},
             {417, "Expectation Failed"},
             {422, "Unprocessable Content"},
             {429, "Too Many Requests"},
             {431, "Request Header Fields Too Large"},
             {500, "Internal Server Error"},
             {501, "Not Implemented"},
             {502, "Bad Gateway"},
             {503, "Service Unavailable"},
             {504, "Gateway Timeout"},
             {505, "HTTP Version Not Supported"},
         }) {
        EXPECT_EQ(reasonPhrase(status), phrase) << status;
    }
}

TEST(ReasonPhrase, UnknownCodesGetAGenericPhraseNeverOk) {
    EXPECT_EQ(reasonPhrase(299), "Success");
    EXPECT_EQ(reasonPhrase(499), "Client Error");
    EXPECT_EQ(reasonPhrase(599), "Server Error");
    EXPECT_EQ(reasonPhrase(0), "Unknown Status");
    EXPECT_EQ(reasonPhrase(1000), "Unknown Status");
    for (int s = 0; s < 1000; ++s) {
        if (s != 200) {
            EXPECT_NE(reasonPhrase(s), "OK") << s;
        }
        EXPECT_FALSE(reasonPhrase(s).empty()) << s;
    }
}

}  // namespace
}  // namespace keyport::api::front
