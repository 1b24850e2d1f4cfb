#include "hsm/session.h"

#include <chrono>
#include <exception>
#include <utility>

#include "hsm/error.h"
#include "hsm/observer.h"

namespace hsm {
namespace {

// Tells the Observer, if any, how one operation went: failed when the scope is left by an
// exception (every failure goes through check(), which throws). Without an observer it
// costs one atomic load.
class Observed {
  public:
    Observed(Operation op, const Mechanism& m, const std::string* token) noexcept
        : observer_(observer()) {
        if (observer_ == nullptr || observer_->operation == nullptr) {
            observer_ = nullptr;
            return;
        }
        op_ = op;
        mechanism_ = m.type();
        token_ = token;
        exceptions_ = std::uncaught_exceptions();
        start_ = std::chrono::steady_clock::now();
    }
    ~Observed() {
        if (observer_ == nullptr) return;
        static const std::string none;
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start_;
        const bool ok = std::uncaught_exceptions() == exceptions_;
        observer_->operation(op_, mechanism_, token_ ? *token_ : none, took.count(), ok);
    }
    Observed(const Observed&) = delete;
    Observed& operator=(const Observed&) = delete;

  private:
    const Observer* observer_;
    Operation op_{};
    CK_MECHANISM_TYPE mechanism_ = 0;
    const std::string* token_ = nullptr;
    int exceptions_ = 0;
    std::chrono::steady_clock::time_point start_{};
};

}  // namespace

Session::Session(CK_FUNCTION_LIST* fn, CK_SLOT_ID slot, bool readWrite, const std::string* token)
    : fn_(fn), token_(token) {
    CK_FLAGS flags = CKF_SERIAL_SESSION | (readWrite ? CKF_RW_SESSION : 0);
    hsm::check(fn_->C_OpenSession(slot, flags, nullptr, nullptr, &handle_), "C_OpenSession");
}

Session::~Session() {
    close();
}

Session::Session(Session&& other) noexcept
    : fn_(other.fn_),
      handle_(std::exchange(other.handle_, CK_INVALID_HANDLE)),
      broken_(other.broken_),
      token_(other.token_) {}

Session& Session::operator=(Session&& other) noexcept {
    if (this != &other) {
        close();
        fn_ = other.fn_;
        handle_ = std::exchange(other.handle_, CK_INVALID_HANDLE);
        broken_ = other.broken_;
        token_ = other.token_;
    }
    return *this;
}

void Session::close() noexcept {
    if (handle_ != CK_INVALID_HANDLE) {
        (void)fn_->C_CloseSession(handle_);  // best effort: the handle is gone either way
        handle_ = CK_INVALID_HANDLE;
    }
}

void Session::check(CK_RV rv, const char* function) {
    if (rv == CKR_OK) return;
    broken_ = true;
    throw Error(rv, function);
}

bool Session::login(CK_USER_TYPE user, const SecretBytes& pin) {
    auto p = pin.reveal();
    const CK_RV rv = fn_->C_Login(handle_, user, const_cast<std::uint8_t*>(p.data()), p.size());
    if (rv == CKR_USER_ALREADY_LOGGED_IN) return false;
    hsm::check(rv, "C_Login", user == CKU_SO ? "security officer" : "user");
    return true;
}

void Session::logout() {
    check(fn_->C_Logout(handle_), "C_Logout");
}

void Session::initPin(const SecretBytes& userPin) {
    auto p = userPin.reveal();
    check(fn_->C_InitPIN(handle_, const_cast<std::uint8_t*>(p.data()), p.size()), "C_InitPIN");
}

ObjectHandle Session::generateKey(const Mechanism& m, const AttributeTemplate& tmpl) {
    Observed watch(Operation::GenerateKey, m, token_);
    ObjectHandle key = CK_INVALID_HANDLE;
    check(fn_->C_GenerateKey(handle_, m.get(), tmpl.data(), tmpl.size(), &key), "C_GenerateKey");
    return key;
}

KeyPair Session::generateKeyPair(const Mechanism& m, const AttributeTemplate& publicTmpl,
                                 const AttributeTemplate& privateTmpl) {
    Observed watch(Operation::GenerateKeyPair, m, token_);
    KeyPair kp;
    check(fn_->C_GenerateKeyPair(handle_, m.get(), publicTmpl.data(), publicTmpl.size(),
                                 privateTmpl.data(), privateTmpl.size(), &kp.publicKey,
                                 &kp.privateKey),
          "C_GenerateKeyPair");
    return kp;
}

ObjectHandle Session::createObject(const AttributeTemplate& tmpl) {
    ObjectHandle object = CK_INVALID_HANDLE;
    check(fn_->C_CreateObject(handle_, tmpl.data(), tmpl.size(), &object), "C_CreateObject");
    return object;
}

void Session::destroyObject(ObjectHandle object) {
    check(fn_->C_DestroyObject(handle_, object), "C_DestroyObject");
}

void Session::destroyObjectNoThrow(ObjectHandle object) noexcept {
    if (object == CK_INVALID_HANDLE) return;
    if (fn_->C_DestroyObject(handle_, object) != CKR_OK) broken_ = true;
}

Bytes Session::wrapKey(const Mechanism& m, ObjectHandle wrappingKey, ObjectHandle key) {
    Observed watch(Operation::WrapKey, m, token_);
    // Largest blob Keyport wraps: a PKCS#8 RSA-4096 key under KWP (~2.4 KiB).
    Bytes out(4096);
    CK_ULONG len = out.size();
    CK_RV rv = fn_->C_WrapKey(handle_, m.get(), wrappingKey, key, out.data(), &len);
    if (rv == CKR_BUFFER_TOO_SMALL) {
        out.resize(len);
        rv = fn_->C_WrapKey(handle_, m.get(), wrappingKey, key, out.data(), &len);
    }
    check(rv, "C_WrapKey");
    out.resize(len);
    return out;
}

ObjectHandle Session::deriveKey(const Mechanism& m, ObjectHandle baseKey,
                                const AttributeTemplate& tmpl) {
    Observed watch(Operation::DeriveKey, m, token_);
    ObjectHandle key = CK_INVALID_HANDLE;
    check(fn_->C_DeriveKey(handle_, m.get(), baseKey, tmpl.data(), tmpl.size(), &key),
          "C_DeriveKey");
    return key;
}

ObjectHandle Session::unwrapKey(const Mechanism& m, ObjectHandle unwrappingKey, ByteView wrapped,
                                const AttributeTemplate& tmpl) {
    Observed watch(Operation::UnwrapKey, m, token_);
    ObjectHandle key = CK_INVALID_HANDLE;
    check(
        fn_->C_UnwrapKey(handle_, m.get(), unwrappingKey, const_cast<std::uint8_t*>(wrapped.data()),
                         wrapped.size(), tmpl.data(), tmpl.size(), &key),
        "C_UnwrapKey");
    return key;
}

Bytes Session::encrypt(const Mechanism& m, ObjectHandle key, ByteView data) {
    Observed watch(Operation::Encrypt, m, token_);
    check(fn_->C_EncryptInit(handle_, m.get(), key), "C_EncryptInit");
    // Room for a GCM tag or an RSA block; a larger need is asked for below.
    Bytes out(data.size() + 1024);
    CK_ULONG len = out.size();
    auto* in = const_cast<std::uint8_t*>(data.data());
    CK_RV rv = fn_->C_Encrypt(handle_, in, data.size(), out.data(), &len);
    if (rv == CKR_BUFFER_TOO_SMALL) {
        out.resize(len);
        rv = fn_->C_Encrypt(handle_, in, data.size(), out.data(), &len);
    }
    check(rv, "C_Encrypt");
    out.resize(len);
    return out;
}

SecretBytes Session::decrypt(const Mechanism& m, ObjectHandle key, ByteView data) {
    Observed watch(Operation::Decrypt, m, token_);
    check(fn_->C_DecryptInit(handle_, m.get(), key), "C_DecryptInit");
    auto* in = const_cast<std::uint8_t*>(data.data());
    SecretBytes out(data.size() + 16);
    CK_ULONG len = out.size();
    CK_RV rv = fn_->C_Decrypt(handle_, in, data.size(), out.reveal().data(), &len);
    if (rv == CKR_BUFFER_TOO_SMALL) {
        out = SecretBytes(len);
        rv = fn_->C_Decrypt(handle_, in, data.size(), out.reveal().data(), &len);
    }
    check(rv, "C_Decrypt");
    out.truncate(len);
    return out;
}

Bytes Session::sign(const Mechanism& m, ObjectHandle key, ByteView data) {
    Observed watch(Operation::Sign, m, token_);
    check(fn_->C_SignInit(handle_, m.get(), key), "C_SignInit");
    Bytes out(1024);  // RSA-8192 signatures fit
    CK_ULONG len = out.size();
    auto* in = const_cast<std::uint8_t*>(data.data());
    CK_RV rv = fn_->C_Sign(handle_, in, data.size(), out.data(), &len);
    if (rv == CKR_BUFFER_TOO_SMALL) {
        out.resize(len);
        rv = fn_->C_Sign(handle_, in, data.size(), out.data(), &len);
    }
    check(rv, "C_Sign");
    out.resize(len);
    return out;
}

bool Session::verify(const Mechanism& m, ObjectHandle key, ByteView data, ByteView signature) {
    Observed watch(Operation::Verify, m, token_);
    check(fn_->C_VerifyInit(handle_, m.get(), key), "C_VerifyInit");
    const CK_RV rv = fn_->C_Verify(handle_, const_cast<std::uint8_t*>(data.data()), data.size(),
                                   const_cast<std::uint8_t*>(signature.data()), signature.size());
    if (rv == CKR_SIGNATURE_INVALID || rv == CKR_SIGNATURE_LEN_RANGE) {
        // Not an error, but don't trust the module to have ended the operation.
        broken_ = true;
        return false;
    }
    check(rv, "C_Verify");
    return true;
}

Bytes Session::random(std::size_t size) {
    Bytes out(size);
    if (size > 0) check(fn_->C_GenerateRandom(handle_, out.data(), size), "C_GenerateRandom");
    return out;
}

SecretBytes Session::randomSecret(std::size_t size) {
    SecretBytes out(size);
    if (size > 0) {
        check(fn_->C_GenerateRandom(handle_, out.reveal().data(), size), "C_GenerateRandom");
    }
    return out;
}

std::vector<ObjectHandle> Session::findObjects(const AttributeTemplate& tmpl, std::size_t max) {
    check(fn_->C_FindObjectsInit(handle_, tmpl.data(), tmpl.size()), "C_FindObjectsInit");
    std::vector<ObjectHandle> found(max);
    CK_ULONG count = 0;
    const CK_RV rv = fn_->C_FindObjects(handle_, found.data(), max, &count);
    const CK_RV rvFinal = fn_->C_FindObjectsFinal(handle_);
    check(rv, "C_FindObjects");
    check(rvFinal, "C_FindObjectsFinal");
    found.resize(count);
    return found;
}

std::optional<ObjectHandle> Session::findOne(const AttributeTemplate& tmpl) {
    auto found = findObjects(tmpl, 2);
    if (found.empty()) return std::nullopt;
    if (found.size() > 1) throw Error("more than one object matches a template meant to be unique");
    return found.front();
}

std::optional<Bytes> Session::attribute(ObjectHandle object, CK_ATTRIBUTE_TYPE type) {
    CK_ATTRIBUTE a{type, nullptr, 0};
    CK_RV rv = fn_->C_GetAttributeValue(handle_, object, &a, 1);
    if (rv == CKR_ATTRIBUTE_SENSITIVE || rv == CKR_ATTRIBUTE_TYPE_INVALID) return std::nullopt;
    check(rv, "C_GetAttributeValue");
    if (a.ulValueLen == CK_UNAVAILABLE_INFORMATION) return std::nullopt;
    Bytes value(a.ulValueLen);
    a.pValue = value.data();
    check(fn_->C_GetAttributeValue(handle_, object, &a, 1), "C_GetAttributeValue");
    value.resize(a.ulValueLen);
    return value;
}

SecretBytes Session::secretValue(ObjectHandle object) {
    CK_ATTRIBUTE a{CKA_VALUE, nullptr, 0};
    check(fn_->C_GetAttributeValue(handle_, object, &a, 1), "C_GetAttributeValue");
    SecretBytes value(a.ulValueLen);
    a.pValue = value.reveal().data();
    check(fn_->C_GetAttributeValue(handle_, object, &a, 1), "C_GetAttributeValue");
    value.truncate(a.ulValueLen);
    return value;
}

CK_ULONG Session::ulongAttribute(ObjectHandle object, CK_ATTRIBUTE_TYPE type) {
    CK_ULONG value = 0;
    CK_ATTRIBUTE a{type, &value, sizeof value};
    check(fn_->C_GetAttributeValue(handle_, object, &a, 1), "C_GetAttributeValue");
    return value;
}

}  // namespace hsm
