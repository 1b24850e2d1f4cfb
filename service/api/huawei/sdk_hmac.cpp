#include "service/api/huawei/sdk_hmac.h"

#include "service/api/client_hmac.h"

#include <openssl/evp.h>

#include <algorithm>
#include <ctime>

#include "service/core/base/encoding.h"

namespace keyport::api::huawei {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decoding; '+' is a space in query strings (as Go's url.ParseQuery reads them).
std::string unescape(std::string_view s, bool plusIsSpace) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hexValue(s[i + 1]) >= 0 && hexValue(s[i + 2]) >= 0) {
            out += static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2]));
            i += 2;
        } else if (plusIsSpace && s[i] == '+') {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    return out;
}

// The SDKs' escape: everything but A-Z a-z 0-9 - _ . ~ as %XX (upper case).
std::string escape(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        const auto at = s.find(sep, start);
        out.push_back(
            s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
        if (at == std::string_view::npos) return out;
        start = at + 1;
    }
}

std::string sha256Hex(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
    return hexEncode(hsm::ByteView(md, n));
}

// Each segment of the path as it is on the wire, escaped once more: Huawei's signers
// (huaweicloud-sdk-core AKSKSigner.CanonicalURI on url.parse(...).pathname, the Go SDK's
// on URL.EscapedPath) do not decode first, so a tag key `cost center` sent as
// `cost%20center` is signed as `cost%2520center`. Decoding here would refuse their requests.
std::string canonicalUri(std::string_view rawPath) {
    std::string out;
    bool first = true;
    for (auto segment : split(rawPath, '/')) {
        if (!first) out += '/';
        first = false;
        out += escape(segment);
    }
    if (out.empty() || out.back() != '/') out += '/';
    return out;
}

std::string canonicalQuery(std::string_view rawQuery) {
    std::vector<std::pair<std::string, std::string>> params;
    if (!rawQuery.empty()) {
        for (auto part : split(rawQuery, '&')) {
            if (part.empty()) continue;
            const auto eq = part.find('=');
            const auto k = part.substr(0, eq);
            const auto v = eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
            params.emplace_back(escape(unescape(k, true)), escape(unescape(v, true)));
        }
    }
    std::sort(params.begin(), params.end());
    std::string out;
    for (const auto& [k, v] : params) {
        if (!out.empty()) out += '&';
        out += k + "=" + v;
    }
    return out;
}

}  // namespace

namespace {

// The comma-separated "Name=value" list after the algorithm: `first` names the credential
// field (Access or Credential). nullopt for any other name or a malformed part.
struct AuthFields {
    std::string first, signedHeaders, signature;
};

std::optional<AuthFields> authFields(std::string_view rest, std::string_view firstName) {
    std::optional<std::string> first, signedHeaders, signature;
    for (auto part : split(rest, ',')) {
        part = trim(part);
        const auto eq = part.find('=');
        if (eq == std::string_view::npos) return std::nullopt;
        const auto name = part.substr(0, eq);
        const std::string value(part.substr(eq + 1));
        if (name == firstName)
            first = value;
        else if (name == "SignedHeaders")
            signedHeaders = value;
        else if (name == "Signature")
            signature = value;
        else
            return std::nullopt;
    }
    if (!first || first->empty() || !signedHeaders || signedHeaders->empty() || !signature)
        return std::nullopt;
    return AuthFields{*first, *signedHeaders, *signature};
}

std::optional<SdkAuthorization> sdkAuthorization(std::string accessKey, const AuthFields& f) {
    auto sig = hexDecode(f.signature);
    if (!sig || sig->size() != 32) return std::nullopt;
    SdkAuthorization a{std::move(accessKey), {}, std::move(*sig)};
    for (auto h : split(f.signedHeaders, ';')) {
        if (h.empty() || lower(h) != h) return std::nullopt;
        a.signedHeaders.emplace_back(h);
    }
    return a;
}

// A region or service name as Huawei's signers put it in the credential scope.
bool scopeName(std::string_view s) {
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.';
    });
}

}  // namespace

std::optional<SdkAuthorization> parseAuthorization(std::string_view header) {
    const std::string prefix = std::string(kSdkAlgorithm) + " ";
    if (!header.starts_with(prefix)) return std::nullopt;
    const auto f = authFields(header.substr(prefix.size()), "Access");
    if (!f) return std::nullopt;
    return sdkAuthorization(f->first, *f);
}

