#include "tools/bench_runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "service/api/log_text.h"

namespace keyport::bench {
namespace {

using Clock = std::chrono::steady_clock;

double percentile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
    return v[k];
}

}  // namespace

Result run(const std::string& name, unsigned threads, double seconds, const WorkerFactory& make) {
    std::vector<Operation> ops;
    for (unsigned i = 0; i < threads; ++i) ops.push_back(make(i));

    std::vector<std::vector<double>> latencies(threads);
    std::atomic<std::uint64_t> errors{0};
    std::mutex errorMutex;
    std::string firstError;
    std::atomic<bool> go{false};
    const auto duration = std::chrono::duration<double>(seconds);
    Clock::time_point start;

    std::vector<std::thread> workers;
    for (unsigned i = 0; i < threads; ++i) {
        workers.emplace_back([&, i] {
            while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
            auto& lat = latencies[i];
            lat.reserve(1 << 16);
            while (Clock::now() - start < duration) {
                const auto t0 = Clock::now();
                try {
                    ops[i]();
                } catch (const Exhausted&) {
                    break;
                } catch (const std::exception& e) {
                    if (errors.fetch_add(1) == 0) {
                        std::lock_guard lock(errorMutex);
                        firstError = e.what();
                    }
                    continue;
                }
                lat.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
            }
        });
    }
    start = Clock::now();
    go.store(true, std::memory_order_release);
    for (auto& w : workers) w.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

    std::vector<double> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    Result r;
    r.name = name;
    r.threads = threads;
    r.ops = all.size();
    r.errors = errors.load();
    r.seconds = elapsed;
    r.opsPerSecond = elapsed > 0 ? static_cast<double>(r.ops) / elapsed : 0;
    r.p50Micros = percentile(all, 0.50);
    r.p99Micros = percentile(all, 0.99);
    r.firstError = firstError;
    return r;
}

void printHeader() {
    std::printf("%-34s %7s %9s %11s %10s %10s\n", "operation", "threads", "ops", "ops/s", "p50 us",
                "p99 us");
}

void print(const Result& r) {
    std::printf("%-34s %7u %9llu %11.1f %10.1f %10.1f\n", r.name.c_str(), r.threads,
                static_cast<unsigned long long>(r.ops), r.opsPerSecond, r.p50Micros, r.p99Micros);
    if (r.errors > 0) {
        std::printf("  !! %llu errors, first: %s\n", static_cast<unsigned long long>(r.errors),
                    api::printable(r.firstError).c_str());
    }
    std::fflush(stdout);
}

}  // namespace keyport::bench
