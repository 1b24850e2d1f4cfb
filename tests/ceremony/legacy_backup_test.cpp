// Backups of tokens provisioned before backup-capable keys (core, real SoftHSM token): a
// KEK that cannot leave the token refuses the backup and names the rollover; a MAC key that
// cannot is left out, listed, and made fresh by the restore (here onto the one region's
// token with reinitialize, so B's check value is checked on the target itself); a forged
// share is then caught on the target, which stays empty until a good restore.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "hsm/key_generation.h"
#include "hsm/key_policies.h"
#include "service/core/base/state_dir.h"
#include "service/core/ceremony/region_backup.h"
#include "service/core/ceremony/strict_lines.h"
#include "service/core/tokens/provisioning.h"
#include "service/core/tokens/static_objects.h"

namespace keyport::test {
namespace {

namespace fs = std::filesystem;

class LegacyBackup : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        std::string tmpl = (fs::temp_directory_path() / "keyport-legacy-XXXXXX").string();
        ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
        dir_ = tmpl;
        std::ofstream(dir_ / "k.properties")
            << "keyport.state_dir = " << (dir_ / "var").string()
            << "\nhsm.module = softhsm2\nhsm.softhsm.manage = true\n"
               "hsm.transport_key_bits = 2048\nregions = r1\nregion.r1.token = legacy-r1\n";
        config_ = new Config(Config::load((dir_ / "k.properties").string()));
        prepareStateDir(*config_);
        module_ = new hsm::Module(config_->module);
        provisionTokens(*config_, *module_);
    }
    static void TearDownTestSuite() {
        delete module_;
        delete config_;
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    // Replaces the static object `label` with a copy that, like those of tokens provisioned
    // before backup-capable keys, is not extractable (or, with `capable`, is again).
    static void replaceSecret(const char* label, bool aes, bool capable) {
        const auto& region = config_->regions.front();
        hsm::Session s(module_->functions(), module_->slotForLabel(region.tokenLabel));
        s.login(CKU_USER, readPinFile(config_->userPinFile(region)));
        const auto found = StaticObjects::find(s);
        s.destroyObject(aes ? *found.kek : *found.mac);
        auto t = aes ? hsm::policy::regionKek(label) : hsm::policy::macKey(label);
        if (!capable) t.set(CKA_EXTRACTABLE, false).set(CKA_WRAP_WITH_TRUSTED, false);
        if (aes) {
            s.generateKey(hsm::Mechanism::aesKeyGen(), t);
        } else {
            s.generateKey(hsm::Mechanism::genericSecretKeyGen(), t);
        }
        s.logout();
    }

    static fs::path dir_;
    static Config* config_;
    static hsm::Module* module_;
};

fs::path LegacyBackup::dir_;
Config* LegacyBackup::config_ = nullptr;
hsm::Module* LegacyBackup::module_ = nullptr;

TEST_F(LegacyBackup, KekThatCannotLeaveRefusesAndNamesTheRollover) {
    replaceSecret(kKekLabel, true, false);
    const ceremony::BackupRequest req{"r1", 3, 2, dir_ / "refused", {}};
    try {
        ceremony::backupRegion(*config_, *module_, req);
        ADD_FAILURE() << "a backup without the KEK was written";
    } catch (const ceremony::CeremonyRefused& e) {
        EXPECT_NE(std::string(e.what()).find("run `keyport ceremony rollover --region r1` first"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_FALSE(fs::exists(dir_ / "refused"));
    replaceSecret(kKekLabel, true, true);
}

TEST_F(LegacyBackup, MacKeyThatCannotLeaveIsListedAndRestoredFresh) {
    replaceSecret(kMacLabel, false, false);
    const auto b =
        ceremony::backupRegion(*config_, *module_, {"r1", 3, 2, dir_ / "no-mac", {"x", "y", "z"}});
    EXPECT_EQ(b.notBackedUp, std::vector<std::string>{kMacLabel});
    ASSERT_EQ(b.shares.size(), 3u);

    ceremony::RestoreRequest r{"r1", dir_ / "no-mac", {b.shares[0].file, b.shares[2].file}, false};
    EXPECT_THROW(ceremony::restoreRegion(*config_, *module_, r), ceremony::CeremonyRefused)
        << "an existing token was overwritten without reinitialize";
    r.reinitialize = true;
    const auto restored = ceremony::restoreRegion(*config_, *module_, r);
    EXPECT_EQ(restored.checkedOn, "r1");  // no other region: B checked on the target
    EXPECT_EQ(restored.generated, (std::vector<std::string>{kMacLabel, kMarkerLabel}));
    const auto status = tokenStatus(*config_, *module_);
    ASSERT_EQ(status.size(), 1u);
    EXPECT_TRUE(status[0].provisioned) << status[0].error;
}

// With one region there is no other token to check B on before C_InitToken: a forged share
// (file check recomputed) is caught on the target, which is left initialised and empty, and
// a second restore with the right shares and reinitialize repairs it.
TEST_F(LegacyBackup, ForgedShareIsCaughtOnTheTargetWhenNoOtherTokenExists) {
    const auto b = ceremony::backupRegion(*config_, *module_, {"r1", 3, 2, dir_ / "forge", {}});
    std::string text;
    {
        std::ifstream in(b.shares[0].file);
        text.assign(std::istreambuf_iterator<char>(in), {});
    }
    const auto at = text.find("share: ") + 7;
    text[at] = text[at] == '0' ? '1' : '0';
    const auto checkAt = text.rfind("check: ");
    text = text.substr(0, checkAt) +
           "check: " + ceremony::sha256Hex(hsm::asBytes(text.substr(0, checkAt))).substr(0, 16) +
           "\n";
    std::ofstream(dir_ / "forged.txt") << text;

    ceremony::RestoreRequest r{"r1", dir_ / "forge", {dir_ / "forged.txt", b.shares[1].file}, true};
    try {
        ceremony::restoreRegion(*config_, *module_, r);
        ADD_FAILURE() << "a forged share was accepted";
    } catch (const ceremony::CeremonyRefused& e) {
        EXPECT_NE(std::string(e.what()).find("holds no key"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(tokenStatus(*config_, *module_)[0].provisioned);

    r.shares = {b.shares[1].file, b.shares[2].file};
    ceremony::restoreRegion(*config_, *module_, r);
    EXPECT_TRUE(tokenStatus(*config_, *module_)[0].provisioned);
}

}  // namespace
}  // namespace keyport::test
