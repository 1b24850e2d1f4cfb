// Huawei KMS tag queries and batch tag changes: the project's tags (GET kms/tags), keys by
// tags (POST kms/resource_instances/action, filter or count) and batch create/delete on
// one key (POST kms/{key_id}/tags/action). Checked against huaweicloud-sdk-nodejs-v3
// services/kms/v2/model/ListKmsTagsResponse.ts, Tag.ts, TagItem.ts,
// ListKmsByTagsRequestBody.ts, ListKmsByTagsResponse.ts, ActionResources.ts and
// BatchCreateKmsTagsRequestBody.ts, and the Go SDK's kms_meta.go for the paths.
#include <algorithm>
#include <set>

#include "service/api/huawei/kms_call.h"
#include "service/core/base/errors.h"

namespace keyport::api::huawei {
namespace {

// Huawei's tag rules (TagItem): key 1–36 characters, value 0–43, neither with ASCII 0–31,
// *, <, >, \ or =. Lengths count Unicode characters, as Huawei's do.
std::size_t utf8Length(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char ch) {
        return (static_cast<unsigned char>(ch) & 0xc0) != 0x80;
    }));
}

void checkTagText(const std::string& s, std::size_t min, std::size_t max,
                  const std::string& field) {
    const bool bad = std::any_of(s.begin(), s.end(), [](char ch) {
        const auto u = static_cast<unsigned char>(ch);
        return u < 32 || ch == '*' || ch == '<' || ch == '>' || ch == '\\' || ch == '=';
    });
    const std::size_t n = utf8Length(s);
    if (n < min || n > max || bad) {
        throw Error(ErrorCode::InvalidParameter,
                    field + " must be " + std::to_string(min) + "–" + std::to_string(max) +
                        " characters without control characters, *, <, >, \\ or =",
                    field);
    }
}

// Each element of a JSON array as a JsonBody, refusing anything but objects.
std::vector<JsonBody> objects(const Poco::JSON::Array::Ptr& a, const std::string& field) {
    std::vector<JsonBody> out;
    for (std::size_t i = 0; i < a->size(); ++i) {
        auto o = a->getObject(static_cast<unsigned>(i));
        if (!o) throw Error(ErrorCode::InvalidParameter, field + " must hold objects", field);
        out.push_back(JsonBody::parse(stringify(o)));
    }
    return out;
}

std::vector<std::string> strings(const JsonBody& b, const std::string& name) {
    std::vector<std::string> out;
    auto a = b.array(name);
    if (!a) return out;
    for (std::size_t i = 0; i < a->size(); ++i) {
        const Poco::Dynamic::Var v = a->get(static_cast<unsigned>(i));
        if (!v.isString())
            throw Error(ErrorCode::InvalidParameter, name + " must hold strings", name);
        out.push_back(v.extract<std::string>());
    }
    return out;
}

Poco::JSON::Array::Ptr tagItems(const std::map<std::string, std::string>& tags) {
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& [k, v] : tags) {
        auto t = object();
        t->set("key", k);
        t->set("value", v);
        arr->add(t);
    }
    return arr;
}

}  // namespace

// ListKmsByTagsRequestBody.tags: at most 10 distinct keys, each with its values.
TagFilter tagFilter(const JsonBody& body) {
    TagFilter f;
    if (auto tags = body.array("tags")) {
        if (tags->size() > 10)
            throw Error(ErrorCode::InvalidParameter, "tags holds at most 10 keys", "tags");
        std::set<std::string> seen;
        for (const JsonBody& t : objects(tags, "tags")) {
            const std::string key = t.string("key");
            checkTagText(key, 1, 36, "key");
            if (!seen.insert(key).second)
                throw Error(ErrorCode::InvalidParameter, "tags names key '" + key + "' twice",
                            "tags");
            auto values = strings(t, "values");
            for (const auto& v : values) checkTagText(v, 0, 43, "values");
            f.tags.emplace_back(key, std::move(values));
        }
    }
    if (auto matches = body.array("matches")) {
        for (const JsonBody& m : objects(matches, "matches")) {
            // resource_name is the one field Huawei matches on (the key's alias).
            if (m.string("key") != "resource_name")
                throw Error(ErrorCode::InvalidParameter, "matches key must be resource_name",
                            "matches");
            const std::string value = m.string("value");
            if (value.empty() || utf8Length(value) > 255)
                throw Error(ErrorCode::InvalidParameter, "matches value must be 1–255 characters",
                            "matches");
            f.aliasContains.push_back(value);
        }
    }
    return f;
}

