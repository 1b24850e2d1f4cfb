// What SoftHSM 2.6.1 enforces for trusted wrapping, pinned through hsm::Session on a real
// token: the facts `keyport ceremony backup` is built on (key_policies.h backupCapable,
// trustedBackupKey).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <functional>

#include "hsm/error.h"
#include "hsm/key_generation.h"
#include "hsm/key_policies.h"
#include "hsm/scoped_objects.h"
#include "tests/hsm/softhsm_fixture.h"

namespace keyport::test {
namespace {

// The spare token of the fixture (nobody else logs in to it); its SO PIN is the fixture's.
constexpr char kSoPin[] = "test-so-pin-5678";

hsm::Session spareSession() {
    return hsm::Session(testModule().functions(), testModule().slotForLabel(kSpareLabel));
}

CK_RV rvOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const hsm::Error& e) {
        return e.rv();
    }
    return CKR_OK;
}

hsm::SecretBytes backupValue() {
    hsm::SecretBytes b(32);
    for (std::size_t i = 0; i < 32; ++i) b.reveal()[i] = static_cast<std::uint8_t>(0xa0 + i);
    return b;
}

// A token KEK as provisioning makes it (backup-capable), destroyed with the scope.
hsm::ObjectHandle makeKek(hsm::Session& s, hsm::ScopedObjects& scope, const std::string& label) {
    return scope.keep(s.generateKey(hsm::Mechanism::aesKeyGen(), hsm::policy::regionKek(label)));
}

TEST(TrustedWrap, UserCannotCreateOrSetTrusted) {
    auto s = spareSession();
    s.login(CKU_USER, secret(kTestUserPin));
    hsm::ScopedObjects scope(s);
    EXPECT_EQ(rvOf([&] { s.createObject(hsm::policy::trustedBackupKey(backupValue().reveal())); }),
              CKR_ATTRIBUTE_READ_ONLY);
    s.logout();
}

TEST(TrustedWrap, SoCanMarkOnlyPublicObjectsTrusted) {
    auto s = spareSession();
    s.login(CKU_SO, secret(kSoPin));
    auto priv = hsm::policy::trustedBackupKey(backupValue().reveal());
    priv.set(CKA_PRIVATE, true);
    EXPECT_EQ(rvOf([&] { s.createObject(priv); }), CKR_USER_NOT_LOGGED_IN);
    const auto pub = s.createObject(hsm::policy::trustedBackupKey(backupValue().reveal()));
    s.destroyObject(pub);
    s.logout();
}

TEST(TrustedWrap, UntrustedKeyCannotWrapTheKek) {
    auto s = spareSession();
    s.login(CKU_USER, secret(kTestUserPin));
    {
        hsm::ScopedObjects scope(s);
        const auto kek = makeKek(s, scope, "tw-kek-1");
        // Everything like the backup key but CKA_TRUSTED (which a user cannot set).
        auto untrusted = hsm::policy::restoringBackupKey(backupValue().reveal());
        untrusted.set(CKA_WRAP, true);
        const auto wrapper = scope.keep(s.createObject(untrusted));
        EXPECT_EQ(rvOf([&] { s.wrapKey(hsm::Mechanism::aesKeyWrapPad(), wrapper, kek); }),
                  CKR_KEY_NOT_WRAPPABLE);
        // And the flag that makes it so cannot be cleared (on a modifiable key, so the
        // refusal is about CKA_WRAP_WITH_TRUSTED, not CKA_MODIFIABLE).
        auto modifiable = hsm::policy::restoredRegionKek("tw-kek-1m");
        modifiable.set(CKA_VALUE_LEN, CK_ULONG{32});
        const auto loose = scope.keep(s.generateKey(hsm::Mechanism::aesKeyGen(), modifiable));
        hsm::AttributeTemplate clear;
        clear.set(CKA_WRAP_WITH_TRUSTED, false);
        EXPECT_EQ(rvOf([&] {
                      hsm::Session fresh = spareSession();
                      CK_RV rv = testModule().functions()->C_SetAttributeValue(
                          fresh.handle(), loose, clear.data(), clear.size());
                      if (rv != CKR_OK) throw hsm::Error(rv, "C_SetAttributeValue");
                  }),
                  CKR_ATTRIBUTE_READ_ONLY);
    }
    s.logout();
}

// The backup's sequence: SO creates B public+trusted in a session, logs out; the user
// logs in on the same session and wraps the KEK under B. Unwrapped under B again, the copy
// is the same key (AES-KWP is deterministic: both wrap a probe key to the same bytes), and
// B's on-token CMAC check value is AES-CMAC as OpenSSL computes it.
TEST(TrustedWrap, SoSessionKeySurvivesLogoutAndWrapsTheKek) {
    auto s = spareSession();
    s.login(CKU_SO, secret(kSoPin));
    const auto value = backupValue();
    const auto b = s.createObject(hsm::policy::trustedBackupKey(value.reveal()));
    s.logout();
    s.login(CKU_USER, secret(kTestUserPin));
    {
        hsm::ScopedObjects scope(s);
        scope.keep(b);
        const auto kek = makeKek(s, scope, "tw-kek-2");
        const auto wrapped = s.wrapKey(hsm::Mechanism::aesKeyWrapPad(), b, kek);
        EXPECT_EQ(wrapped.size(), 40u);

        const auto opener =
            scope.keep(s.createObject(hsm::policy::restoringBackupKey(value.reveal())));
        const auto copy = scope.keep(s.unwrapKey(hsm::Mechanism::aesKeyWrapPad(), opener, wrapped,
                                                 hsm::policy::restoredRegionKek("tw-kek-2r")));
        EXPECT_TRUE(s.attribute(copy, CKA_WRAP_WITH_TRUSTED).has_value());
        const auto probe = scope.keep(hsm::generateAes(s, 32, hsm::policy::transientAes(32)));
        EXPECT_EQ(s.wrapKey(hsm::Mechanism::aesKeyWrapPad(), kek, probe),
                  s.wrapKey(hsm::Mechanism::aesKeyWrapPad(), copy, probe));

        const std::uint8_t zero[16] = {};
        const auto onToken = s.sign(hsm::Mechanism::aesCmac(), b, hsm::ByteView(zero, 16));
        EVP_MAC* mac = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
        EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
        char cipher[] = "AES-256-CBC";
        OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("cipher", cipher, 0),
                               OSSL_PARAM_construct_end()};
        unsigned char out[16];
        std::size_t outLen = 0;
        ASSERT_EQ(EVP_MAC_init(ctx, value.reveal().data(), 32, params), 1);
        ASSERT_EQ(EVP_MAC_update(ctx, zero, 16), 1);
        ASSERT_EQ(EVP_MAC_final(ctx, out, &outLen, sizeof out), 1);
        EVP_MAC_CTX_free(ctx);
        EVP_MAC_free(mac);
        EXPECT_EQ(onToken, hsm::Bytes(out, out + outLen));
    }
    s.logout();
}

}  // namespace
}  // namespace keyport::test
