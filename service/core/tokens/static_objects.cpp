#include "service/core/tokens/static_objects.h"

#include <algorithm>

namespace keyport {
namespace {

std::optional<hsm::ObjectHandle> findByLabel(hsm::Session& s, CK_OBJECT_CLASS cls,
                                             const char* label) {
    hsm::AttributeTemplate t;
    t.set(CKA_CLASS, cls).set(CKA_LABEL, std::string_view(label)).set(CKA_TOKEN, true);
    return s.findOne(t);
}

// Every KEK generation: the token's secret keys whose label names one. Few secret keys live
// on a region token (KEKs, the MAC key), so reading each label costs little.
std::vector<KekGeneration> findKeks(hsm::Session& s) {
    hsm::AttributeTemplate t;
    t.set(CKA_CLASS, CK_OBJECT_CLASS{CKO_SECRET_KEY}).set(CKA_TOKEN, true);
    std::vector<KekGeneration> out;
    for (const auto h : s.findObjects(t, 256)) {
        const auto label = s.attribute(h, CKA_LABEL);
        if (!label) continue;
        if (const auto g = kekGenerationOf(std::string(label->begin(), label->end()))) {
            out.push_back({*g, h});
        }
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.generation > b.generation; });
    return out;
}

}  // namespace

StaticObjects StaticObjects::find(hsm::Session& s) {
    StaticObjects o;
    o.keks = findKeks(s);
    if (!o.keks.empty()) o.kek = o.keks.front().handle;
    o.mac = findByLabel(s, CKO_SECRET_KEY, kMacLabel);
    o.transportPublic = findByLabel(s, CKO_PUBLIC_KEY, kTransportLabel);
    o.transportPrivate = findByLabel(s, CKO_PRIVATE_KEY, kTransportLabel);
    o.marker = findByLabel(s, CKO_DATA, kMarkerLabel);
    o.ceremonyPublic = findByLabel(s, CKO_PUBLIC_KEY, kCeremonyLabel);
    o.ceremonyPrivate = findByLabel(s, CKO_PRIVATE_KEY, kCeremonyLabel);
    return o;
}

}  // namespace keyport
