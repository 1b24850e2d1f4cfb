// JSON at the dialect boundary: a request body read into typed fields with errors that
// name the field, and response objects that keep their key order.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>

namespace keyport::api {

class JsonBody {
  public:
    // Throws Error(MalformedRequest) unless `body` is one JSON object.
    static JsonBody parse(const std::string& body);

    bool has(const std::string& name) const;
    // Absent or null → nullopt; present but not a string → Error(InvalidParameter, name).
    std::optional<std::string> optString(const std::string& name) const;
    // Absent → Error(MissingParameter, name).
    std::string string(const std::string& name) const;
    // A JSON integer or a string of decimal digits (Huawei's SDKs send both), in range.
    std::optional<std::int64_t> optInteger(const std::string& name, std::int64_t min,
                                           std::int64_t max) const;
    std::optional<bool> optBool(const std::string& name) const;
    Poco::JSON::Object::Ptr object(const std::string& name) const;  // null when absent
    Poco::JSON::Array::Ptr array(const std::string& name) const;    // null when absent
    const Poco::JSON::Object::Ptr& root() const { return root_; }

  private:
    explicit JsonBody(Poco::JSON::Object::Ptr root) : root_(std::move(root)) {}
    Poco::JSON::Object::Ptr root_;
};

// A new object that preserves insertion order (responses read like the vendors' docs).
Poco::JSON::Object::Ptr object();
std::string stringify(const Poco::JSON::Object::Ptr& o);
std::string quote(const std::string& s);  // a JSON string literal

// Secret text on its way into a response (base64 or hex of plaintext, a secret_string):
// `o` gets its own copy and ours is wiped. Poco's copy lives in `o` until it is destroyed.
void setSecret(Poco::JSON::Object::Ptr o, const std::string& name, std::string value);
// Overwrites a string we own that held secret text (the capacity too, not just size()).
void wipe(std::string& s) noexcept;

// A request field holding secret text, copied out of the parsed body; wiped when it goes,
// also when the handler throws.
struct SecretText {
    std::string text;
    ~SecretText() { wipe(text); }
};

}  // namespace keyport::api
