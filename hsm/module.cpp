#include "hsm/module.h"

#include <p11-kit/p11-kit.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "hsm/error.h"

namespace hsm {
namespace {

std::string padded(const CK_UTF8CHAR* text, std::size_t size) {
    std::string s(reinterpret_cast<const char*>(text), size);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
    return s;
}

struct FreeDeleter {
    void operator()(char* p) const noexcept { std::free(p); }
};

// Resolves a p11-kit registered module name to the library path its .module file names.
std::string registeredModulePath(const std::string& name) {
    CK_FUNCTION_LIST** modules = p11_kit_modules_load(nullptr, P11_KIT_MODULE_UNMANAGED);
    if (modules == nullptr) {
        const char* msg = p11_kit_message();
        throw Error("cannot list p11-kit modules: " + std::string(msg ? msg : "unknown error"));
    }
    std::string path;
    std::string known;
    for (CK_FUNCTION_LIST** m = modules; *m != nullptr; ++m) {
        std::unique_ptr<char, FreeDeleter> n(p11_kit_module_get_name(*m));
        if (!n) continue;
        if (!known.empty()) known += ", ";
        known += n.get();
        if (name == n.get()) {
            std::unique_ptr<char, FreeDeleter> f(p11_kit_module_get_filename(*m));
            if (f) path = f.get();
        }
    }
    p11_kit_modules_release(modules);
    if (path.empty()) {
        throw Error("PKCS#11 module '" + name + "' is not registered with p11-kit (registered: " +
                    (known.empty() ? "none" : known) + ")");
    }
    return path;
}

}  // namespace

Module::Module(const std::string& nameOrPath) {
    path_ =
        nameOrPath.find('/') == std::string::npos ? registeredModulePath(nameOrPath) : nameOrPath;
    fn_ = p11_kit_module_load(path_.c_str(), P11_KIT_MODULE_UNMANAGED);
    if (fn_ == nullptr) {
        const char* msg = p11_kit_message();
        throw Error("cannot load PKCS#11 module " + path_ + ": " +
                    std::string(msg ? msg : "unknown error"));
    }
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;
    const CK_RV rv = fn_->C_Initialize(&args);
    if (rv != CKR_OK) {
        p11_kit_module_release(fn_);
        fn_ = nullptr;
        throw Error(rv, "C_Initialize", path_);
    }
}

Module::~Module() {
    if (fn_ == nullptr) return;
    (void)fn_->C_Finalize(nullptr);  // nothing useful to do with a failure here
    p11_kit_module_release(fn_);
}

std::vector<SlotToken> Module::tokens() const {
    CK_ULONG count = 0;
    check(fn_->C_GetSlotList(CK_TRUE, nullptr, &count), "C_GetSlotList");
    std::vector<CK_SLOT_ID> slots(count);
    if (count > 0) check(fn_->C_GetSlotList(CK_TRUE, slots.data(), &count), "C_GetSlotList");
    slots.resize(count);
    std::vector<SlotToken> out;
    for (CK_SLOT_ID slot : slots) {
        CK_TOKEN_INFO info{};
        check(fn_->C_GetTokenInfo(slot, &info), "C_GetTokenInfo");
        out.push_back({slot, (info.flags & CKF_TOKEN_INITIALIZED) != 0,
                       padded(info.label, sizeof info.label),
                       padded(info.serialNumber, sizeof info.serialNumber)});
    }
    return out;
}

std::vector<std::string> Module::labels() const {
    std::vector<std::string> out;
    for (const auto& t : tokens()) {
        if (t.initialized) out.push_back(t.label);
    }
    std::sort(out.begin(), out.end());
    return out;
}

CK_SLOT_ID Module::slotForLabel(const std::string& label) const {
    std::string present;
    for (const auto& t : tokens()) {
        if (!t.initialized) continue;
        if (t.label == label) return t.slot;
        if (!present.empty()) present += ", ";
        present += "'" + t.label + "'";
    }
    throw Error("no token labelled '" + label +
                "' (tokens present: " + (present.empty() ? "none" : present) + ")");
}

bool Module::findUninitializedSlot(CK_SLOT_ID& slot) const {
    for (const auto& t : tokens()) {
        if (!t.initialized) {
            slot = t.slot;
            return true;
        }
    }
    return false;
}

void Module::initToken(CK_SLOT_ID slot, const SecretBytes& soPin, const std::string& label) {
    CK_UTF8CHAR padded32[32];
    std::memset(padded32, ' ', sizeof padded32);
    if (label.empty() || label.size() > sizeof padded32) {
        throw Error("token label must be 1 to 32 bytes: '" + label + "'");
    }
    std::memcpy(padded32, label.data(), label.size());
    auto pin = soPin.reveal();
    check(fn_->C_InitToken(slot, const_cast<std::uint8_t*>(pin.data()), pin.size(), padded32),
          "C_InitToken", label);
}

}  // namespace hsm
