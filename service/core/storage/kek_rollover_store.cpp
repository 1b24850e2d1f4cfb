#include "service/core/storage/kek_rollover_store.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>

#include "service/core/storage/sql_values.h"

namespace keyport {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::BLOB;

constexpr const char* kColumns =
    "id, region, generation, state, runner, cursor_keys, cursor_key_versions,"
    " cursor_credentials, cursor_derivation_keys, resealed, already_current, total, batches,"
    " requested_ms, updated_ms, walk_started_ms, finished_ms, walk_seconds, token_rate, error";

std::vector<RolloverRow> rowsOf(Poco::Data::Statement& st) {
    Poco::Data::RecordSet rs(st);
    std::vector<RolloverRow> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r) {
        RolloverRow row;
        row.id = rs.value(0, r).convert<std::int64_t>();
        row.region = str(rs, 1, r);
        row.generation = rs.value(2, r).convert<unsigned>();
        row.state = parseRolloverState(str(rs, 3, r)).value_or(RolloverState::Failed);
        row.runner = str(rs, 4, r);
        for (std::size_t i = 0; i < 4; ++i)
            row.cursor[i] = rs.value(5 + i, r).convert<std::int64_t>();
        row.resealed = rs.value(9, r).convert<std::int64_t>();
        row.current = rs.value(10, r).convert<std::int64_t>();
        row.total = rs.value(11, r).convert<std::int64_t>();
        row.batches = rs.value(12, r).convert<std::int64_t>();
        row.requestedMs = rs.value(13, r).convert<std::int64_t>();
        row.updatedMs = rs.value(14, r).convert<std::int64_t>();
        row.walkStartedMs = optInt(rs, 15, r);
        row.finishedMs = optInt(rs, 16, r);
        row.walkSeconds = rs.value(17, r).convert<double>();
        row.tokenRate = rs.value(18, r).convert<double>();
        row.error = optString(rs, 19, r).value_or("");
        out.push_back(std::move(row));
    }
    return out;
}

std::optional<RolloverRow> firstOf(Poco::Data::Statement& st) {
    auto rows = rowsOf(st);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

// Per table: the SELECT of its blobs in a region after a rowid (rowid, spec, owner, blob) and
// the conditional UPDATE by rowid. A key version's region and spec are its key's.
struct TableSql {
    const char* select;
    const char* update;
    const char* count;
};

TableSql sqlOf(BlobTable t) {
    switch (t) {
        case BlobTable::Keys:
            return {
                "SELECT rowid, key_spec, id, blob FROM keys"
                " WHERE region = ? AND blob IS NOT NULL AND rowid > ? ORDER BY rowid LIMIT ?",
                "UPDATE keys SET blob = ? WHERE rowid = ? AND blob = ?",
                "SELECT COUNT(*) FROM keys WHERE region = ? AND blob IS NOT NULL"};
        case BlobTable::KeyVersions:
            return {
                "SELECT v.rowid, k.key_spec, k.id, v.blob FROM key_versions v"
                " JOIN keys k ON k.id = v.key_id WHERE k.region = ? AND v.rowid > ?"
                " ORDER BY v.rowid LIMIT ?",
                "UPDATE key_versions SET blob = ? WHERE rowid = ? AND blob = ?",
                "SELECT COUNT(*) FROM key_versions v JOIN keys k ON k.id = v.key_id"
                " WHERE k.region = ?"};
        case BlobTable::Credentials:
            return {
                "SELECT rowid, NULL, access_key, secret_blob FROM credentials"
                " WHERE secret_region = ? AND rowid > ? ORDER BY rowid LIMIT ?",
                "UPDATE credentials SET secret_blob = ? WHERE rowid = ? AND secret_blob = ?",
                "SELECT COUNT(*) FROM credentials WHERE secret_region = ?"};
        case BlobTable::DerivationKeys:
            return {
                "SELECT rowid, NULL, access_key, blob FROM credential_derivation_keys"
                " WHERE region = ? AND rowid > ? ORDER BY rowid LIMIT ?",
                "UPDATE credential_derivation_keys SET blob = ? WHERE rowid = ? AND blob = ?",
                "SELECT COUNT(*) FROM credential_derivation_keys WHERE region = ?"};
    }
    return {"", "", ""};
}

}  // namespace

const char* name(RolloverState s) {
    switch (s) {
        case RolloverState::Requested:
            return "requested";
        case RolloverState::Running:
            return "running";
        case RolloverState::Retiring:
            return "retiring";
        case RolloverState::Done:
            return "done";
        case RolloverState::Failed:
            return "failed";
    }
    return "failed";
}

std::optional<RolloverState> parseRolloverState(const std::string& s) {
    for (const auto st : {RolloverState::Requested, RolloverState::Running, RolloverState::Retiring,
                          RolloverState::Done, RolloverState::Failed}) {
        if (s == name(st)) return st;
    }
    return std::nullopt;
}

