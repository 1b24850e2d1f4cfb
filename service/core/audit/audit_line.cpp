#include "service/core/audit/audit_line.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "service/core/audit/audit_record_json.h"

namespace keyport {
namespace {

[[noreturn]] void bad(const std::string& why) {
    throw AuditFormatError(why);
}

// A JSON value as far as the record format needs it: strings decoded, numbers kept as
// their text, objects with their members in order.
// (A pair<string, Value> inside Value itself is an incomplete type to libstdc++ under clang.)
struct Member;
struct Value {
    enum class Kind { String, Number, Object, Array, Literal } kind = Kind::Literal;
    std::string text;
    std::vector<Member> members;
    std::vector<Value> items;
};
struct Member {
    std::string first;  // the name
    Value second;
};

// RFC 8259, strictly: no trailing commas, no leading zeros, no raw control bytes, valid
// UTF-8 and escapes only. Records nest three deep; more is refused.
class Parser {
  public:
    explicit Parser(std::string_view s) : s_(s) {}

    Value document() {
        Value v = value(0);
        if (pos_ != s_.size()) bad("has bytes after the record's closing brace");
        return v;
    }

  private:
    Value value(int depth) {
        if (depth > 4) bad("nests deeper than a record does");
        if (pos_ >= s_.size()) bad("ends inside a value");
        const char c = s_[pos_];
        if (c == '{') return object(depth);
        if (c == '[') return array(depth);
        if (c == '"') return Value{Value::Kind::String, string(), {}, {}};
        if (c == '-' || (c >= '0' && c <= '9')) return Value{Value::Kind::Number, number(), {}, {}};
        for (std::string_view lit : {"true", "false", "null"}) {
            if (s_.substr(pos_, lit.size()) == lit) {
                pos_ += lit.size();
                return Value{Value::Kind::Literal, std::string(lit), {}, {}};
            }
        }
        bad("has an invalid JSON value");
    }

    void expect(char c, const char* what) {
        if (pos_ >= s_.size() || s_[pos_] != c) bad(what);
        ++pos_;
    }

    Value object(int depth) {
        Value v{Value::Kind::Object, {}, {}, {}};
        expect('{', "is not a JSON object");
        if (pos_ < s_.size() && s_[pos_] == '}') {
            ++pos_;
            return v;
        }
        for (;;) {
            if (pos_ >= s_.size() || s_[pos_] != '"') bad("has a member name that is not a string");
            std::string name = string();
            expect(':', "lacks a ':' after a member name");
            v.members.push_back(Member{std::move(name), value(depth + 1)});
            if (pos_ < s_.size() && s_[pos_] == ',') {
                ++pos_;
                continue;
            }
            expect('}', "has an object that does not close");
            return v;
        }
    }

    Value array(int depth) {
        Value v{Value::Kind::Array, {}, {}, {}};
        expect('[', "is not a JSON array");
        if (pos_ < s_.size() && s_[pos_] == ']') {
            ++pos_;
            return v;
        }
        for (;;) {
            v.items.push_back(value(depth + 1));
            if (pos_ < s_.size() && s_[pos_] == ',') {
                ++pos_;
                continue;
            }
            expect(']', "has an array that does not close");
            return v;
        }
    }

    static int hexDigit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    unsigned hex4() {
        if (s_.size() - pos_ < 4) bad("has a short \\u escape");
        unsigned u = 0;
        for (int i = 0; i < 4; ++i) {
            const int d = hexDigit(s_[pos_++]);
            if (d < 0) bad("has a bad \\u escape");
            u = u * 16 + static_cast<unsigned>(d);
        }
        return u;
    }

