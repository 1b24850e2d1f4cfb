// Database::migrate goes forward only: a fresh database gets every step, a second open
// changes nothing, and a database a newer keyport migrated is refused (an older binary must
// not read or write tables whose meaning it does not know).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "service/core/storage/database.h"
#include "service/core/storage/migrations.h"

namespace keyport {
namespace {

namespace fs = std::filesystem;
using namespace Poco::Data::Keywords;

class SchemaVersionTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("keyport-schema-" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path file() const { return dir_ / "k.db"; }
    fs::path dir_;
};

TEST_F(SchemaVersionTest, FreshDatabaseGetsEveryStepAndReopeningChangesNothing) {
    const int steps = static_cast<int>(migrations().size());
    {
        Database db(file());
        EXPECT_EQ(db.schemaVersion(), steps);
    }
    Database again(file());
    EXPECT_EQ(again.schemaVersion(), steps);
    const int rows = again.read([](Poco::Data::Session& s) {
        int n = 0;
        s << "SELECT COUNT(*) FROM schema_version", into(n), now;
        return n;
    });
    EXPECT_EQ(rows, steps);  // one row per step, none added by the second open
}

TEST_F(SchemaVersionTest, NewerSchemaIsRefusedNamingBothVersions) {
    const int newer = static_cast<int>(migrations().size()) + 1;
    {
        Database db(file());
        db.write([newer](Poco::Data::Session& s) {
            int v = newer;
            s << "INSERT INTO schema_version (version) VALUES (?)", use(v), now;
        });
    }
    try {
        Database db(file());
        FAIL() << "a database at a newer schema version was opened";
    } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("schema version " + std::to_string(newer)), std::string::npos) << what;
        EXPECT_NE(what.find("restore the backup"), std::string::npos) << what;
    }
}

}  // namespace
}  // namespace keyport
