// RequestParser on any bytes, delivered whole and in pseudo-random splits (derived from the
// input, so a crash reproduces): the same requests and the same failure either way; consumed
// never past what was given (and all of it while more is needed); a complete request's body
// within maxBody; a failure a 4xx/5xx with a message that is not empty.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "service/api/front/request_parser.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using keyport::api::front::ParseLimits;
using keyport::api::front::RequestParser;
using State = RequestParser::State;

constexpr ParseLimits kLimits{512, 16, 256};

// What one connection's bytes amounted to: each complete request in order, then how the
// stream ended.
struct Trace {
    std::vector<std::string> requests;
    State last = State::NeedMore;
    int status = 0;
    std::size_t consumed = 0;
};

std::string summary(RequestParser& p) {
    const auto& r = p.request();
    std::string s =
        r.method + ' ' + r.path + '?' + r.query + ' ' + (p.keepAlive() ? "ka " : "close ");
    for (const auto& [name, value] : r.headers) s += name + ':' + value + '\n';
    return s + r.body;
}

// Feeds `data` in pieces of the lengths `next()` gives, the way the event loop does: what the
// parser did not take stays in front of the next piece; after a complete request, reset().
template <typename NextLength>
Trace run(std::string_view data, NextLength next) {
    RequestParser p(kLimits);
    Trace t;
    std::string pending;
    std::size_t from = 0;
    while (true) {
        while (true) {
            std::size_t took = 0;
            const State s = p.feed(pending, took);
            KEYPORT_FUZZ_CHECK(took <= pending.size());
            KEYPORT_FUZZ_CHECK(s == p.state());
            if (s == State::NeedMore) KEYPORT_FUZZ_CHECK(took == pending.size());
            pending.erase(0, took);
            t.consumed += took;
            if (s == State::NeedMore) break;
            if (s == State::Failed) {
                KEYPORT_FUZZ_CHECK(p.errorStatus() >= 400 && p.errorStatus() < 600);
                KEYPORT_FUZZ_CHECK(!p.errorMessage().empty());
                KEYPORT_FUZZ_CHECK(!p.keepAlive());
                t.last = s;
                t.status = p.errorStatus();
                return t;
            }
            KEYPORT_FUZZ_CHECK(p.headComplete());
            KEYPORT_FUZZ_CHECK(p.request().body.size() <= kLimits.maxBody);
            KEYPORT_FUZZ_CHECK(!p.request().path.empty() && p.request().path[0] == '/');
            t.requests.push_back(summary(p));
            p.reset();
        }
        if (from == data.size()) return t;  // the rest never completed a request: NeedMore
        const std::size_t n = std::min(next(), data.size() - from);
        pending.append(data.substr(from, n));
        from += n;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    const std::string_view data(reinterpret_cast<const char*>(bytes), size);
    const Trace whole = run(data, [&] { return data.size(); });
    const Trace single = run(data, [] { return std::size_t{1}; });
    std::uint32_t seed = 2166136261u;  // FNV-1a of the input picks the split lengths
    for (unsigned char c : data) seed = (seed ^ c) * 16777619u;
    const Trace split = run(data, [&] {
        seed = seed * 1103515245u + 12345u;
        return std::size_t{1} + (seed >> 16) % 64;
    });
    for (const Trace* t : {&single, &split}) {
        KEYPORT_FUZZ_CHECK(t->requests == whole.requests);
        KEYPORT_FUZZ_CHECK(t->last == whole.last);
        KEYPORT_FUZZ_CHECK(t->status == whole.status);
        KEYPORT_FUZZ_CHECK(t->consumed == whole.consumed);
    }
    return 0;
}
