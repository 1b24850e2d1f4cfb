#include "service/api/json.h"

#include <Poco/Exception.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <ostream>
#include <sstream>
#include <streambuf>

#include "service/api/json_fast_parse.h"
#include "service/api/json_screen.h"
#include "service/core/base/errors.h"

namespace keyport::api {
namespace {

// The output buffer of a response: a body may carry plaintext, so it grows by hand, wiping
// each outgrown buffer before it is freed, and hands its string over without a copy.
class WipingStringBuf : public std::streambuf {
  public:
    explicit WipingStringBuf(std::size_t capacity) { grow(capacity); }
    ~WipingStringBuf() override { wipe(buf_); }

    std::string take() {
        buf_.resize(used());
        std::string out = std::move(buf_);
        buf_.clear();
        setp(nullptr, nullptr);
        return out;
    }

  protected:
    int_type overflow(int_type c) override {
        if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
        grow(buf_.size() * 2);
        *pptr() = traits_type::to_char_type(c);
        pbump(1);
        return c;
    }

  private:
    std::size_t used() const { return static_cast<std::size_t>(pptr() - pbase()); }

    void grow(std::size_t capacity) {
        const std::size_t n = pbase() != nullptr ? used() : 0;
        std::string next(capacity, '\0');
        std::copy(buf_.data(), buf_.data() + n, next.data());
        wipe(buf_);
        buf_ = std::move(next);
        setp(buf_.data(), buf_.data() + buf_.size());
        pbump(static_cast<int>(n));
    }

    std::string buf_;
};

}  // namespace

JsonBody JsonBody::parse(const std::string& body) {
    screenJson(body);  // depth and out-of-range numbers, whatever parser follows
    // Most bodies are in the fast parser's subset; it builds the tree Poco's parser would.
    if (auto fast = fastParseObject(body)) return JsonBody(std::move(fast));
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var v;
    try {
        v = parser.parse(body);
    } catch (const Poco::Exception&) {
        throw Error(ErrorCode::MalformedRequest, "the request body is not valid JSON");
    }
    if (v.type() != typeid(Poco::JSON::Object::Ptr)) {
        throw Error(ErrorCode::MalformedRequest, "the request body must be a JSON object");
    }
    return JsonBody(v.extract<Poco::JSON::Object::Ptr>());
}

bool JsonBody::has(const std::string& name) const {
    return root_->has(name) && !root_->isNull(name);
}

std::optional<std::string> JsonBody::optString(const std::string& name) const {
    if (!has(name)) return std::nullopt;
    const Poco::Dynamic::Var v = root_->get(name);
    if (!v.isString()) throw Error(ErrorCode::InvalidParameter, name + " must be a string", name);
    return v.extract<std::string>();
}

std::string JsonBody::string(const std::string& name) const {
    auto v = optString(name);
    if (!v) throw Error(ErrorCode::MissingParameter, name + " is required", name);
    return *v;
}

std::optional<std::int64_t> JsonBody::optInteger(const std::string& name, std::int64_t min,
                                                 std::int64_t max) const {
    if (!has(name)) return std::nullopt;
    const Poco::Dynamic::Var v = root_->get(name);
    const std::string range = " from " + std::to_string(min) + " to " + std::to_string(max);
    std::int64_t out = 0;
    if (v.isString()) {
        const auto& s = v.extract<std::string>();
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) {
            throw Error(ErrorCode::InvalidParameter, name + " must be an integer" + range, name);
        }
    } else if (v.isInteger() && !v.isBoolean()) {
        try {
            out = v.convert<std::int64_t>();
        } catch (const Poco::RangeException&) {  // a UInt64 past INT64_MAX
            throw Error(ErrorCode::InvalidParameter, name + " must be an integer" + range, name);
        }
    } else {
        throw Error(ErrorCode::InvalidParameter, name + " must be an integer" + range, name);
    }
    if (out < min || out > max) {
        throw Error(ErrorCode::InvalidParameter, name + " must be an integer" + range, name);
    }
    return out;
}

std::optional<bool> JsonBody::optBool(const std::string& name) const {
    if (!has(name)) return std::nullopt;
    const Poco::Dynamic::Var v = root_->get(name);
    if (!v.isBoolean())
        throw Error(ErrorCode::InvalidParameter, name + " must be true or false", name);
    return v.extract<bool>();
}

Poco::JSON::Object::Ptr JsonBody::object(const std::string& name) const {
    if (!has(name)) return nullptr;
    auto o = root_->getObject(name);
    if (!o) throw Error(ErrorCode::InvalidParameter, name + " must be an object", name);
    return o;
}

