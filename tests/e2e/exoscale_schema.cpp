#include "tests/e2e/exoscale_schema.h"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <ctime>
#include <iomanip>
#include <regex>
#include <sstream>

namespace keyport::test::exoscale_schema {
namespace {

using Poco::Dynamic::Var;

bool isUuid(const std::string& s) {
    static const std::regex re(
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
        "[0-9a-fA-F]{12}$");
    return std::regex_match(s, re);
}

// Go's []byte decodes standard base64 with padding.
bool isBase64(const std::string& s) {
    static const std::regex re("^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$");
    return std::regex_match(s, re);
}

bool isInteger(const Var& v) {
    return v.isInteger() && !v.isString() && !v.isBoolean();
}

void check(const Var& v, const Member& m, const std::string& path, std::vector<std::string>& out);

void checkObject(const Poco::JSON::Object::Ptr& o, const Schema& schema, const std::string& path,
                 std::vector<std::string>& out) {
    if (!o) {
        out.push_back(path + ": not an object (" + schema.name + ")");
        return;
    }
    for (const Member& m : schema.members) {
        const std::string p = path.empty() ? m.name : path + "." + m.name;
        if (!o->has(m.name)) {
            if (m.required) out.push_back(p + ": required, absent");
            continue;
        }
        check(o->get(m.name), m, p, out);
    }
}

void check(const Var& v, const Member& m, const std::string& path, std::vector<std::string>& out) {
    if (v.isEmpty()) {
        out.push_back(path + ": null");
        return;
    }
    const auto isString = [&] {
        if (v.isString()) return true;
        out.push_back(path + ": not a string");
        return false;
    };
    switch (m.kind) {
        case Kind::String:
            if (isString() && !m.values.empty()) {
                const auto s = v.extract<std::string>();
                if (std::find(m.values.begin(), m.values.end(), s) == m.values.end())
                    out.push_back(path + ": '" + s + "' is not in the enum");
            }
            return;
        case Kind::DateTime:
            if (isString() && !isDateTime(v.extract<std::string>()))
                out.push_back(path + ": '" + v.extract<std::string>() + "' is not a date-time");
            return;
        case Kind::Uuid:
            if (isString() && !isUuid(v.extract<std::string>()))
                out.push_back(path + ": not a UUID");
            return;
        case Kind::Byte:
            if (isString() && !isBase64(v.extract<std::string>()))
                out.push_back(path + ": not base64");
            return;
        case Kind::Integer:
            if (!isInteger(v)) out.push_back(path + ": not an integer");
            return;
        case Kind::Boolean:
            if (!v.isBoolean()) out.push_back(path + ": not a boolean");
            return;
        case Kind::Object:
            if (v.type() != typeid(Poco::JSON::Object::Ptr)) {
                out.push_back(path + ": not an object");
                return;
            }
            checkObject(v.extract<Poco::JSON::Object::Ptr>(), *m.object, path, out);
            return;
        case Kind::Array: {
            if (v.type() != typeid(Poco::JSON::Array::Ptr)) {
                out.push_back(path + ": not an array");
                return;
            }
            const auto a = v.extract<Poco::JSON::Array::Ptr>();
            Member item{m.name, m.items, true, m.values, m.object};
            for (std::size_t i = 0; i < a->size(); ++i)
                check(a->get(static_cast<unsigned>(i)), item, path + "[" + std::to_string(i) + "]",
                      out);
            return;
        }
    }
}

const std::vector<std::string> kKeyStatus{"enabled", "disabled", "pending-deletion"};

const Schema kRevision{"revision-stamp",
                       {{"at", Kind::DateTime, true}, {"seq", Kind::Integer, true}}};
const Schema kMaterial{"key-material",
                       {{"version", Kind::Integer, true},
                        {"created-at", Kind::DateTime, true},
                        {"automatic", Kind::Boolean, true}}};
const Schema kRotationConfig{"key-rotation-config",
                             {{"manual-count", Kind::Integer, true},
                              {"automatic", Kind::Boolean, true},
                              {"rotation-period", Kind::Integer, true},
                              {"next-at", Kind::DateTime, true}}};
const Schema kReplicaFailure{"replica-failure",
                             {{"attempted-watermark", Kind::Integer, true},
                              {"error", Kind::String, true},
                              {"failed-at", Kind::DateTime, true}}};
const Schema kReplicaState{"replica-state",
                           {{"zone", Kind::String, true},
                            {"last-applied-watermark", Kind::Integer, true},
                            {"last-failure", Kind::Object, false, {}, &kReplicaFailure}}};

std::vector<Member> keyMembers(bool full) {
    std::vector<Member> m{
        {"id", Kind::Uuid, true},
        {"name", Kind::String, true},
        {"description", Kind::String},
        {"usage", Kind::String, true},
        {"source", Kind::String, true, {"exoscale-kms"}},
        {"status", Kind::String, true, kKeyStatus},
        {"status-since", Kind::DateTime, true},
        {"multi-zone", Kind::Boolean, true},
        {"origin-zone", Kind::String, true},
        {"created-at", Kind::DateTime, true},
        {"revision", Kind::Object, true, {}, &kRevision},
    };
    if (full) {
        m.push_back({"material", Kind::Object, true, {}, &kMaterial});
        m.push_back({"rotation", Kind::Object, true, {}, &kRotationConfig});
        m.push_back({"delete-at", Kind::DateTime});
        m.push_back({"replicas", Kind::Array, false, {}, nullptr, Kind::String});
    }
    return m;
}

const Schema kListEntry{"list-kms-keys-response-entry", keyMembers(true)};
const Schema kReference{"operation.reference",
                        {{"id", Kind::Uuid}, {"link", Kind::String}, {"command", Kind::String}}};
const Schema kRotationEntry{"list-kms-key-rotations-response-entry",
                            {{"version", Kind::Integer, true},
                             {"rotated-at", Kind::DateTime, true},
                             {"automatic", Kind::Boolean, true}}};
const Schema kZone{"zone",
                   {{"name",
                     Kind::String,
                     false,
                     {"ch-dk-2", "de-muc-1", "ch-gva-2", "at-vie-1", "de-fra-1", "bg-sof-1",
                      "at-vie-2", "hr-zag-1"}},
                    {"api-endpoint", Kind::String},
                    {"sos-endpoint", Kind::String}}};

Schema getKey() {
    Schema s{"get-kms-key-response", keyMembers(true)};
    s.members.push_back({"replicas-status", Kind::Array, false, {}, &kReplicaState, Kind::Object});
    return s;
}

}  // namespace

bool isDateTime(const std::string& s) {
    static const std::regex re(
        "^(\\d{4})-(\\d{2})-(\\d{2})[Tt](\\d{2}):(\\d{2}):(\\d{2})(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2}"
        ")$");
    std::smatch m;
    if (!std::regex_match(s, m, re)) return false;
    const int month = std::stoi(m[2]), day = std::stoi(m[3]), hour = std::stoi(m[4]),
              minute = std::stoi(m[5]), second = std::stoi(m[6]);
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24 && minute < 60 &&
           second < 60;
}

std::int64_t dateTimeMs(const std::string& s) {
    std::tm tm{};
    std::istringstream in(s.substr(0, 19));
    in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
    std::int64_t ms = static_cast<std::int64_t>(timegm(&tm)) * 1000;
    if (s.size() > 20 && s[19] == '.') ms += std::stoi(s.substr(20, 3));
    return ms;
}

std::vector<std::string> violations(const Poco::JSON::Object::Ptr& o, const Schema& schema) {
    std::vector<std::string> out;
    checkObject(o, schema, "", out);
    return out;
}

const Schema kCreateKeyResponse{"create-kms-key-response", keyMembers(false)};
const Schema kGetKeyResponse = getKey();
const Schema kListKeysResponse{"list-kms-keys-response",
                               {{"kms-keys", Kind::Array, true, {}, &kListEntry, Kind::Object}}};
const Schema kSuccessResponse{
    "success-response",
    {{"status", Kind::String, true, {"success", "target-registered", "already-applied"}}}};
const Schema kOperation{
    "operation",
    {{"id", Kind::Uuid},
     {"reason",
      Kind::String,
      false,
      {"incorrect", "unknown", "unavailable", "forbidden", "busy", "fault", "partial", "not-found",
       "interrupted", "unsupported", "conflict"}},
     {"reference", Kind::Object, false, {}, &kReference},
     {"message", Kind::String},
     {"state", Kind::String, false, {"failure", "pending", "success", "timeout"}}}};
const Schema kScheduleDeletionResponse{"schedule-kms-key-deletion-response",
                                       {{"delete-at", Kind::DateTime, true}}};
const Schema kEncryptResponse{"encrypt-response", {{"ciphertext", Kind::Byte, true}}};
const Schema kDecryptResponse{"decrypt-response", {{"plaintext", Kind::Byte, true}}};
const Schema kGenerateDataKeyResponse{
    "generate-data-key-response",
    {{"plaintext", Kind::Byte, true}, {"ciphertext", Kind::Byte, true}}};
const Schema kReEncryptResponse{"re-encrypt-response", {{"ciphertext", Kind::Byte, true}}};
const Schema kRotationResponse{"rotate-kms-key-response",
                               {{"rotation", Kind::Object, true, {}, &kRotationConfig}}};
const Schema kListRotationsResponse{
    "list-kms-key-rotations-response",
    {{"rotations", Kind::Array, true, {}, &kRotationEntry, Kind::Object}}};
const Schema kListZonesResponse{"list-zones",
                                {{"zones", Kind::Array, false, {}, &kZone, Kind::Object}}};
const Schema kErrorResponse{"error-response",
                            {{"type", Kind::String, true},
                             {"title", Kind::String, true},
                             {"status", Kind::Integer, true},
                             {"detail", Kind::String, true}}};

}  // namespace keyport::test::exoscale_schema