std::optional<DerivedAuthorization> parseDerivedAuthorization(std::string_view header) {
    const std::string prefix = std::string(kDerivedAlgorithm) + " ";
    if (!header.starts_with(prefix)) return std::nullopt;
    const auto f = authFields(header.substr(prefix.size()), "Credential");
    if (!f) return std::nullopt;
    const auto scope = split(f->first, '/');
    if (scope.size() != 4 || scope[0].empty() || scope[1].size() != 8 ||
        !std::all_of(scope[1].begin(), scope[1].end(),
                     [](unsigned char c) { return std::isdigit(c); }) ||
        !scopeName(scope[2]) || !scopeName(scope[3])) {
        return std::nullopt;
    }
    auto sdk = sdkAuthorization(std::string(scope[0]), *f);
    if (!sdk) return std::nullopt;
    return DerivedAuthorization{std::move(*sdk), std::string(scope[1]), std::string(scope[2]),
                                std::string(scope[3])};
}

std::optional<std::int64_t> parseSdkDate(std::string_view d) {
    if (d.size() != 16 || d[8] != 'T' || d[15] != 'Z') return std::nullopt;
    for (std::size_t i : {0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14}) {
        if (!std::isdigit(static_cast<unsigned char>(d[i]))) return std::nullopt;
    }
    auto num = [&](std::size_t at, std::size_t n) {
        return std::stoi(std::string(d.substr(at, n)));
    };
    std::tm tm{};
    tm.tm_year = num(0, 4) - 1900;
    tm.tm_mon = num(4, 2) - 1;
    tm.tm_mday = num(6, 2);
    tm.tm_hour = num(9, 2);
    tm.tm_min = num(11, 2);
    tm.tm_sec = num(13, 2);
    if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
        tm.tm_min > 59 || tm.tm_sec > 60) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(::timegm(&tm));
}

std::string formatSdkDate(std::int64_t epochSeconds) {
    const std::time_t t = static_cast<std::time_t>(epochSeconds);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return buf;
}

std::string canonicalRequest(const Request& req, const std::vector<std::string>& signedHeaders) {
    std::string headers;
    for (const auto& name : signedHeaders) {
        std::vector<std::string> values;
        for (const auto& [n, v] : req.headers) {
            if (lower(n) == name) values.emplace_back(trim(v));
        }
        std::sort(values.begin(), values.end());
        for (const auto& v : values) headers += name + ":" + v + "\n";
    }
    std::string joined;
    for (const auto& name : signedHeaders) joined += (joined.empty() ? "" : ";") + name;
    return req.method + "\n" + canonicalUri(req.path) + "\n" + canonicalQuery(req.query) + "\n" +
           headers + "\n" + joined + "\n" + sha256Hex(req.body);
}

std::string stringToSign(const std::string& canonical, const std::string& sdkDate) {
    return std::string(kSdkAlgorithm) + "\n" + sdkDate + "\n" + sha256Hex(canonical);
}

std::string derivedStringToSign(const std::string& canonical, const std::string& sdkDate,
                                const std::string& info) {
    return std::string(kDerivedAlgorithm) + "\n" + sdkDate + "\n" + info + "\n" +
           sha256Hex(canonical);
}

void sign(Request& req, const std::string& accessKey, const std::string& secretKey,
          std::int64_t now) {
    auto dateIt = std::find_if(req.headers.begin(), req.headers.end(),
                               [](const auto& h) { return lower(h.first) == "x-sdk-date"; });
    if (dateIt == req.headers.end()) {
        req.headers.emplace_back("X-Sdk-Date", formatSdkDate(now));
        dateIt = req.headers.end() - 1;
    }
    const std::string date = dateIt->second;
    std::vector<std::string> names;
    for (const auto& [n, v] : req.headers) names.push_back(lower(n));
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    const std::string sts = stringToSign(canonicalRequest(req, names), date);
    const hsm::Bytes mac = clientHmacSha256(secretKey, sts);
    std::string joined;
    for (const auto& name : names) joined += (joined.empty() ? "" : ";") + name;
    req.headers.emplace_back("Authorization", std::string(kSdkAlgorithm) + " Access=" + accessKey +
                                                  ", SignedHeaders=" + joined +
                                                  ", Signature=" + hexEncode(mac));
}

}  // namespace keyport::api::huawei
