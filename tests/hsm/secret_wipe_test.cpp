// Secrets that wipe themselves: after an AttributeTemplate holding key bytes, a SecretBytes,
// or the host-assisted OAEP output is destroyed, no freed heap block still holds the bytes.
//
// This binary replaces the global operator new/delete (every variant) with a malloc-backed
// pair whose header records the block size; delete scans the block for a registered needle
// before free() and counts the hits. A plain std::vector copy is the control that proves the
// probe sees what it should. Works on top of ASan's malloc too.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "hsm/attributes.h"
#include "hsm/bytes.h"
#include "hsm/key_policies.h"
#include "service/core/base/encoding.h"
#include "service/core/tokens/oaep.h"

namespace {

// The probe. Plain globals with constant initialisation: valid before main() and after.
constexpr std::size_t kNeedleSize = 32;
std::atomic<bool> gArmed{false};
std::atomic<int> gHits{0};
unsigned char gNeedle[kNeedleSize];

struct Header {
    void* raw;
    std::size_t size;
};
static_assert(sizeof(Header) <= alignof(std::max_align_t) * 2);

void* allocate(std::size_t size, std::size_t align) noexcept {
    if (align < alignof(std::max_align_t)) align = alignof(std::max_align_t);
    void* raw = std::malloc(size + align + sizeof(Header));
    if (raw == nullptr) return nullptr;
    auto at = reinterpret_cast<std::uintptr_t>(raw) + sizeof(Header);
    at = (at + align - 1) & ~(static_cast<std::uintptr_t>(align) - 1);
    auto* p = reinterpret_cast<void*>(at);
    const Header h{raw, size};
    std::memcpy(static_cast<unsigned char*>(p) - sizeof(Header), &h, sizeof h);
    return p;
}

void* allocateOrThrow(std::size_t size, std::size_t align) {
    if (void* p = allocate(size, align)) return p;
    throw std::bad_alloc();
}

void release(void* p) noexcept {
    if (p == nullptr) return;
    Header h;
    std::memcpy(&h, static_cast<unsigned char*>(p) - sizeof(Header), sizeof(Header));
    if (gArmed.load(std::memory_order_relaxed) && h.size >= kNeedleSize &&
        ::memmem(p, h.size, gNeedle, kNeedleSize) != nullptr) {
        gHits.fetch_add(1, std::memory_order_relaxed);
    }
    std::free(h.raw);
}

}  // namespace

