#include "hsm/attributes.h"

#include <algorithm>
#include <cstring>

namespace hsm {

AttributeTemplate::AttributeTemplate(const AttributeTemplate& other) {
    entries_.reserve(other.entries_.size());
    for (const auto& e : other.entries_)
        entries_.push_back({e.type, SecretBytes(e.value.reveal())});
}

AttributeTemplate& AttributeTemplate::operator=(const AttributeTemplate& other) {
    if (this != &other) *this = AttributeTemplate(other);
    return *this;
}

AttributeTemplate& AttributeTemplate::set(CK_ATTRIBUTE_TYPE type, ByteView value) {
    SecretBytes copy(value);
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [type](const Entry& e) { return e.type == type; });
    if (it != entries_.end()) {
        it->value = std::move(copy);
    } else {
        entries_.push_back({type, std::move(copy)});
    }
    return *this;
}

AttributeTemplate& AttributeTemplate::set(CK_ATTRIBUTE_TYPE type, bool value) {
    const CK_BBOOL b = value ? CK_TRUE : CK_FALSE;
    return set(type, ByteView(&b, sizeof b));
}

AttributeTemplate& AttributeTemplate::set(CK_ATTRIBUTE_TYPE type, CK_ULONG value) {
    std::uint8_t raw[sizeof(CK_ULONG)];
    std::memcpy(raw, &value, sizeof value);
    return set(type, ByteView(raw, sizeof raw));
}

AttributeTemplate& AttributeTemplate::set(CK_ATTRIBUTE_TYPE type, std::string_view value) {
    return set(type, asBytes(value));
}

bool AttributeTemplate::contains(CK_ATTRIBUTE_TYPE type) const {
    return std::any_of(entries_.begin(), entries_.end(),
                       [type](const Entry& e) { return e.type == type; });
}

CK_ATTRIBUTE* AttributeTemplate::data() const {
    view_.clear();
    view_.reserve(entries_.size());
    for (const auto& e : entries_) {
        view_.push_back(CK_ATTRIBUTE{
            e.type, e.value.empty() ? nullptr : const_cast<std::uint8_t*>(e.value.reveal().data()),
            static_cast<CK_ULONG>(e.value.size())});
    }
    return view_.empty() ? nullptr : view_.data();
}

}  // namespace hsm
