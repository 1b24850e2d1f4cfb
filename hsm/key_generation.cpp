#include "hsm/key_generation.h"

namespace hsm {

ObjectHandle generateAes(Session& s, CK_ULONG bytes, AttributeTemplate tmpl) {
    tmpl.set(CKA_VALUE_LEN, bytes);
    return s.generateKey(Mechanism::aesKeyGen(), tmpl);
}

ObjectHandle generateGenericSecret(Session& s, CK_ULONG bytes, AttributeTemplate tmpl) {
    tmpl.set(CKA_VALUE_LEN, bytes);
    return s.generateKey(Mechanism::genericSecretKeyGen(), tmpl);
}

KeyPair generateRsa(Session& s, const AttributeTemplate& publicTmpl,
                    const AttributeTemplate& privateTmpl) {
    return s.generateKeyPair(Mechanism::rsaKeyPairGen(), publicTmpl, privateTmpl);
}

KeyPair generateEc(Session& s, const AttributeTemplate& publicTmpl,
                   const AttributeTemplate& privateTmpl) {
    return s.generateKeyPair(Mechanism::ecKeyPairGen(), publicTmpl, privateTmpl);
}

}  // namespace hsm
