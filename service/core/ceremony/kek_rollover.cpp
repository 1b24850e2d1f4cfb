#include "service/core/ceremony/kek_rollover.h"

#include <chrono>
#include <cstdio>
#include <thread>

#include "hsm/error.h"
#include "hsm/key_generation.h"
#include "hsm/key_policies.h"
#include "service/core/base/clock.h"
#include "service/core/base/errors.h"
#include "service/core/ceremony/transcript.h"
#include "service/core/tokens/key_material.h"
#include "service/core/tokens/seal_epochs.h"
#include "service/core/tokens/static_objects.h"

// How the rollover keeps every blob (the race it closes, and what remains):
//  1. begin(): the new generation is created on the token (or found, when a crash came
//     after C_GenerateKey) and made current in this process's KekRing: every seal from now
//     on uses it. Opening tries the current generation first, then the old one, so requests
//     never notice.
//  2. drainSealers(): work that began before the switch (a request or a background job run,
//     each holding a SealEpochs lease) may have sealed under the old KEK and not committed
//     yet; the walk starts only once all of it has finished. Work that began after seals
//     under the new KEK.
//  3. walk(): each blob table in rowid order, `ceremony.rollover_batch` blobs per batch: unwrap
//     under the old generation into a transient session key, wrap under the new one, then one
//     transaction of conditional UPDATEs (WHERE blob = the old blob: a request that rewrote
//     the row since wins) together with the cursor. A crash resumes at the cursor.
//  4. retire(): drain again and make a verifying pass over every blob of the region (each
//     must open under the new generation; one that does not is re-sealed now), repeated until
//     a pass after a drain finds none, and only then destroy the old generation.
// What remains: another *process* that seals (a `keyport credentials add` started before the
// switch, which seals under the highest generation it found at its start, or a second
// keyportd on a shared database) is not drained; a credential it commits after the
// verifying pass would be under a destroyed KEK. Run the rollover when no such command is
// running (keyportd itself holds STATE/keyportd.lock, so a second keyportd cannot share the
// state dir). Rowids are SQLite's; a row deleted and re-inserted behind the cursor is still
// seen by the verifying pass.

namespace keyport {
namespace {

using Clock = std::chrono::steady_clock;

std::string labelsExcept(const KekRing& ring, unsigned keep) {
    std::string out;
    for (const auto& g : ring.all()) {
        if (g.generation == keep) continue;
        if (!out.empty()) out += ",";
        out += kekLabel(g.generation);
    }
    return out;
}

hsm::AttributeTemplate templateOf(const StoredBlob& b) {
    // Credential secrets and derivation keys are HMAC keys (generic secrets).
    return b.spec ? resealTemplate(*b.spec) : hsm::policy::transientSecret(CKK_GENERIC_SECRET);
}

hsm::Session openSession(hsm::Token& token) {
    // A session of its own: a failed unwrap (wrong generation) marks a session broken, and
    // the pool would close a broken one with the transients in it.
    return hsm::Session(token.module().functions(), token.slot(), /*readWrite=*/true);
}

std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}

}  // namespace

double measureTokenReseal(hsm::Token& token, hsm::ObjectHandle kek, double seconds) {
    hsm::Session s = openSession(token);
    const auto tmpl = hsm::policy::transientSecret(CKK_AES);
    const auto key = hsm::generateAes(s, 32, tmpl);
    const hsm::Bytes blob = s.wrapKey(hsm::Mechanism::aesKeyWrapPad(), kek, key);
    s.destroyObject(key);
    std::size_t n = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    while (elapsed < seconds) {
        const auto h = s.unwrapKey(hsm::Mechanism::aesKeyWrapPad(), kek, blob, tmpl);
        const hsm::Bytes again = s.wrapKey(hsm::Mechanism::aesKeyWrapPad(), kek, h);
        s.destroyObject(h);
        if (again != blob) throw hsm::Error("KWP is not deterministic on this token");
        ++n;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    }
    return static_cast<double>(n) / elapsed;
}

KekRollover::KekRollover(const Config& config, Database& db, RegionTokens& regions,
                         std::function<void(const std::string&)> resealed)
    : config_(config), db_(db), regions_(regions), resealed_(std::move(resealed)) {}

std::int64_t KekRollover::request(Database& db, const Config& config, const std::string& region,
                                  const std::string& runner) {
    config.region(region);  // ConfigError for a region the config does not name
    try {
        return db.write([&](Poco::Data::Session& s) {
            return kek_rollover_store::insert(s, region, runner, epochMillis());
        });
    } catch (const UniqueViolation&) {
        throw Error(ErrorCode::InvalidRequest,
                    "region " + region + " already has a KEK rollover in progress");
    }
}

void KekRollover::save(RolloverRow& row) {
    row.updatedMs = epochMillis();
    db_.write([&](Poco::Data::Session& s) { kek_rollover_store::save(s, row); });
}

