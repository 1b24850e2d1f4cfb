// A strict decoder for Exoscale's response objects, as egoscale v3's generated Go structs
// read them: every required member present, members of the right JSON type, enums as the
// spec lists them, date-times that parse as RFC 3339, UUIDs and base64 where the spec says
// so. The schemas below are transcribed from ../shared/specs/exoscale-kms-v2.yaml.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace keyport::test::exoscale_schema {

enum class Kind { String, DateTime, Uuid, Integer, Boolean, Byte, Object, Array };

struct Schema;

struct Member {
    std::string name;
    Kind kind;
    bool required = false;
    std::vector<std::string> values = {};  // an enum, when not empty
    const Schema* object = nullptr;        // Object, or the items of an Array of objects
    Kind items = Kind::Object;             // an Array's items
};

struct Schema {
    std::string name;
    std::vector<Member> members;
};

// What is wrong with `o` as `schema` (empty: it decodes).
std::vector<std::string> violations(const Poco::JSON::Object::Ptr& o, const Schema& schema);
// RFC 3339 date-time (Go's time.RFC3339Nano parser's grammar), e.g. 2026-12-01T14:27:28.123Z.
bool isDateTime(const std::string& s);
// Milliseconds since the epoch of a date-time in UTC ("Z"), as Keyport sends them.
std::int64_t dateTimeMs(const std::string& s);

extern const Schema kCreateKeyResponse;
extern const Schema kGetKeyResponse;
extern const Schema kListKeysResponse;
extern const Schema kSuccessResponse;
extern const Schema kOperation;
extern const Schema kScheduleDeletionResponse;
extern const Schema kEncryptResponse;
extern const Schema kDecryptResponse;
extern const Schema kGenerateDataKeyResponse;
extern const Schema kReEncryptResponse;
extern const Schema kRotationResponse;  // rotate / enable- / disable-kms-key-rotation
extern const Schema kListRotationsResponse;
extern const Schema kListZonesResponse;
extern const Schema kErrorResponse;

}  // namespace keyport::test::exoscale_schema
