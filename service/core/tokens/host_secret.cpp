#include "service/core/tokens/host_secret.h"

#include <array>

#include "hsm/error.h"
#include "hsm/key_policies.h"
#include "hsm/mechanism.h"
#include "service/core/base/encoding.h"

namespace keyport {

hsm::ObjectHandle createFromHost(hsm::Session& s, hsm::AttributeTemplate tmpl) {
    const hsm::Bytes tag = s.random(16);
    const std::string label = "keyport-host-" + hexEncode(tag);
    tmpl.set(CKA_LABEL, hsm::asBytes(label));
    try {
        return s.createObject(tmpl);
    } catch (const hsm::Error&) {
        hsm::AttributeTemplate find;
        find.set(CKA_LABEL, hsm::asBytes(label));
        for (auto h : s.findObjects(find)) s.destroyObjectNoThrow(h);
        throw;
    }
}

std::string aesCheckValueOf(hsm::Session& s, hsm::ObjectHandle key) {
    static constexpr std::array<std::uint8_t, 16> kZeroBlock{};
    const hsm::Bytes mac = s.sign(hsm::Mechanism::aesCmac(), key, kZeroBlock);
    if (mac.size() < 3) throw std::runtime_error("C_Sign (CKM_AES_CMAC) returned a short MAC");
    std::string hex = hexEncode(hsm::ByteView(mac.data(), 3));
    for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return hex;
}

std::string aesCheckValue(hsm::Session& s, const hsm::SecretBytes& key) {
    const hsm::ObjectHandle k = createFromHost(s, hsm::policy::checkValueKey(key.reveal()));
    try {
        std::string kcv = aesCheckValueOf(s, k);
        s.destroyObjectNoThrow(k);
        return kcv;
    } catch (...) {
        s.destroyObjectNoThrow(k);
        throw;
    }
}

}  // namespace keyport
