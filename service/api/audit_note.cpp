#include "service/api/audit_note.h"

#include <algorithm>
#include <string>

namespace keyport::api {
namespace {

bool idChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("._:/@=+-").find(c) != std::string_view::npos;
}

}  // namespace

bool auditableId(std::string_view s) {
    return !s.empty() && s.size() <= 255 && std::all_of(s.begin(), s.end(), idChar);
}

void notePrincipal(RequestAudit& audit, const Principal& p) {
    audit.domainId = p.domainId;
    audit.projectId = p.projectId;
    audit.accessKey = p.accessKey;
    audit.role = std::string(name(p.role));
}

void noteActingScope(RequestAudit& audit, const Principal& p, const ProjectScope& acting) {
    if (acting.domainId == p.domainId) return;
    audit.actingDomainId = acting.domainId;
    audit.actingProjectId = acting.projectId;
}

void noteParams(Request& req, IdFields fields) {
    for (const auto& [param, kind] : fields) {
        const auto it = req.params.find(std::string(param));
        if (it != req.params.end() && auditableId(it->second))
            req.audit.object(std::string(kind), it->second);
    }
}

void noteMembers(RequestAudit& audit, const Poco::JSON::Object::Ptr& o, IdFields fields) {
    if (!o) return;
    for (const auto& [name, kind] : fields) {
        const std::string key(name);
        if (!o->has(key)) continue;
        const Poco::Dynamic::Var v = o->get(key);
        if (!v.isString()) continue;
        const auto& id = v.extract<std::string>();
        if (auditableId(id)) audit.object(std::string(kind), id);
    }
}

void noteArray(RequestAudit& audit, const Poco::JSON::Object::Ptr& o, std::string_view name,
               std::string_view kind) {
    if (!o) return;
    const auto a = o->getArray(std::string(name));
    if (!a) return;
    for (std::size_t i = 0; i < a->size(); ++i) {
        const Poco::Dynamic::Var v = a->get(static_cast<unsigned>(i));
        if (!v.isString()) continue;
        const auto& id = v.extract<std::string>();
        if (auditableId(id)) audit.object(std::string(kind), id);
    }
}

Poco::JSON::Object::Ptr member(const Poco::JSON::Object::Ptr& o, std::string_view name) {
    if (!o) return nullptr;
    return o->getObject(std::string(name));
}

}  // namespace keyport::api