void checkTagItem(const std::string& key, const std::string& value) {
    checkTagText(key, 1, 36, "key");
    checkTagText(value, 0, 43, "value");
}

// GET /v1.0/{project_id}/kms/tags → {"tags":[{"key","values":[...]}]}
Poco::JSON::Object::Ptr listProjectTags(KmsCall& c) {
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& [k, values] : c.services.keyTags->projectTags(c.scope)) {
        auto t = object();
        t->set("key", k);
        Poco::JSON::Array::Ptr vs = new Poco::JSON::Array;
        for (const auto& v : values) vs->add(v);
        t->set("values", vs);
        arr->add(t);
    }
    auto o = object();
    o->set("tags", arr);
    return o;
}

// POST /v1.0/{project_id}/kms/resource_instances/action → {"resources":[...],"total_count"}
Poco::JSON::Object::Ptr listKeysByTags(KmsCall& c) {
    const std::string action = c.body.string("action");
    if (action != "filter" && action != "count")
        throw Error(ErrorCode::InvalidParameter, "action must be filter or count", "action");
    const bool count = action == "count";
    const TagFilter filter = tagFilter(c.body);
    // limit and offset only page a filter (Huawei: limit 1–1000, default 10; offset ≥ 0).
    const auto limit = count ? 0 : c.body.optInteger("limit", 1, 1000).value_or(10);
    const auto offset = count ? 0 : c.body.optInteger("offset", 0, INT32_MAX).value_or(0);
    const TaggedKeys found = c.services.keyTags->find(
        c.scope, filter, static_cast<std::size_t>(offset), static_cast<std::size_t>(limit));
    Poco::JSON::Array::Ptr resources = new Poco::JSON::Array;
    for (const TaggedKey& tk : found.keys) {
        auto r = object();
        r->set("resource_id", tk.key.id);
        r->set("resource_detail", keyInfo(tk.key));
        r->set("resource_name", tk.key.alias);
        r->set("tags", tagItems(tk.tags));
        resources->add(r);
    }
    auto o = object();
    o->set("resources", resources);
    o->set("total_count", static_cast<Poco::Int64>(found.total));
    return o;
}

// POST /v1.0/{project_id}/kms/{key_id}/tags/action, action create|delete → 204.
Poco::JSON::Object::Ptr batchKeyTags(KmsCall& c) {
    const std::string id = c.keyId();
    const std::string action = c.body.string("action");
    if (action != "create" && action != "delete")
        throw Error(ErrorCode::InvalidParameter, "action must be create or delete", "action");
    auto tags = c.body.array("tags");
    if (!tags) throw Error(ErrorCode::MissingParameter, "tags is required", "tags");
    if (tags->size() == 0)
        throw Error(ErrorCode::InvalidParameter, "tags must name at least one tag", "tags");
    if (tags->size() > KeyTags::kMaxTagsPerKey) {
        throw Error(ErrorCode::InvalidParameter,
                    "tags holds at most " + std::to_string(KeyTags::kMaxTagsPerKey) + " tags",
                    "tags");
    }
    std::vector<std::pair<std::string, std::string>> items;
    std::set<std::string> seen;
    for (const JsonBody& t : objects(tags, "tags")) {
        const std::string key = t.string("key");
        const std::string value = t.optString("value").value_or("");
        checkTagItem(key, value);
        if (!seen.insert(key).second)
            throw Error(ErrorCode::InvalidParameter, "tags names key '" + key + "' twice", "tags");
        items.emplace_back(key, value);
    }
    if (action == "create") {
        c.services.keyTags->addTags(c.scope, id, items);
    } else {
        std::vector<std::string> keys;
        for (const auto& [k, v] : items) keys.push_back(k);
        c.services.keyTags->removeTags(c.scope, id, keys);
    }
    c.status = 204;  // Huawei: 204 No Content
    return nullptr;
}

}  // namespace keyport::api::huawei
