// AttributeTemplate: a list of PKCS#11 attributes that owns the storage its CK_ATTRIBUTEs
// point into, so a template can be built, copied and passed around safely. Every value
// lives in SecretBytes (a CKA_VALUE may be plaintext key material): wiped when overwritten
// or destroyed, and a copy is a deep copy into fresh SecretBytes.
#pragma once

#include <string_view>
#include <vector>

#include "hsm/bytes.h"
#include "hsm/pkcs11.h"

namespace hsm {

class AttributeTemplate {
  public:
    AttributeTemplate() = default;
    AttributeTemplate(const AttributeTemplate& other);
    AttributeTemplate& operator=(const AttributeTemplate& other);
    AttributeTemplate(AttributeTemplate&&) noexcept = default;
    AttributeTemplate& operator=(AttributeTemplate&&) noexcept = default;
    ~AttributeTemplate() = default;

    AttributeTemplate& set(CK_ATTRIBUTE_TYPE type, bool value);
    AttributeTemplate& set(CK_ATTRIBUTE_TYPE type, CK_ULONG value);
    AttributeTemplate& set(CK_ATTRIBUTE_TYPE type, ByteView value);
    AttributeTemplate& set(CK_ATTRIBUTE_TYPE type, std::string_view value);
    // Avoid int literals silently picking the bool overload.
    AttributeTemplate& set(CK_ATTRIBUTE_TYPE type, int value) = delete;

    bool contains(CK_ATTRIBUTE_TYPE type) const;
    bool empty() const { return entries_.empty(); }
    CK_ULONG size() const { return static_cast<CK_ULONG>(entries_.size()); }

    // A CK_ATTRIBUTE array valid until the template is next modified. PKCS#11 takes
    // non-const pointers for input templates, hence the const_cast-free mutable view.
    CK_ATTRIBUTE* data() const;

  private:
    struct Entry {
        CK_ATTRIBUTE_TYPE type;
        SecretBytes value;
    };
    std::vector<Entry> entries_;
    mutable std::vector<CK_ATTRIBUTE> view_;
};

}  // namespace hsm