void KekRollover::drainSealers(const std::string& why) {
    while (!SealEpochs::process().drainEarlier(std::chrono::seconds(30))) {
        checkStop();
        std::fprintf(stderr,
                     "keyport: KEK rollover: still waiting for requests that began before %s\n",
                     why.c_str());
    }
}

RolloverRow KekRollover::run(std::int64_t id,
                             const std::function<void(const RolloverRow&)>& progress) {
    auto loaded = db_.read([&](Poco::Data::Session& s) { return kek_rollover_store::get(s, id); });
    if (!loaded) throw Error(ErrorCode::InvalidRequest, "no KEK rollover " + std::to_string(id));
    RolloverRow row = std::move(*loaded);
    const std::function<void(const RolloverRow&)> report = [&](const RolloverRow& r) {
        if (progress) progress(r);
    };
    try {
        Region& region = regions_.region(row.region);
        if (row.state == RolloverState::Requested) {
            begin(row, region);
            report(row);
        }
        if (row.state == RolloverState::Running) walk(row, region, report);
        if (row.state == RolloverState::Retiring) {
            retire(row, region);
            report(row);
        }
        return row;
    } catch (const RolloverStopped&) {
        throw;
    } catch (const std::exception& e) {
        row.state = RolloverState::Failed;
        row.error = e.what();
        row.finishedMs = epochMillis();
        try {
            save(row);
            Transcript(Transcript::defaultPath(config_))
                .append({"rollover-failed", row.region, {}, {{"error", row.error}}}, regions_);
        } catch (const std::exception& again) {
            std::fprintf(stderr, "keyport: KEK rollover: recording the failure failed: %s\n",
                         again.what());
        }
        report(row);
        throw;
    }
}

void KekRollover::begin(RolloverRow& row, Region& region) {
    KekRing& ring = *region.keks;
    const KekGeneration current = ring.current();
    unsigned generation = current.generation + 1;
    if (ring.all().size() >= 2) {
        // An earlier rollover failed after making its KEK: finish its work with that one
        // rather than stack a third generation.
        generation = current.generation;
    } else {
        auto s = openSession(*region.token);
        const auto found = StaticObjects::find(s);
        hsm::ObjectHandle handle = CK_INVALID_HANDLE;
        for (const auto& g : found.keks) {
            if (g.generation == generation) handle = g.handle;  // a crash after C_GenerateKey
        }
        if (handle == CK_INVALID_HANDLE) {
            auto tmpl = hsm::policy::regionKek(kekLabel(generation));
            tmpl.set(CKA_ID, std::string_view(std::to_string(generation)));
            handle = s.generateKey(hsm::Mechanism::aesKeyGen(), tmpl);
        }
        ring.add({generation, handle});
    }
    row.generation = generation;
    row.state = RolloverState::Running;
    row.total = db_.read(
        [&](Poco::Data::Session& s) { return kek_rollover_store::countBlobs(s, row.region); });
    save(row);
    Transcript(Transcript::defaultPath(config_))
        .append({"rollover-start",
                 row.region,
                 {},
                 {{"old_kek", labelsExcept(ring, generation)},
                  {"new_kek", kekLabel(generation)},
                  {"blobs", std::to_string(row.total)}}},
                regions_);
}

std::int64_t KekRollover::resealBatch(RolloverRow& row, Region& region, hsm::Session& s,
                                      const std::vector<StoredBlob>& batch, bool moveCursor) {
    const auto generations = region.keks->all();
    const KekGeneration target = generations.front();
    if (target.generation != row.generation) {
        throw hsm::Error("the region's current KEK is " + kekLabel(target.generation) +
                         ", not the rollover's " + kekLabel(row.generation));
    }
    struct Change {
        const StoredBlob* from;
        hsm::Bytes to;
    };
    std::vector<Change> changes;
    std::int64_t alreadyCurrent = 0;
    for (const auto& b : batch) {
        const auto tmpl = templateOf(b);
        std::optional<hsm::ObjectHandle> clear;
        // Old generations first: most blobs of a walk are under one.
        for (std::size_t i = 1; i < generations.size() && !clear; ++i) {
            clear = tryUnwrap(s, generations[i].handle, b.blob, tmpl);
        }
        if (clear) {
            hsm::Bytes fresh;
            try {
                fresh = s.wrapKey(hsm::Mechanism::aesKeyWrapPad(), target.handle, *clear);
            } catch (...) {
                s.destroyObjectNoThrow(*clear);
                throw;
            }
            s.destroyObjectNoThrow(*clear);
            changes.push_back({&b, std::move(fresh)});
            continue;
        }
        if (auto h = tryUnwrap(s, target.handle, b.blob, tmpl)) {
            s.destroyObjectNoThrow(*h);
            ++alreadyCurrent;
            continue;
        }
        throw hsm::Error(std::string("a blob in ") + name(b.table) + " (rowid " +
                         std::to_string(b.rowid) + ", " + b.owner +
                         ") opens under no KEK generation of region " + row.region);
    }
    RolloverRow next = row;
    std::vector<std::string> owners;
    std::int64_t replaced = 0;
    db_.write([&](Poco::Data::Session& tx) {
        replaced = 0;
        owners.clear();
        for (const auto& c : changes) {
            if (kek_rollover_store::replaceBlob(tx, c.from->table, c.from->rowid, c.from->blob,
                                                c.to)) {
                ++replaced;
                if (c.from->table == BlobTable::Keys || c.from->table == BlobTable::KeyVersions) {
                    owners.push_back(c.from->owner);
                }
            }
        }
        next = row;
        if (moveCursor && !batch.empty()) {
            next.cursor[static_cast<std::size_t>(batch.back().table)] = batch.back().rowid;
            next.current += alreadyCurrent;
        }
        next.resealed += replaced;
        ++next.batches;
        next.updatedMs = epochMillis();
        kek_rollover_store::save(tx, next);
    });
    row = next;
    if (resealed_) {
        for (const auto& id : owners) resealed_(id);
    }
    return replaced;
}

