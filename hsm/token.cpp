#include "hsm/token.h"

#include <utility>

namespace hsm {

Token::Token(Module& module, std::string label, const SecretBytes& userPin)
    : module_(module),
      label_(std::move(label)),
      slot_(module.slotForLabel(label_)),
      owner_(module.functions(), slot_),
      pool_(module.functions(), slot_) {
    // Every C_Login rewrites SoftHSM's token.object: once per process, never per request.
    owner_.login(CKU_USER, userPin);
}

}  // namespace hsm
