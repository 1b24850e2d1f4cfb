#include "service/core/storage/database.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <sqlite3.h>

#include <future>

#include "service/core/base/errors.h"
#include "service/core/storage/migrations.h"

namespace keyport {

using namespace Poco::Data::Keywords;

struct Database::Job {
    std::function<void(Poco::Data::Session&)> fn;
    std::promise<void> done;
};

namespace {

constexpr std::size_t kMaxBatch = 256;

void exec(Poco::Data::Session& s, const std::string& sql) {
    s << sql, now;
}

// The one place that tells a unique violation from other constraint failures. Poco reports
// every SQLITE_CONSTRAINT as ConstraintViolationException (what(): "Constraint violation");
// the connection's extended result code says which constraint, as long as nothing else ran
// on it since, so this runs before the job's savepoint is rolled back.
std::exception_ptr classified(Poco::Data::Session& s, std::exception_ptr e) {
    try {
        std::rethrow_exception(e);
    } catch (const Poco::Data::SQLite::ConstraintViolationException&) {
        const int code = sqlite3_extended_errcode(Poco::Data::SQLite::Utility::dbHandle(s));
        if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
            return std::make_exception_ptr(UniqueViolation());
        }
    } catch (...) {
        // Not a constraint failure: passed on as it is.
    }
    return e;
}

}  // namespace

Database::Database(const std::filesystem::path& file) : file_(file) {
    static std::once_flag registered;
    std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });
    writer_ = open();
    // WAL lets readers run beside the writer; FULL makes every commit an fsync, which
    // group commit amortises over the batch.
    exec(*writer_, "PRAGMA journal_mode=WAL");
    migrate(*writer_);
    writerThread_ = std::thread([this] { writerLoop(); });
}

Database::~Database() {
    {
        std::lock_guard lock(writeMutex_);
        stopping_ = true;
    }
    writeCv_.notify_all();
    if (writerThread_.joinable()) writerThread_.join();
}

std::unique_ptr<Poco::Data::Session> Database::open() const {
    auto s = std::make_unique<Poco::Data::Session>("SQLite", file_.string());
    exec(*s, "PRAGMA synchronous=FULL");
    exec(*s, "PRAGMA busy_timeout=10000");
    exec(*s, "PRAGMA foreign_keys=ON");
    // Larger page cache and memory-mapped reads: the default 2 MB cache made every request on
    // a database of some thousand keys re-read pages with pread (seen in the import bench).
    exec(*s, "PRAGMA cache_size=-32768");
    exec(*s, "PRAGMA mmap_size=268435456");
    return s;
}

void Database::migrate(Poco::Data::Session& s) {
    exec(s, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    int current = 0;
    s << "SELECT COALESCE(MAX(version), 0) FROM schema_version", into(current), now;
    const auto& steps = migrations();
    // An older binary on a database a newer one migrated would read and write tables whose
    // meaning it does not know: refuse, and say how to go back.
    if (static_cast<std::size_t>(current) > steps.size()) {
        throw std::runtime_error(
            "the database is at schema version " + std::to_string(current) +
            ", newer than this keyport knows (" + std::to_string(steps.size()) +
            "): run the newer keyport, or restore the backup taken before the upgrade");
    }
    for (std::size_t i = static_cast<std::size_t>(current); i < steps.size(); ++i) {
        exec(s, "BEGIN IMMEDIATE");
        try {
            for (const auto& sql : steps[i]) exec(s, sql);
            int v = static_cast<int>(i + 1);
            s << "INSERT INTO schema_version (version) VALUES (?)", use(v), now;
            exec(s, "COMMIT");
        } catch (...) {
            exec(s, "ROLLBACK");
            throw;
        }
    }
}

int Database::schemaVersion() {
    return read([](Poco::Data::Session& s) {
        int v = 0;
        s << "SELECT COALESCE(MAX(version), 0) FROM schema_version", into(v), now;
        return v;
    });
}

std::uint64_t Database::commits() const {
    std::lock_guard lock(writeMutex_);
    return commits_;
}

Database::Lease::Lease(Database& d) : db(d) {
    {
        std::lock_guard lock(db.readMutex_);
        if (!db.readers_.empty()) {
            session = std::move(db.readers_.back());
            db.readers_.pop_back();
        }
    }
    if (!session) session = db.open();
}

Database::Lease::~Lease() {
    if (!session) return;
    std::lock_guard lock(db.readMutex_);
    db.readers_.push_back(std::move(session));
}

void Database::submit(std::function<void(Poco::Data::Session&)> fn) {
    Job job{std::move(fn), {}};
    auto done = job.done.get_future();
    {
        std::lock_guard lock(writeMutex_);
        if (stopping_) throw Error(ErrorCode::Internal, "database is shutting down");
        queue_.push_back(&job);
    }
    writeCv_.notify_one();
    done.get();  // rethrows the job's exception
}

void Database::writerLoop() {
    Poco::Data::Session& s = *writer_;
    for (;;) {
        std::vector<Job*> batch;
        {
            std::unique_lock lock(writeMutex_);
            writeCv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, nothing left
            while (!queue_.empty() && batch.size() < kMaxBatch) {
                batch.push_back(queue_.front());
                queue_.pop_front();
            }
        }
        std::vector<std::exception_ptr> errors(batch.size());
        std::exception_ptr batchError;
        try {
            exec(s, "BEGIN IMMEDIATE");
            for (std::size_t i = 0; i < batch.size(); ++i) {
                exec(s, "SAVEPOINT job");
                try {
                    batch[i]->fn(s);
                    exec(s, "RELEASE job");
                } catch (...) {
                    errors[i] = classified(s, std::current_exception());
                    exec(s, "ROLLBACK TO job");
                    exec(s, "RELEASE job");
                }
            }
            exec(s, "COMMIT");
        } catch (...) {
            batchError = std::current_exception();
            try {
                exec(s, "ROLLBACK");
            } catch (...) {
                // Nothing was open to roll back; the batch error is what callers need.
            }
        }
        {
            std::lock_guard lock(writeMutex_);
            if (!batchError) ++commits_;
        }
        for (std::size_t i = 0; i < batch.size(); ++i) {
            if (batchError) {
                batch[i]->done.set_exception(batchError);
            } else if (errors[i]) {
                batch[i]->done.set_exception(errors[i]);
            } else {
                batch[i]->done.set_value();
            }
        }
    }
}

}  // namespace keyport
