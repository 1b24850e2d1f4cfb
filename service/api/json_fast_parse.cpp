#include "service/api/json_fast_parse.h"

#include <Poco/JSON/Array.h>

#include <cstdint>
#include <string>

#include "service/api/json.h"

namespace keyport::api {
namespace {

constexpr int kMaxDepth = 16;
constexpr std::size_t kMaxDigits = 18;  // always within Int64, as Poco stores them

class FastParser {
  public:
    explicit FastParser(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}

    Poco::JSON::Object::Ptr document() {
        ws();
        if (!at('{')) return nullptr;
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object();
        if (!object(*o, 1)) return nullptr;
        ws();
        return p_ == end_ ? o : nullptr;
    }

  private:
    bool at(char c) const { return p_ != end_ && *p_ == c; }

    void ws() {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
    }

    bool literal(std::string_view word) {
        if (static_cast<std::size_t>(end_ - p_) < word.size() ||
            std::string_view(p_, word.size()) != word) {
            return false;
        }
        p_ += word.size();
        return true;
    }

    // p_ at '"': printable ASCII up to the closing quote; a backslash or any other byte
    // leaves the string to Poco.
    bool string(std::string& out) {
        const char* start = ++p_;
        while (p_ != end_) {
            const auto c = static_cast<unsigned char>(*p_);
            if (c == '"') {
                out.assign(start, p_);
                ++p_;
                return true;
            }
            if (c < 0x20 || c >= 0x80 || c == '\\') return false;
            ++p_;
        }
        return false;
    }

    // A non-negative integer. Negative numbers go to Poco, which reads some of them through
    // a double (-123456789012345678 arrives as ...680): its tree is the reference.
    bool integer(Poco::Dynamic::Var& out) {
        const char* digits = p_;
        while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
        const auto n = static_cast<std::size_t>(p_ - digits);
        if (n == 0 || n > kMaxDigits || (n > 1 && *digits == '0')) return false;
        if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
        std::int64_t v = 0;
        for (const char* d = digits; d != p_; ++d) v = v * 10 + (*d - '0');
        out = static_cast<Poco::Int64>(v);
        return true;
    }

    bool value(Poco::Dynamic::Var& out, int depth) {
        if (p_ == end_) return false;
        switch (*p_) {
            case '"': {
                std::string s;
                if (!string(s)) return false;
                out = s;
                wipe(s);  // request strings may be plaintext; the tree's copy is Poco's
                return true;
            }
            case '{': {
                if (depth >= kMaxDepth) return false;
                Poco::JSON::Object::Ptr o = new Poco::JSON::Object();
                if (!object(*o, depth + 1)) return false;
                out = o;
                return true;
            }
            case '[': {
                if (depth >= kMaxDepth) return false;
                Poco::JSON::Array::Ptr a = new Poco::JSON::Array();
                if (!array(*a, depth + 1)) return false;
                out = a;
                return true;
            }
            case 't':
                out = true;
                return literal("true");
            case 'f':
                out = false;
                return literal("false");
            case 'n':
                out = Poco::Dynamic::Var();
                return literal("null");
            default:
                return integer(out);
        }
    }

    // A string value set into the tree leaves a copy in `v`: wipe it there too.
    static void wipeString(Poco::Dynamic::Var& v) {
        if (v.type() == typeid(std::string))
            wipe(const_cast<std::string&>(v.extract<std::string>()));
    }

    bool object(Poco::JSON::Object& o, int depth) {
        ++p_;  // '{'
        ws();
        if (at('}')) {
            ++p_;
            return true;
        }
        std::string key;
        while (true) {
            if (!at('"') || !string(key)) return false;
            ws();
            if (!at(':')) return false;
            ++p_;
            ws();
            Poco::Dynamic::Var v;
            if (!value(v, depth)) return false;
            o.set(key, v);  // a repeated name: the last one wins, as with Poco
            wipeString(v);
            ws();
            if (at(',')) {
                ++p_;
                ws();
                continue;
            }
            if (!at('}')) return false;
            ++p_;
            return true;
        }
    }

    bool array(Poco::JSON::Array& a, int depth) {
        ++p_;  // '['
        ws();
        if (at(']')) {
            ++p_;
            return true;
        }
        while (true) {
            Poco::Dynamic::Var v;
            if (!value(v, depth)) return false;
            a.add(v);
            wipeString(v);
            ws();
            if (at(',')) {
                ++p_;
                ws();
                continue;
            }
            if (!at(']')) return false;
            ++p_;
            return true;
        }
    }

    const char* p_;
    const char* end_;
};

}  // namespace

Poco::JSON::Object::Ptr fastParseObject(std::string_view body) {
    return FastParser(body).document();
}

}  // namespace keyport::api
