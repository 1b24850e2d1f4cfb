#include "service/core/tokens/static_objects.h"

namespace keyport {
namespace {

std::optional<hsm::ObjectHandle> findByLabel(hsm::Session& s, CK_OBJECT_CLASS cls,
                                             const char* label) {
    hsm::AttributeTemplate t;
    t.set(CKA_CLASS, cls).set(CKA_LABEL, std::string_view(label)).set(CKA_TOKEN, true);
    return s.findOne(t);
}

}  // namespace

StaticObjects StaticObjects::find(hsm::Session& s) {
    StaticObjects o;
    o.kek = findByLabel(s, CKO_SECRET_KEY, kKekLabel);
    o.mac = findByLabel(s, CKO_SECRET_KEY, kMacLabel);
    o.transportPublic = findByLabel(s, CKO_PUBLIC_KEY, kTransportLabel);
    o.transportPrivate = findByLabel(s, CKO_PRIVATE_KEY, kTransportLabel);
    o.marker = findByLabel(s, CKO_DATA, kMarkerLabel);
    o.ceremonyPublic = findByLabel(s, CKO_PUBLIC_KEY, kCeremonyLabel);
    o.ceremonyPrivate = findByLabel(s, CKO_PRIVATE_KEY, kCeremonyLabel);
    return o;
}

}  // namespace keyport
