// Module: one loaded and initialised PKCS#11 module (via p11-kit), with slot and token
// enumeration. Finalised and unloaded when destroyed.
#pragma once

#include <string>
#include <vector>

#include "hsm/bytes.h"
#include "hsm/pkcs11.h"

namespace hsm {

struct SlotToken {
    CK_SLOT_ID slot;
    bool initialized;   // CKF_TOKEN_INITIALIZED
    std::string label;  // trailing padding removed
    std::string serial;
};

class Module {
  public:
    // `nameOrPath` is a p11-kit registered module name (e.g. "softhsm2") or, when it
    // contains a '/', the path of a module library. C_Initialize runs with OS locking.
    explicit Module(const std::string& nameOrPath);
    ~Module();

    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;

    CK_FUNCTION_LIST* functions() const noexcept { return fn_; }
    const std::string& path() const noexcept { return path_; }

    // Every slot that has a token, initialised or not.
    std::vector<SlotToken> tokens() const;
    // Labels of the initialised tokens, for error messages.
    std::vector<std::string> labels() const;
    // The slot of the initialised token with this label; throws naming the labels present.
    CK_SLOT_ID slotForLabel(const std::string& label) const;
    // A slot holding an uninitialised token, if any.
    bool findUninitializedSlot(CK_SLOT_ID& slot) const;
    // C_InitToken: destroys whatever the slot's token held. Callers decide when that is
    // allowed; provisioning only ever calls it on an uninitialised slot unless forced.
    void initToken(CK_SLOT_ID slot, const SecretBytes& soPin, const std::string& label);

  private:
    CK_FUNCTION_LIST* fn_ = nullptr;
    std::string path_;
};

}  // namespace hsm
