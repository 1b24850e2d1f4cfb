#include "service/api/json.h"

#include <Poco/Exception.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <charconv>
#include <ostream>
#include <sstream>
#include <streambuf>

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

std::string stringify(const Poco::JSON::Object::Ptr& o) {
    WipingStringBuf buf(1024);
    std::ostream s(&buf);
    o->stringify(s);
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