    static void utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    std::string string() {
        ++pos_;  // the opening quote
        std::string out;
        for (;;) {
            if (pos_ >= s_.size()) bad("has a string that does not close");
            const auto c = static_cast<unsigned char>(s_[pos_]);
            if (c == '"') {
                ++pos_;
                return out;
            }
            if (c < 0x20) bad("has a raw control byte in a string");
            if (c == '\\') {
                if (++pos_ >= s_.size()) bad("has a string that does not close");
                const char e = s_[pos_++];
                switch (e) {
                    case '"':
                        out += '"';
                        break;
                    case '\\':
                        out += '\\';
                        break;
                    case '/':
                        out += '/';
                        break;
                    case 'b':
                        out += '\b';
                        break;
                    case 'f':
                        out += '\f';
                        break;
                    case 'n':
                        out += '\n';
                        break;
                    case 'r':
                        out += '\r';
                        break;
                    case 't':
                        out += '\t';
                        break;
                    case 'u': {
                        unsigned cp = hex4();
                        if (cp >= 0xD800 && cp <= 0xDBFF) {
                            if (s_.substr(pos_, 2) != "\\u") bad("has a lone surrogate escape");
                            pos_ += 2;
                            const unsigned lo = hex4();
                            if (lo < 0xDC00 || lo > 0xDFFF) bad("has a lone surrogate escape");
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                            bad("has a lone surrogate escape");
                        }
                        utf8(out, cp);
                        break;
                    }
                    default:
                        bad("has a bad escape in a string");
                }
                continue;
            }
            const std::size_t n = audit_json::utf8SequenceLength(s_.substr(pos_));
            if (n == 0) bad("is not valid UTF-8");
            out.append(s_.substr(pos_, n));
            pos_ += n;
        }
    }