// clang-format off
void* operator new(std::size_t n) { return allocateOrThrow(n, 0); }
void* operator new[](std::size_t n) { return allocateOrThrow(n, 0); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate(n, 0); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate(n, 0); }
void* operator new(std::size_t n, std::align_val_t a) { return allocateOrThrow(n, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return allocateOrThrow(n, static_cast<std::size_t>(a)); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept { return allocate(n, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept { return allocate(n, static_cast<std::size_t>(a)); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
// clang-format on

namespace keyport::test {
namespace {

// Keeps the optimiser from eliding a new/delete pair whose contents it can see.
void escape(const void* p) {
    asm volatile("" : : "r"(p) : "memory");
}

// Arms the probe with a distinctive 32-byte key for one test; hits() counts freed blocks
// that still held it.
class SecretWipe : public ::testing::Test {
  protected:
    void SetUp() override {
        for (std::size_t i = 0; i < kNeedleSize; ++i) {
            gNeedle[i] = static_cast<unsigned char>(0xA5 ^ (i * 37 + 11));
        }
        gHits = 0;
        gArmed = true;
    }
    void TearDown() override { gArmed = false; }

    static hsm::ByteView key() { return {gNeedle, kNeedleSize}; }
    static int hits() { return gHits.load(); }
};

TEST_F(SecretWipe, ProbeSeesAPlainVectorCopy) {
    {
        std::vector<std::uint8_t> copy(key().begin(), key().end());
        escape(copy.data());
    }
    EXPECT_GE(hits(), 1) << "the probe must see a freed, unwiped copy";
}

TEST_F(SecretWipe, SecretBytesLeavesNothingBehind) {
    {
        hsm::SecretBytes a(key());
        hsm::SecretBytes b(std::move(a));
        hsm::SecretBytes c(key());
        c = std::move(b);  // c's own copy is released on the way
        c.truncate(4);
        escape(c.reveal().data());
    }
    EXPECT_EQ(hits(), 0);
}

TEST_F(SecretWipe, AttributeTemplateLeavesNothingBehind) {
    {
        hsm::AttributeTemplate t;
        t.set(CKA_CLASS, CK_ULONG{CKO_SECRET_KEY}).set(CKA_VALUE, key());
        // Growth of the entry list moves values; they must not leave copies behind.
        for (CK_ATTRIBUTE_TYPE a = CKA_VENDOR_DEFINED; a < CKA_VENDOR_DEFINED + 40; ++a) {
            t.set(a, true);
        }
        escape(t.data());
        hsm::AttributeTemplate copy(t);
        hsm::AttributeTemplate assigned;
        assigned = copy;
        hsm::AttributeTemplate moved(std::move(copy));
        escape(moved.data());
        escape(assigned.data());
    }
    EXPECT_EQ(hits(), 0) << "a destroyed template left the key in freed heap";
}

TEST_F(SecretWipe, OverwrittenAttributeValueIsWiped) {
    hsm::AttributeTemplate t;
    t.set(CKA_VALUE, key());
    t.set(CKA_VALUE, hsm::asBytes("replaced"));
    escape(t.data());
    EXPECT_EQ(hits(), 0) << "overwriting CKA_VALUE left the old key in freed heap";
}

TEST_F(SecretWipe, HostAssistedSecretTemplateLeavesNothingBehind) {
    {
        const hsm::AttributeTemplate t = hsm::policy::hostAssistedSecret(CKK_AES, key(), true);
        ASSERT_TRUE(t.contains(CKA_VALUE));
        escape(t.data());
    }
    EXPECT_EQ(hits(), 0) << "the host-assisted template left the key in freed heap";
}

// The host-assisted import path end to end on the host: raw RSA block → oaepDecode →
// hostAssistedSecret. OpenSSL stands in for the token's CKM_RSA_X_509.
TEST_F(SecretWipe, OaepDecodeToTemplateLeavesNothingBehind) {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(EVP_RSA_gen(2048), EVP_PKEY_free);
    ASSERT_NE(pkey, nullptr);
    using Ctx = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;
    std::array<unsigned char, 256> wrapped{};
    std::size_t wrappedLen = wrapped.size();
    {
        Ctx ctx(EVP_PKEY_CTX_new(pkey.get(), nullptr), EVP_PKEY_CTX_free);
        ASSERT_EQ(EVP_PKEY_encrypt_init(ctx.get()), 1);
        ASSERT_EQ(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING), 1);
        ASSERT_EQ(EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), EVP_sha256()), 1);
        ASSERT_EQ(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), EVP_sha256()), 1);
        ASSERT_EQ(
            EVP_PKEY_encrypt(ctx.get(), wrapped.data(), &wrappedLen, key().data(), key().size()),
            1);
    }
    hsm::SecretBytes block(256);
    {
        Ctx ctx(EVP_PKEY_CTX_new(pkey.get(), nullptr), EVP_PKEY_CTX_free);
        ASSERT_EQ(EVP_PKEY_decrypt_init(ctx.get()), 1);
        ASSERT_EQ(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING), 1);
        std::size_t n = block.size();
        ASSERT_EQ(
            EVP_PKEY_decrypt(ctx.get(), block.reveal().data(), &n, wrapped.data(), wrappedLen), 1);
        ASSERT_EQ(n, block.size());
    }
    {
        auto material = oaepDecode(block.reveal(), hsm::Hash::Sha256);
        ASSERT_TRUE(material);
        ASSERT_EQ(material->size(), kNeedleSize);
        ASSERT_EQ(std::memcmp(material->reveal().data(), gNeedle, kNeedleSize), 0);
        const auto t = hsm::policy::hostAssistedSecret(CKK_AES, material->reveal(), false);
        escape(t.data());
    }
    block = hsm::SecretBytes();
    EXPECT_EQ(hits(), 0) << "the OAEP decode path left the key in freed heap";
}

// A secret that arrives base64 in a request body (CSMS secret_binary, decrypt plaintext).
TEST_F(SecretWipe, Base64DecodeSecretLeavesNothingBehind) {
    std::string text = base64Encode(key());
    gHits = 0;
    {
        auto decoded = base64DecodeSecret(text);
        ASSERT_TRUE(decoded);
        ASSERT_EQ(decoded->size(), kNeedleSize);
        escape(decoded->reveal().data());
    }
    EXPECT_EQ(hits(), 0) << "base64 decoding left the secret in freed heap";
}

}  // namespace
}  // namespace keyport::test
