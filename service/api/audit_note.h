// Audit notes: what a dialect's call wrapper tells its request's audit record (RequestAudit)
// as it learns it — the authenticated principal, the scope a grant made the call act in, and
// the ids of the objects the request named or created. Ids and names only: never tokens,
// secrets, material, plaintext, ciphertext, signatures or bodies.
#pragma once

#include <Poco/JSON/Object.h>

#include <initializer_list>
#include <string_view>
#include <utility>

#include "service/api/http.h"
#include "service/core/keys/key_service.h"
#include "service/core/tenancy/tenancy.h"

namespace keyport::api {

// (where the id is: a route parameter or a JSON member name, the object kind to record).
using IdFields = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// True for text that can be an object id or name in a record: 1–255 of
// [A-Za-z0-9._:/@=+-]. Anything else is malformed input the request is refused for, and the
// record does not repeat it.
bool auditableId(std::string_view s);

// The principal once authentication succeeded: its domain, home project, the credential's
// access key id (never a token or secret key) and role.
void notePrincipal(RequestAudit& audit, const Principal& p);
// Where a call acts in a scope other than the principal's own (a grant from another domain):
// the scope it acted in.
void noteActingScope(RequestAudit& audit, const Principal& p, const ProjectScope& acting);

// Route parameters that name objects.
void noteParams(Request& req, IdFields fields);
// String members of `o` that name objects; absent, non-string and malformed ones are skipped.
void noteMembers(RequestAudit& audit, const Poco::JSON::Object::Ptr& o, IdFields fields);
// Each string of the array member `name` of `o`, as `kind`.
void noteArray(RequestAudit& audit, const Poco::JSON::Object::Ptr& o, std::string_view name,
               std::string_view kind);
// The object member `name` of `o` (null when absent or not an object).
Poco::JSON::Object::Ptr member(const Poco::JSON::Object::Ptr& o, std::string_view name);

}  // namespace keyport::api
