// Session: one open PKCS#11 session (move-only, closed on destruction) and the typed
// operations Keyport performs through it. A failed call marks the session broken: SoftHSM
// 2.6.1 can leave the failed operation active, so a broken session must not be reused.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hsm/attributes.h"
#include "hsm/bytes.h"
#include "hsm/mechanism.h"
#include "hsm/pkcs11.h"

namespace hsm {

using ObjectHandle = CK_OBJECT_HANDLE;

struct KeyPair {
    ObjectHandle publicKey = CK_INVALID_HANDLE;
    ObjectHandle privateKey = CK_INVALID_HANDLE;
};

class Session {
  public:
    // `token`: the label of the token it belongs to, for the Observer (must outlive it).
    Session(CK_FUNCTION_LIST* fn, CK_SLOT_ID slot, bool readWrite = true,
            const std::string* token = nullptr);
    ~Session();
    Session(Session&& other) noexcept;
    Session& operator=(Session&& other) noexcept;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    CK_SESSION_HANDLE handle() const noexcept { return handle_; }
    bool broken() const noexcept { return broken_; }

    // Login state is per application and token, not per session: call once per token.
    // Returns false when the user was already logged in.
    bool login(CK_USER_TYPE user, const SecretBytes& pin);
    void logout();
    void initPin(const SecretBytes& userPin);

    ObjectHandle generateKey(const Mechanism& m, const AttributeTemplate& tmpl);
    KeyPair generateKeyPair(const Mechanism& m, const AttributeTemplate& publicTmpl,
                            const AttributeTemplate& privateTmpl);
    ObjectHandle createObject(const AttributeTemplate& tmpl);
    void destroyObject(ObjectHandle object);
    // Destruction that never throws, for cleanup paths.
    void destroyObjectNoThrow(ObjectHandle object) noexcept;

    ObjectHandle deriveKey(const Mechanism& m, ObjectHandle baseKey, const AttributeTemplate& tmpl);
    Bytes wrapKey(const Mechanism& m, ObjectHandle wrappingKey, ObjectHandle key);
    ObjectHandle unwrapKey(const Mechanism& m, ObjectHandle unwrappingKey, ByteView wrapped,
                           const AttributeTemplate& tmpl);

    Bytes encrypt(const Mechanism& m, ObjectHandle key, ByteView data);
    SecretBytes decrypt(const Mechanism& m, ObjectHandle key, ByteView data);
    Bytes sign(const Mechanism& m, ObjectHandle key, ByteView data);
    // False for a signature that does not verify; throws for any other failure.
    bool verify(const Mechanism& m, ObjectHandle key, ByteView data, ByteView signature);
    Bytes random(std::size_t size);
    // Randomness that becomes key material on the host (data keys): never in a plain vector.
    SecretBytes randomSecret(std::size_t size);

    std::vector<ObjectHandle> findObjects(const AttributeTemplate& tmpl, std::size_t max = 64);
    std::optional<ObjectHandle> findOne(const AttributeTemplate& tmpl);
    // An attribute's raw value; std::nullopt when the object lacks it or it is sensitive.
    std::optional<Bytes> attribute(ObjectHandle object, CK_ATTRIBUTE_TYPE type);
    // The CKA_VALUE of a non-sensitive secret object, straight into SecretBytes: only for a
    // secret the client itself asked for (an ECDH shared secret); throws if it is sensitive.
    SecretBytes secretValue(ObjectHandle object);
    CK_ULONG ulongAttribute(ObjectHandle object, CK_ATTRIBUTE_TYPE type);

  private:
    // Throws hsm::Error for rv != CKR_OK and marks the session broken.
    void check(CK_RV rv, const char* function);
    void close() noexcept;

    CK_FUNCTION_LIST* fn_ = nullptr;
    CK_SESSION_HANDLE handle_ = CK_INVALID_HANDLE;
    bool broken_ = false;
    const std::string* token_ = nullptr;
};

}  // namespace hsm
