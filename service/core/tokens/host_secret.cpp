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

std::string aesCheckValue(hsm::Session& s, const hsm::SecretBytes& key) {
    const hsm::ObjectHandle k = createFromHost(s, hsm::policy::checkValueKey(key.reveal()));
    hsm::Bytes mac;
    try {
        static constexpr std::array<std::uint8_t, 16> kZeroBlock{};
        mac = s.sign(hsm::Mechanism::aesCmac(), k, kZeroBlock);
    } catch (...) {
        s.destroyObjectNoThrow(k);
        throw;
    }
    s.destroyObjectNoThrow(k);
    if (mac.size() < 3) throw std::runtime_error("C_Sign (CKM_AES_CMAC) returned a short MAC");
    std::string hex = hexEncode(hsm::ByteView(mac.data(), 3));
    for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return hex;
}

}  // namespace keyport
