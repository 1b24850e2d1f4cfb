#include "service/core/ceremony/key_components.h"

#include <cctype>

#include "service/core/base/errors.h"
#include "service/core/tokens/host_secret.h"

namespace keyport {

KeyComponents::KeyComponents(ImportService& imports, RegionTokens& regions)
    : imports_(imports), regions_(regions) {}

std::size_t KeyComponents::componentBytes(KeySpec spec) {
    // AES keys only: the check value is AES-CMAC. Keyport has no AES_128 spec; an AES_128
    // key would take 16-byte components the same way.
    return spec == KeySpec::Aes256 ? aesBytes(spec) : 0;
}

KeyComponents::Target KeyComponents::target(const ProjectScope& scope, const std::string& keyId) {
    KeyRecord k = imports_.pendingImport(scope, keyId);
    const std::size_t bytes = componentBytes(k.spec);
    if (bytes == 0) {
        throw Error(ErrorCode::AlgorithmUnsupported,
                    "key " + keyId + " is " + std::string(name(k.spec)) +
                        "; key components are supported for AES_256 keys (32-byte components)");
    }
    return Target{std::move(k), bytes};
}

std::string KeyComponents::checkValue(const Target& t, const hsm::SecretBytes& component) {
    if (component.size() != t.componentBytes) {
        throw Error(ErrorCode::InvalidParameter,
                    "a component of " + std::string(name(t.key.spec)) + " key " + t.key.id +
                        " is " + std::to_string(t.componentBytes) + " bytes (" +
                        std::to_string(2 * t.componentBytes) + " hex digits), got " +
                        std::to_string(component.size()));
    }
    auto session = regions_.region(t.key.region).token->session();
    return aesCheckValue(*session, component);
}

KeyComponents::Imported KeyComponents::import(const ProjectScope& scope, const Target& t,
                                              const std::vector<hsm::SecretBytes>& components) {
    if (components.size() < 2) {
        throw Error(ErrorCode::InvalidParameter, "a key is combined from at least 2 components");
    }
    hsm::SecretBytes key(t.componentBytes);
    auto k = key.reveal();
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = 0;
    for (const auto& c : components) {
        if (c.size() != t.componentBytes) {
            throw Error(ErrorCode::InvalidParameter, "components differ in length");
        }
        const auto v = c.reveal();
        for (std::size_t i = 0; i < k.size(); ++i) k[i] ^= v[i];
    }
    // Equal components cancel out: an all-zero key is a ceremony mistake, never a key.
    std::uint8_t any = 0;
    for (auto b : k) any |= b;
    if (any == 0) {
        throw Error(ErrorCode::MaterialInvalid,
                    "the components combine to an all-zero key (are two of them the same?)");
    }
    std::string kcv;
    {
        auto session = regions_.region(t.key.region).token->session();
        kcv = aesCheckValue(*session, key);
    }
    KeyRecord imported = imports_.importFromHost(scope, t.key.id, key, "components");
    return Imported{std::move(imported), std::move(kcv)};
}

bool KeyComponents::sameCheckValue(std::string_view computed, std::string_view onForm) {
    std::string a, b;
    for (char c : computed) {
        if (!std::isspace(static_cast<unsigned char>(c)))
            a += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    for (char c : onForm) {
        if (!std::isspace(static_cast<unsigned char>(c)))
            b += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return !a.empty() && a == b;
}

}  // namespace keyport
