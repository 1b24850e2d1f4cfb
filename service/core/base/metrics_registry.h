// Registry: Prometheus counters, gauges and histograms in labelled families, rendered in the
// text exposition format 0.0.4. Updates are lock-free atomics on a handle a caller may keep
// (Family::with looks a label set up once, under a shared lock); render() reads them all.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

namespace keyport::metrics {

// A count that only goes up (a name ending in _total).
class Counter {
  public:
    void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::uint64_t> value_{0};
};

// A value that goes up and down.
class Gauge {
  public:
    void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
    void add(double v) noexcept { value_.fetch_add(v, std::memory_order_relaxed); }
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<double> value_{0};
};

// Observations counted into fixed buckets (upper bounds, ascending; +Inf is implicit).
class Histogram {
  public:
    explicit Histogram(std::shared_ptr<const std::vector<double>> bounds);
    void observe(double v) noexcept;

    struct Snapshot {
        std::vector<std::uint64_t> cumulative;  // per bound, then +Inf (== count)
        double sum = 0;
        std::uint64_t count = 0;
    };
    Snapshot snapshot() const;
    const std::vector<double>& bounds() const noexcept { return *bounds_; }

  private:
    std::shared_ptr<const std::vector<double>> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds + 1 (the +Inf bucket)
    std::atomic<double> sum_{0};
};

enum class Type { Counter, Gauge, Histogram };

// One metric name with its help, type and label names; the series are its label sets.
class FamilyBase {
  public:
    FamilyBase(std::string name, std::string help, Type type, std::vector<std::string> labels);
    virtual ~FamilyBase() = default;
    FamilyBase(const FamilyBase&) = delete;
    FamilyBase& operator=(const FamilyBase&) = delete;

    const std::string& name() const noexcept { return name_; }
    // # HELP, # TYPE and every series, in label order. A labelled family with no series yet
    // is left out.
    void render(std::string& out) const;

  protected:
    struct Series {
        std::vector<std::string> values;
        virtual ~Series() = default;
    };
    // The series for these label values, made by make() on first use.
    Series& find(std::initializer_list<std::string_view> values,
                 const std::function<std::unique_ptr<Series>()>& make);
    virtual void renderSeries(std::string& out, const std::string& labels,
                              const Series& s) const = 0;

  private:
    std::string name_, help_;
    Type type_;
    std::vector<std::string> labels_;
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, std::unique_ptr<Series>> series_;
};

template <typename M>
class Family : public FamilyBase {
  public:
    using FamilyBase::FamilyBase;
    // Set for a histogram family: every series' bucket bounds.
    std::shared_ptr<const std::vector<double>> bounds;

    // The metric of one label set (values in the family's label order; their count must
    // match). The reference stays valid for the life of the registry: keep it on a hot path.
    M& with(std::initializer_list<std::string_view> values = {}) {
        return static_cast<Of&>(find(values, [this] { return std::make_unique<Of>(bounds); }))
            .metric;
    }

  private:
    struct Of : Series {
        explicit Of(const std::shared_ptr<const std::vector<double>>& b) : metric(make(b)) {}
        static M make(const std::shared_ptr<const std::vector<double>>& b) {
            if constexpr (std::is_same_v<M, Histogram>) {
                return M(b);
            } else {
                return M();
            }
        }
        M metric;
    };
    void renderSeries(std::string& out, const std::string& labels, const Series& s) const override;
};

template <>
void Family<Counter>::renderSeries(std::string&, const std::string&, const Series&) const;
template <>
void Family<Gauge>::renderSeries(std::string&, const std::string&, const Series&) const;
template <>
void Family<Histogram>::renderSeries(std::string&, const std::string&, const Series&) const;

class Registry {
  public:
    Registry() = default;
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    // Names and label names are checked against Prometheus' rules (std::invalid_argument);
    // a name registered twice is an error too.
    Family<Counter>& counter(std::string name, std::string help,
                             std::vector<std::string> labels = {});
    Family<Gauge>& gauge(std::string name, std::string help, std::vector<std::string> labels = {});
    Family<Histogram>& histogram(std::string name, std::string help,
                                 std::vector<std::string> labels, std::vector<double> bounds);
    // A label-less counter or gauge whose value is read by `value` at each render (process
    // figures from /proc).
    void computed(std::string name, std::string help, Type type, std::function<double()> value);

    // Every family, sorted by name, in the text format 0.0.4.
    std::string render() const;

    // keyportd's registry, alive until the process exits.
    static Registry& global();

  private:
    template <typename F>
    F& add(std::unique_ptr<F> family);

    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<FamilyBase>> families_;
};

// The text format's pieces, for tests: a sample value ("1", "0.25", "+Inf", "NaN") and a
// label value or help text escaped.
std::string formatValue(double v);
std::string escapeLabelValue(std::string_view v);
std::string escapeHelp(std::string_view v);

}  // namespace keyport::metrics
