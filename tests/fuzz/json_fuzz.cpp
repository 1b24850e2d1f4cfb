// JsonBody on any body: parse, then every accessor on every name the object has and on one
// it lacks, and the Huawei body parsers that read more than one field: the AAD /
// encryption_context binding, KMS and CSMS tag filters, grant principals. Only keyport::Error
// may come out (anything else would be a 500), and what they accept keeps their promises.
#include <algorithm>
#include <map>
#include <set>

#include "service/api/huawei/csms_api.h"
#include "service/api/huawei/kms_call.h"
#include "service/api/json.h"
#include "service/core/base/errors.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

template <typename F>
void call(F&& f) {
    try {
        f();
    } catch (const keyport::Error& e) {
        KEYPORT_FUZZ_CHECK(e.code() == keyport::ErrorCode::InvalidParameter ||
                           e.code() == keyport::ErrorCode::MissingParameter);
    }
}

using keyport::api::JsonBody;

std::map<std::string, std::string> stringPairs(const Poco::JSON::Object::Ptr& o) {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : *o) out.emplace(k, v.extract<std::string>());
    return out;
}

// The bytes a ciphertext is bound to: the AAD string itself, or NUL + the context's pairs
// as sorted JSON that reads back as the very same pairs (so two contexts never share one
// binding), and binding that read-back context gives the same bytes again.
void checkAssociatedData(const JsonBody& body) {
    namespace huawei = keyport::api::huawei;
    const std::string aad = huawei::associatedData(body);
    if (aad.empty() || aad.front() != '\0') {
        KEYPORT_FUZZ_CHECK(aad.size() <= 128);
        KEYPORT_FUZZ_CHECK(aad == body.optString("additional_authenticated_data").value_or(""));
        return;
    }
    KEYPORT_FUZZ_CHECK(aad.size() <= 1 + 8192);
    const auto context = body.object("encryption_context");
    KEYPORT_FUZZ_CHECK(context && !body.optString("additional_authenticated_data"));
    std::optional<JsonBody> again;
    try {
        again.emplace(JsonBody::parse(aad.substr(1)));
    } catch (const keyport::Error&) {
    }
    KEYPORT_FUZZ_CHECK(again.has_value());  // the canonical form is JSON again
    KEYPORT_FUZZ_CHECK(stringPairs(again->root()) == stringPairs(context));
    Poco::JSON::Object::Ptr wrapped = new Poco::JSON::Object;
    wrapped->set("encryption_context", again->root());
    KEYPORT_FUZZ_CHECK(huawei::associatedData(JsonBody::parse(keyport::api::stringify(wrapped))) ==
                       aad);
}

void checkTagFilters(const JsonBody& body) {
    namespace huawei = keyport::api::huawei;
    call([&] {
        const keyport::TagFilter f = huawei::tagFilter(body);
        KEYPORT_FUZZ_CHECK(f.tags.size() <= 10);
        std::set<std::string> keys;
        for (const auto& [k, values] : f.tags) {
            KEYPORT_FUZZ_CHECK(!k.empty() && keys.insert(k).second);
        }
        for (const auto& a : f.aliasContains) KEYPORT_FUZZ_CHECK(!a.empty());
    });
    call([&] {
        const keyport::SecretTagFilter f = huawei::secretTagFilter(body);
        KEYPORT_FUZZ_CHECK(f.tags.size() <= 10);
    });
}

// Every string field as a grant principal: what is accepted comes back unchanged and is
// 1–64 of [a-zA-Z0-9_-] (it is stored and compared as a credential or domain id).
void checkPrincipals(const JsonBody& body, const std::vector<std::string>& names) {
    for (const auto& n : names) {
        call([&] {
            const auto s = body.optString(n);
            if (!s) return;
            const std::string p = keyport::api::huawei::checkedPrincipal(*s, n);
            KEYPORT_FUZZ_CHECK(p == *s && !p.empty() && p.size() <= 64);
            KEYPORT_FUZZ_CHECK(std::all_of(p.begin(), p.end(), [](char ch) {
                return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                       (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
            }));
        });
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::optional<JsonBody> body;
    try {
        body.emplace(JsonBody::parse(std::string(reinterpret_cast<const char*>(data), size)));
    } catch (const keyport::Error& e) {
        // Not JSON or too deep: MalformedRequest; a number out of every integer's and
        // double's range (screenJson): InvalidParameter naming the member.
        KEYPORT_FUZZ_CHECK(e.code() == keyport::ErrorCode::MalformedRequest ||
                           e.code() == keyport::ErrorCode::InvalidParameter);
        return 0;
    }
    std::vector<std::string> names;
    body->root()->getNames(names);
    names.emplace_back("absent-name");
    for (const auto& n : names) {
        call([&] { body->has(n); });
        call([&] { body->optString(n); });
        call([&] { body->string(n); });
        call([&] { body->optInteger(n, 0, 1096); });
        call([&] { body->optInteger(n, INT64_MIN, INT64_MAX); });
        call([&] { body->optBool(n); });
        call([&] { body->object(n); });
        call([&] { body->array(n); });
    }
    call([&] { checkAssociatedData(*body); });
    checkTagFilters(*body);
    checkPrincipals(*body, names);
    keyport::api::stringify(body->root());
    return 0;
}
