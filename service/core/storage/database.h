// Database: the metadata store (Poco::Data on SQLite, WAL, synchronous=FULL) with
// versioned migrations, pooled read sessions and group-committed writes.
#pragma once

#include <Poco/Data/Session.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

#include "service/core/base/errors.h"

namespace keyport {

// What write() throws when its job broke a UNIQUE or PRIMARY KEY constraint, told by SQLite's
// extended result code (never its message): the name or id the job tried to take is taken,
// typically by a request that raced this one. The caller knows which object that was and
// rethrows its own code (AliasExists, SecretExists, ...); one it does not catch is still a
// 4xx, never a 500.
class UniqueViolation : public Error {
  public:
    UniqueViolation()
        : Error(ErrorCode::InvalidRequest, "another request took that name or id first") {}
};

class Database {
  public:
    // Opens (creating if needed) the SQLite file and applies pending migrations.
    explicit Database(const std::filesystem::path& file);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // f(Session&) on a read session. Readers never wait for the writer (WAL).
    template <typename F>
    auto read(F&& f) {
        Lease lease(*this);
        return f(*lease.session);
    }

    // f(Session&) inside the writer's next transaction, isolated by a savepoint: if f
    // throws, its changes are rolled back and the exception is rethrown here; the other
    // writes of the batch still commit. Returns once the batch is durable (one fsync for
    // every write in it — group commit), so an acknowledged write survives a crash. A
    // unique or primary-key violation in f arrives as UniqueViolation.
    template <typename F>
    auto write(F&& f) {
        using R = std::invoke_result_t<F, Poco::Data::Session&>;
        if constexpr (std::is_void_v<R>) {
            submit([&](Poco::Data::Session& s) { f(s); });
        } else {
            std::optional<R> out;
            submit([&](Poco::Data::Session& s) { out.emplace(f(s)); });
            return std::move(*out);
        }
    }

    int schemaVersion();
    std::uint64_t commits() const;  // batches committed, for tests and benchmarks

  private:
    struct Job;
    struct Lease {
        explicit Lease(Database& db);
        ~Lease();
        Database& db;
        std::unique_ptr<Poco::Data::Session> session;
    };

    std::unique_ptr<Poco::Data::Session> open() const;
    void migrate(Poco::Data::Session& s);
    void submit(std::function<void(Poco::Data::Session&)> fn);
    void writerLoop();

    std::filesystem::path file_;
    std::mutex readMutex_;
    std::vector<std::unique_ptr<Poco::Data::Session>> readers_;

    std::unique_ptr<Poco::Data::Session> writer_;
    mutable std::mutex writeMutex_;
    std::condition_variable writeCv_;
    std::deque<Job*> queue_;
    bool stopping_ = false;
    std::uint64_t commits_ = 0;
    std::thread writerThread_;
};

}  // namespace keyport
