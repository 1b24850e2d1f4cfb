// Database::write turns a UNIQUE or PRIMARY KEY violation, and only those, into
// UniqueViolation, told by SQLite's extended result code (issue 11, Exoscale 2); other
// constraint failures pass through as they are, and the rest of the batch still commits.
// Beside it, the exoscale.signature_max_lifetime_seconds knob (default, bounds).
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <thread>

#include "service/core/base/config.h"
#include "service/core/storage/database.h"

namespace keyport {
namespace {

namespace fs = std::filesystem;
using namespace Poco::Data::Keywords;

class UniqueViolationTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("keyport-unique-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
        db_ = std::make_unique<Database>(dir_ / "t.db");
        db_->write([](Poco::Data::Session& s) {
            s << "CREATE TABLE t (id TEXT PRIMARY KEY, name TEXT UNIQUE, "
                 "note TEXT NOT NULL, n INTEGER CHECK (n >= 0))",
                now;
        });
    }
    void TearDown() override {
        db_.reset();
        fs::remove_all(dir_);
    }
    void insert(std::string id, std::string name, std::optional<std::string> note, int n = 0) {
        db_->write([&](Poco::Data::Session& s) {
            Poco::Nullable<std::string> nn;
            if (note) nn = *note;
            s << "INSERT INTO t (id, name, note, n) VALUES (?, ?, ?, ?)", use(id), use(name),
                use(nn), use(n), now;
        });
    }
    int rows() {
        return db_->read([](Poco::Data::Session& s) {
            int c = 0;
            s << "SELECT COUNT(*) FROM t", into(c), now;
            return c;
        });
    }

    fs::path dir_;
    std::unique_ptr<Database> db_;
};

TEST_F(UniqueViolationTest, UniqueColumnAndPrimaryKeyAreUniqueViolations) {
    insert("1", "a", "x");
    EXPECT_THROW(insert("2", "a", "x"), UniqueViolation);  // SQLITE_CONSTRAINT_UNIQUE
    EXPECT_THROW(insert("1", "b", "x"), UniqueViolation);  // SQLITE_CONSTRAINT_PRIMARYKEY
    EXPECT_EQ(rows(), 1);
    // A UniqueViolation is a core Error: uncaught, a dialect still answers 4xx.
    try {
        insert("1", "c", "x");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::InvalidRequest);
    }
}

TEST_F(UniqueViolationTest, OtherConstraintsAreNotUniqueViolations) {
    const auto notUnique = [&](const std::function<void()>& f, const char* what) {
        try {
            f();
            ADD_FAILURE() << what << " was accepted";
        } catch (const UniqueViolation&) {
            ADD_FAILURE() << what << " was taken for a unique violation";
        } catch (const Poco::Exception&) {
            // Poco's ConstraintViolationException: SQLITE_CONSTRAINT_NOTNULL / _CHECK.
        }
    };
    notUnique([&] { insert("1", "a", std::nullopt); }, "NOT NULL");
    notUnique([&] { insert("2", "b", "x", -1); }, "CHECK");
    EXPECT_EQ(rows(), 0);
}

TEST_F(UniqueViolationTest, TheRestOfTheBatchCommits) {
    insert("1", "a", "x");
    std::vector<std::thread> writers;
    std::atomic<int> ok{0}, conflicts{0};
    for (int i = 0; i < 8; ++i) {
        writers.emplace_back([&, i] {
            try {
                // Even i: a fresh name; odd i: all the same name.
                insert("id" + std::to_string(i), i % 2 ? "same" : "n" + std::to_string(i), "x");
                ++ok;
            } catch (const UniqueViolation&) {
                ++conflicts;
            }
        });
    }
    for (auto& t : writers) t.join();
    EXPECT_EQ(ok.load(), 5);  // four fresh names and one "same"
    EXPECT_EQ(conflicts.load(), 3);
    EXPECT_EQ(rows(), 6);
}

TEST(ExoscaleSignatureLifetimeConfig, DefaultAndBounds) {
    const fs::path f =
        fs::temp_directory_path() / ("keyport-exo-config-" + std::to_string(::getpid()));
    std::ofstream(f) << "regions = a\n";
    EXPECT_EQ(Config::load(f.string()).exoscaleSignatureMaxLifetimeSeconds, 900);
    EXPECT_EQ(Config::load(f.string(), {"exoscale.signature_max_lifetime_seconds=60"})
                  .exoscaleSignatureMaxLifetimeSeconds,
              60);
    for (const char* bad : {"0", "86401", "ten"}) {
        try {
            Config::load(f.string(),
                         {std::string("exoscale.signature_max_lifetime_seconds=") + bad});
            ADD_FAILURE() << bad << " was accepted";
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find("exoscale.signature_max_lifetime_seconds"),
                      std::string::npos)
                << e.what();
        }
    }
    fs::remove(f);
}

}  // namespace
}  // namespace keyport
