// JsonBody on any body: parse, then every accessor on every name the object has and on one
// it lacks. Only keyport::Error may come out (anything else would be a 500).
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using keyport::api::JsonBody;
    std::optional<JsonBody> body;
    try {
        body.emplace(JsonBody::parse(std::string(reinterpret_cast<const char*>(data), size)));
    } catch (const keyport::Error& e) {
        KEYPORT_FUZZ_CHECK(e.code() == keyport::ErrorCode::MalformedRequest);
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
    keyport::api::stringify(body->root());
    return 0;
}
