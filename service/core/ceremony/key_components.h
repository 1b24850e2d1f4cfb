// KeyComponents: the key-component ceremony (ANSI X9.24 / PCI PIN style). Custodians each
// bring one component of an AES key; each component's check value is computed on the token
// for them to compare with their form, and a wrong one is refused before anything is
// written; the components are combined by XOR in locked host memory (SoftHSM 2.6.1 has no
// CKM_XOR_BASE_AND_DATA) and imported host-assisted into an external key pending import.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hsm/bytes.h"
#include "service/core/import/import_service.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

class KeyComponents {
  public:
    // The key a ceremony imports into, checked before any custodian types a component.
    struct Target {
        KeyRecord key;
        std::size_t componentBytes = 0;  // every component is as long as the key
    };
    struct Imported {
        KeyRecord key;
        std::string keyCheckValue;  // of the combined key, computed on the token
    };

    KeyComponents(ImportService& imports, RegionTokens& regions);

    // External, pending import, in `scope`'s project and of a spec components exist for
    // (AES_256: 32-byte components); refused with import's own errors otherwise.
    Target target(const ProjectScope& scope, const std::string& keyId);
    // The component's check value (aesCheckValue: 6 hex digits of AES-CMAC of a zero block,
    // on the key's region token); refused unless it is exactly t.componentBytes long.
    std::string checkValue(const Target& t, const hsm::SecretBytes& component);
    // XOR of the components (each already shown and checked), imported into the target.
    Imported import(const ProjectScope& scope, const Target& t,
                    const std::vector<hsm::SecretBytes>& components);

    // Whether a check value read off a form is `computed` (case and spaces ignored).
    static bool sameCheckValue(std::string_view computed, std::string_view onForm);
    // The bytes a component of a key of this spec takes; 0 for a spec without components.
    static std::size_t componentBytes(KeySpec spec);

  private:
    ImportService& imports_;
    RegionTokens& regions_;
};

}  // namespace keyport