void KekRollover::walk(RolloverRow& row, Region& region,
                       const std::function<void(const RolloverRow&)>& progress) {
    drainSealers("the switch to " + kekLabel(row.generation));
    if (!row.walkStartedMs) row.walkStartedMs = epochMillis();
    auto s = openSession(*region.token);
    const auto pause = std::chrono::milliseconds(config_.rolloverBatchPauseMs);
    for (const auto table : kBlobTables) {
        const auto index = static_cast<std::size_t>(table);
        while (true) {
            const auto batch = db_.read([&](Poco::Data::Session& rs) {
                return kek_rollover_store::blobsAfter(rs, table, row.region, row.cursor[index],
                                                      config_.rolloverBatch);
            });
            if (batch.empty()) break;
            checkStop();
            const auto started = Clock::now();
            resealBatch(row, region, s, batch, /*moveCursor=*/true);
            row.walkSeconds += std::chrono::duration<double>(Clock::now() - started).count();
            progress(row);
            if (pause.count() > 0) std::this_thread::sleep_for(pause);
        }
    }
    row.tokenRate = measureTokenReseal(*region.token, region.keks->current().handle, 0.5);
    row.state = RolloverState::Retiring;
    save(row);
    progress(row);
}

std::int64_t KekRollover::verifyPass(RolloverRow& row, Region& region) {
    auto s = openSession(*region.token);
    std::int64_t replaced = 0;
    for (const auto table : kBlobTables) {
        std::int64_t after = 0;
        while (true) {
            const auto batch = db_.read([&](Poco::Data::Session& rs) {
                return kek_rollover_store::blobsAfter(rs, table, row.region, after,
                                                      config_.rolloverBatch);
            });
            if (batch.empty()) break;
            checkStop();
            after = batch.back().rowid;
            replaced += resealBatch(row, region, s, batch, /*moveCursor=*/false);
        }
    }
    return replaced;
}

void KekRollover::retire(RolloverRow& row, Region& region) {
    KekRing& ring = *region.keks;
    if (ring.current().generation != row.generation) {
        throw hsm::Error("the rollover's KEK " + kekLabel(row.generation) +
                         " is not the region's current KEK");
    }
    // A pass that finds nothing to re-seal after a drain proves no blob needs the old KEK.
    for (int pass = 1;; ++pass) {
        drainSealers("the verifying pass");
        if (verifyPass(row, region) == 0) break;
        if (pass == 5) {
            throw hsm::Error(
                "blobs under the old KEK keep arriving; another process is sealing"
                " under it (stop it and run the rollover again)");
        }
    }
    const std::string retired = labelsExcept(ring, row.generation);
    {
        auto s = openSession(*region.token);
        for (const auto& g : ring.all()) {
            if (g.generation == row.generation) continue;
            ring.remove(g.generation);
            s.destroyObject(g.handle);
        }
    }
    row.state = RolloverState::Done;
    row.finishedMs = epochMillis();
    save(row);
    const double rate =
        row.walkSeconds > 0 ? static_cast<double>(row.resealed) / row.walkSeconds : 0.0;
    Transcript(Transcript::defaultPath(config_))
        .append({"rollover-done",
                 row.region,
                 {},
                 {{"new_kek", kekLabel(row.generation)},
                  {"retired_kek", retired},
                  {"resealed", std::to_string(row.resealed)},
                  {"already_current", std::to_string(row.current)},
                  {"batches", std::to_string(row.batches)},
                  {"reseal_per_second", fmt(rate)},
                  {"token_unwrap_wrap_per_second", fmt(row.tokenRate)}}},
                regions_);
}

}  // namespace keyport