const char* name(BlobTable t) {
    switch (t) {
        case BlobTable::Keys:
            return "keys";
        case BlobTable::KeyVersions:
            return "key_versions";
        case BlobTable::Credentials:
            return "credentials";
        case BlobTable::DerivationKeys:
            return "credential_derivation_keys";
    }
    return "";
}

namespace kek_rollover_store {

std::int64_t insert(Poco::Data::Session& s, const std::string& region, const std::string& runner,
                    std::int64_t nowMs) {
    s << "INSERT INTO kek_rollovers (region, state, runner, requested_ms, updated_ms)"
         " VALUES (?, 'requested', ?, ?, ?)",
        bind(region), bind(runner), bind(nowMs), bind(nowMs), now;
    std::int64_t id = 0;
    s << "SELECT last_insert_rowid()", into(id), now;
    return id;
}

std::optional<RolloverRow> get(Poco::Data::Session& s, std::int64_t id) {
    Poco::Data::Statement st(s);
    st << "SELECT " << kColumns << " FROM kek_rollovers WHERE id = ?", bind(id), now;
    return firstOf(st);
}

std::optional<RolloverRow> active(Poco::Data::Session& s, const std::string& region) {
    Poco::Data::Statement st(s);
    st << "SELECT " << kColumns
       << " FROM kek_rollovers WHERE region = ? AND state IN ('requested', 'running', 'retiring')",
        bind(region), now;
    return firstOf(st);
}

std::vector<RolloverRow> unfinished(Poco::Data::Session& s) {
    Poco::Data::Statement st(s);
    st << "SELECT " << kColumns
       << " FROM kek_rollovers WHERE state IN ('requested', 'running', 'retiring') ORDER BY id",
        now;
    return rowsOf(st);
}

std::optional<RolloverRow> latest(Poco::Data::Session& s, const std::string& region) {
    Poco::Data::Statement st(s);
    st << "SELECT " << kColumns << " FROM kek_rollovers WHERE region = ? ORDER BY id DESC LIMIT 1",
        bind(region), now;
    return firstOf(st);
}

void save(Poco::Data::Session& s, const RolloverRow& r) {
    const std::string state = name(r.state);
    const auto generation = static_cast<std::int64_t>(r.generation);
    const Poco::Nullable<std::int64_t> walkStarted = nullable(r.walkStartedMs);
    const Poco::Nullable<std::int64_t> finished = nullable(r.finishedMs);
    const Poco::Nullable<std::string> error =
        r.error.empty() ? Poco::Nullable<std::string>() : Poco::Nullable<std::string>(r.error);
    s << "UPDATE kek_rollovers SET generation = ?, state = ?, runner = ?, cursor_keys = ?,"
         " cursor_key_versions = ?, cursor_credentials = ?, cursor_derivation_keys = ?,"
         " resealed = ?, already_current = ?, total = ?, batches = ?, updated_ms = ?,"
         " walk_started_ms = ?, finished_ms = ?, walk_seconds = ?, token_rate = ?, error = ?"
         " WHERE id = ?",
        bind(generation), bind(state), bind(r.runner), bind(r.cursor[0]), bind(r.cursor[1]),
        bind(r.cursor[2]), bind(r.cursor[3]), bind(r.resealed), bind(r.current), bind(r.total),
        bind(r.batches), bind(r.updatedMs), bind(walkStarted), bind(finished), bind(r.walkSeconds),
        bind(r.tokenRate), bind(error), bind(r.id), now;
}

std::vector<StoredBlob> blobsAfter(Poco::Data::Session& s, BlobTable table,
                                   const std::string& region, std::int64_t after,
                                   std::size_t limit) {
    const auto limitValue = static_cast<std::int64_t>(limit);
    Poco::Data::Statement st(s);
    st << sqlOf(table).select, bind(region), bind(after), bind(limitValue), now;
    Poco::Data::RecordSet rs(st);
    std::vector<StoredBlob> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r) {
        StoredBlob b;
        b.table = table;
        b.rowid = rs.value(0, r).convert<std::int64_t>();
        if (const auto spec = optString(rs, 1, r)) b.spec = parseKeySpec(*spec);
        b.owner = str(rs, 2, r);
        b.blob = blobValue(rs, 3, r);
        out.push_back(std::move(b));
    }
    return out;
}

std::int64_t countBlobs(Poco::Data::Session& s, const std::string& region) {
    std::int64_t total = 0;
    for (const auto t : kBlobTables) {
        std::int64_t n = 0;
        s << sqlOf(t).count, bind(region), into(n), now;
        total += n;
    }
    return total;
}

bool replaceBlob(Poco::Data::Session& s, BlobTable table, std::int64_t rowid, const hsm::Bytes& old,
                 const hsm::Bytes& fresh) {
    Poco::Data::Statement st(s);
    st << sqlOf(table).update, bind(BLOB(fresh.data(), fresh.size())), bind(rowid),
        bind(BLOB(old.data(), old.size()));
    return st.execute() > 0;
}

}  // namespace kek_rollover_store
}  // namespace keyport