    std::string number() {
        const std::size_t start = pos_;
        const auto digit = [&] { return pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9'; };
        if (s_[pos_] == '-') ++pos_;
        if (!digit()) bad("has a bad number");
        if (s_[pos_] == '0') {
            ++pos_;
        } else {
            while (digit()) ++pos_;
        }
        if (pos_ < s_.size() && s_[pos_] == '.') {
            ++pos_;
            if (!digit()) bad("has a bad number");
            while (digit()) ++pos_;
        }
        if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            ++pos_;
            if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
            if (!digit()) bad("has a bad number");
            while (digit()) ++pos_;
        }
        return std::string(s_.substr(start, pos_ - start));
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

// A member of a record type: its name, what it must be, whether it may be left out.
enum class Shape { String, Count, Decimal, Hex64, Time, Principal, Objects };
struct MemberRule {
    std::string_view name;
    Shape shape;
    bool required;
};

constexpr MemberRule kRequestRules[] = {
    {"seq", Shape::Count, true},
    {"time", Shape::Time, true},
    {"type", Shape::String, true},
    {"request_id", Shape::String, false},
    {"dialect", Shape::String, false},
    {"method", Shape::String, false},
    {"route", Shape::String, false},
    {"peer", Shape::String, false},
    {"peer_subject", Shape::String, false},
    {"principal", Shape::Principal, false},
    {"objects", Shape::Objects, false},
    {"status", Shape::Count, true},
    {"error_code", Shape::String, false},
    {"unwrap_path", Shape::String, false},
    {"latency_ms", Shape::Decimal, true},
    {"prev", Shape::Hex64, true},
};
constexpr MemberRule kStartRules[] = {
    {"seq", Shape::Count, true},
    {"time", Shape::Time, true},
    {"type", Shape::String, true},
    {"version", Shape::String, false},
    {"torn_tail_bytes", Shape::Count, false},
    {"prev", Shape::Hex64, true},
};
constexpr MemberRule kSealRules[] = {
    {"seq", Shape::Count, true},     {"time", Shape::Time, true},     {"type", Shape::String, true},
    {"reason", Shape::String, true}, {"region", Shape::String, true}, {"mac", Shape::Hex64, true},
    {"prev", Shape::Hex64, true},
};

bool isCount(const Value& v) {
    return v.kind == Value::Kind::Number && !v.text.empty() && v.text.size() <= 19 &&
           std::all_of(v.text.begin(), v.text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isHex64(const Value& v) {
    return v.kind == Value::Kind::String && v.text.size() == 64 &&
           std::all_of(v.text.begin(), v.text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool isTime(const Value& v) {
    // YYYY-MM-DDTHH:MM:SS.mmmZ
    constexpr std::string_view pattern = "dddd-dd-ddTdd:dd:dd.dddZ";
    if (v.kind != Value::Kind::String || v.text.size() != pattern.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = v.text[i];
        if (pattern[i] == 'd' ? (c < '0' || c > '9') : c != pattern[i]) return false;
    }
    return true;
}

bool isStringObject(const Value& v, std::initializer_list<std::string_view> order,
                    bool allRequired) {
    if (v.kind != Value::Kind::Object || v.members.empty()) return false;
    auto next = order.begin();
    for (const auto& [name, member] : v.members) {
        while (next != order.end() && *next != name) {
            if (allRequired) return false;
            ++next;
        }
        if (next == order.end() || member.kind != Value::Kind::String) return false;
        ++next;
    }
    return !allRequired || next == order.end();
}

bool fits(const Value& v, Shape shape) {
    switch (shape) {
        case Shape::String:
            return v.kind == Value::Kind::String;
        case Shape::Count:
            return isCount(v);
        case Shape::Decimal:
            return v.kind == Value::Kind::Number && v.text[0] != '-' &&
                   v.text.find_first_of("eE") == std::string::npos;
        case Shape::Hex64:
            return isHex64(v);
        case Shape::Time:
            return isTime(v);
        case Shape::Principal:
            return isStringObject(v,
                                  {"domain_id", "project_id", "access_key", "role",
                                   "acting_domain_id", "acting_project_id"},
                                  false);
        case Shape::Objects:
            return v.kind == Value::Kind::Array && !v.items.empty() &&
                   std::all_of(v.items.begin(), v.items.end(), [](const Value& o) {
                       return isStringObject(o, {"kind", "id"}, true);
                   });
    }
    return false;
}

template <std::size_t N>
void checkMembers(const Value& record, const MemberRule (&rules)[N], const std::string& type) {
    std::size_t next = 0;
    for (const auto& [name, v] : record.members) {
        while (next < N && rules[next].name != name) {
            if (rules[next].required) {
                bad("lacks \"" + std::string(rules[next].name) + "\" (a " + type + " record)");
            }
            ++next;
        }
        if (next == N) {
            bad("has a member that a " + type + " record does not have, or members out of order");
        }
        if (!fits(v, rules[next].shape)) {
            bad("has an invalid \"" + std::string(rules[next].name) + "\"");
        }
        ++next;
    }
    for (; next < N; ++next) {
        if (rules[next].required) {
            bad("lacks \"" + std::string(rules[next].name) + "\" (a " + type + " record)");
        }
    }
}

const std::string& stringMember(const Value& record, std::string_view name) {
    for (const auto& [n, v] : record.members) {
        if (n == name) return v.text;
    }
    static const std::string empty;
    return empty;
}

std::uint64_t count(const std::string& digits) {
    if (digits.size() > 1 && digits[0] == '0') bad("has a number with a leading zero");
    std::uint64_t n = 0;
    for (char c : digits) n = n * 10 + static_cast<std::uint64_t>(c - '0');
    return n;
}

}  // namespace

AuditLine parseAuditLine(std::string_view line) {
    if (line.size() > audit_json::kMaxRecordBytes) bad("is longer than a record may be");
    if (line.empty()) bad("is empty");
    const Value record = Parser(line).document();
    if (record.kind != Value::Kind::Object) bad("is not a JSON object");
    if (record.members.size() < 3 || record.members[2].first != "type" ||
        record.members[2].second.kind != Value::Kind::String) {
        bad("does not begin with \"seq\", \"time\" and \"type\"");
    }
    AuditLine out;
    out.type = record.members[2].second.text;
    if (out.type == "request") {
        checkMembers(record, kRequestRules, out.type);
    } else if (out.type == "start") {
        checkMembers(record, kStartRules, out.type);
    } else if (out.type == "seal") {
        checkMembers(record, kSealRules, out.type);
    } else {
        bad("has an unknown record type");
    }
    out.seq = count(record.members[0].second.text);  // checkMembers: "seq" comes first
    out.prev = stringMember(record, "prev");
    if (out.type == "seal") {
        out.reason = stringMember(record, "reason");
        out.region = stringMember(record, "region");
        out.mac = stringMember(record, "mac");
    } else if (out.type == "start") {
        const std::string& torn = stringMember(record, "torn_tail_bytes");
        if (!torn.empty()) out.tornTailBytes = count(torn);
    }
    return out;
}

std::string auditLineHash(std::string_view line) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    // Fetched once: EVP_sha256() would look the implementation up again on every call.
    static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (sha256 == nullptr ||
        EVP_Digest(line.data(), line.size(), md.data(), &len, sha256, nullptr) != 1) {
        throw std::runtime_error("EVP_Digest(SHA-256) failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(2 * len);
    for (unsigned i = 0; i < len; ++i) {
        hex += kHex[md[i] >> 4];
        hex += kHex[md[i] & 0xF];
    }
    return hex;
}

}  // namespace keyport