Poco::JSON::Array::Ptr JsonBody::array(const std::string& name) const {
    if (!has(name)) return nullptr;
    auto a = root_->getArray(name);
    if (!a) throw Error(ErrorCode::InvalidParameter, name + " must be an array", name);
    return a;
}

Poco::JSON::Object::Ptr object() {
    return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

namespace {

// Poco's Stringifier writes a string one character at a time through std::ostream::write
// (a sentry per byte): a third of an encrypt-data request went there. This writer emits
// the same text (tests/parsers/json_stringify_test.cpp compares it with Poco's) straight
// into the response buffer; a string with a byte it would escape or a non-ASCII byte, and
// any value other than objects, arrays, strings, booleans, integers and null, are left to
// Poco's own formatter so that their text stays exactly Poco's.
class FastStringifier {
  public:
    FastStringifier(WipingStringBuf& buf, std::ostream& out) : buf_(buf), out_(out) {}

    void object(const Poco::JSON::Object& o) {
        put('{');
        bool first = true;
        for (const std::string& name : o.getNames()) {
            if (!first) put(',');
            first = false;
            string(name);
            put(':');
            value(o.get(name));
        }
        put('}');
    }

    void array(const Poco::JSON::Array& a) {
        put('[');
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (i > 0) put(',');
            value(a.get(static_cast<unsigned>(i)));
        }
        put(']');
    }

  private:
    void put(char c) { buf_.sputc(c); }
    void put(std::string_view s) { buf_.sputn(s.data(), static_cast<std::streamsize>(s.size())); }

    // Printable ASCII other than '"' and '\\' (0x7f included) is the text Poco writes as is.
    static bool plain(std::string_view s) {
        static constexpr auto kPlain = [] {
            std::array<bool, 256> t{};
            for (unsigned c = 0x20; c < 0x80; ++c) t[c] = c != '"' && c != '\\';
            return t;
        }();
        bool all = true;
        for (const char ch : s) all &= kPlain[static_cast<unsigned char>(ch)];
        return all;
    }

    void string(const std::string& s) {
        if (plain(s)) {
            put('"');
            put(s);
            put('"');
        } else {
            Poco::JSON::Stringifier::formatString(s, out_);
        }
    }

    void value(const Poco::Dynamic::Var& v) {
        const std::type_info& t = v.type();
        if (v.isEmpty()) {
            put("null");
        } else if (t == typeid(std::string)) {
            string(v.extract<std::string>());
        } else if (t == typeid(Poco::JSON::Object::Ptr) &&
                   !v.extract<Poco::JSON::Object::Ptr>().isNull()) {
            object(*v.extract<Poco::JSON::Object::Ptr>());
        } else if (t == typeid(Poco::JSON::Array::Ptr) &&
                   !v.extract<Poco::JSON::Array::Ptr>().isNull()) {
            array(*v.extract<Poco::JSON::Array::Ptr>());
        } else if (t == typeid(bool)) {
            put(v.extract<bool>() ? "true" : "false");
        } else if (t == typeid(int) || t == typeid(long) || t == typeid(long long) ||
                   t == typeid(std::int64_t)) {
            number(v.convert<std::int64_t>());
        } else if (t == typeid(unsigned) || t == typeid(unsigned long) ||
                   t == typeid(unsigned long long) || t == typeid(std::uint64_t)) {
            number(v.convert<std::uint64_t>());
        } else {
            Poco::JSON::Stringifier::stringify(v, out_);
        }
    }

    template <typename N>
    void number(N n) {
        char digits[24];
        const auto r = std::to_chars(digits, digits + sizeof digits, n);
        put(std::string_view(digits, static_cast<std::size_t>(r.ptr - digits)));
    }

    WipingStringBuf& buf_;
    std::ostream& out_;  // over buf_, for Poco's formatter
};

}  // namespace

std::string stringify(const Poco::JSON::Object::Ptr& o) {
    WipingStringBuf buf(1024);
    std::ostream s(&buf);
    FastStringifier(buf, s).object(*o);
    return buf.take();
}

void setSecret(Poco::JSON::Object::Ptr o, const std::string& name, std::string value) {
    o->set(name, value);
    wipe(value);
}

void wipe(std::string& s) noexcept {
    s.resize(s.capacity());
    OPENSSL_cleanse(s.data(), s.size());
    s.clear();
}

std::string quote(const std::string& s) {
    std::ostringstream out;
    Poco::JSON::Stringifier::formatString(s, out);
    return out.str();
}

}  // namespace keyport::api
