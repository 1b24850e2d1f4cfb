#include "service/core/base/metrics_registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace keyport::metrics {
namespace {

bool validName(std::string_view n, bool colons) {
    if (n.empty()) return false;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const char c = n[i];
        const bool alpha =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colons && c == ':');
        if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
}

const char* typeName(Type t) {
    switch (t) {
        case Type::Counter:
            return "counter";
        case Type::Gauge:
            return "gauge";
        case Type::Histogram:
            return "histogram";
    }
    return "untyped";
}

void sample(std::string& out, const std::string& name, std::string_view suffix,
            const std::string& labels, std::string_view extraLabel, const std::string& value) {
    out += name;
    out += suffix;
    if (!labels.empty() || !extraLabel.empty()) {
        out += '{';
        out += labels;
        if (!labels.empty() && !extraLabel.empty()) out += ',';
        out += extraLabel;
        out += '}';
    }
    out += ' ';
    out += value;
    out += '\n';
}

// A computed, label-less counter or gauge: its value is read at render time.
class ComputedFamily : public FamilyBase {
  public:
    ComputedFamily(std::string name, std::string help, Type type, std::function<double()> value)
        : FamilyBase(std::move(name), std::move(help), type, {}), value_(std::move(value)) {
        find({}, [] { return std::make_unique<Series>(); });
    }

  private:
    void renderSeries(std::string& out, const std::string& labels, const Series&) const override {
        double v = 0;
        try {
            v = value_();
        } catch (...) {
            v = std::nan("");  // a /proc read failed: say so rather than a plausible 0
        }
        sample(out, name(), "", labels, {}, formatValue(v));
    }
    std::function<double()> value_;
};

}  // namespace

std::string formatValue(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    // Whole numbers (every counter, most gauges) print without an exponent up to 2^53.
    if (v == std::floor(v) && std::fabs(v) < 9007199254740992.0) {
        return std::to_string(static_cast<long long>(v));
    }
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
    return std::string(buf, r.ptr);
}

std::string escapeLabelValue(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string escapeHelp(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

Histogram::Histogram(std::shared_ptr<const std::vector<double>> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_->size() + 1)) {}

void Histogram::observe(double v) noexcept {
    // Bucket i counts bounds[i-1] < v <= bounds[i]; render() makes them cumulative.
    const auto& b = *bounds_;
    const auto i = static_cast<std::size_t>(std::lower_bound(b.begin(), b.end(), v) - b.begin());
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
    Snapshot s;
    s.cumulative.resize(bounds_->size() + 1);
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= bounds_->size(); ++i) {
        running += buckets_[i].load(std::memory_order_relaxed);
        s.cumulative[i] = running;
    }
    // The count is the +Inf bucket, so the two always agree even while others observe.
    s.count = running;
    s.sum = sum_.load(std::memory_order_relaxed);
    return s;
}

FamilyBase::FamilyBase(std::string name, std::string help, Type type,
                       std::vector<std::string> labels)
    : name_(std::move(name)), help_(std::move(help)), type_(type), labels_(std::move(labels)) {
    if (!validName(name_, true)) throw std::invalid_argument("bad metric name '" + name_ + "'");
    for (const auto& l : labels_) {
        if (!validName(l, false) || l.starts_with("__") || (type == Type::Histogram && l == "le")) {
            throw std::invalid_argument("metric " + name_ + ": bad label name '" + l + "'");
        }
    }
}

FamilyBase::Series& FamilyBase::find(std::initializer_list<std::string_view> values,
                                     const std::function<std::unique_ptr<Series>()>& make) {
    if (values.size() != labels_.size()) {
        throw std::invalid_argument("metric " + name_ + " takes " + std::to_string(labels_.size()) +
                                    " label values");
    }
    // Length-prefixed so that no two label sets share a key, whatever bytes they hold.
    thread_local std::string key;
    key.clear();
    for (std::string_view v : values) {
        key += std::to_string(v.size());
        key += ':';
        key += v;
    }
    {
        std::shared_lock lock(mutex_);
        if (auto it = series_.find(key); it != series_.end()) return *it->second;
    }
    std::unique_lock lock(mutex_);
    auto& slot = series_[key];
    if (!slot) {
        slot = make();
        slot->values.assign(values.begin(), values.end());
    }
    return *slot;
}

void FamilyBase::render(std::string& out) const {
    std::vector<const Series*> all;
    std::shared_lock lock(mutex_);
    if (series_.empty()) return;
    all.reserve(series_.size());
    for (const auto& [key, s] : series_) all.push_back(s.get());
    std::sort(all.begin(), all.end(),
              [](const Series* a, const Series* b) { return a->values < b->values; });
    out += "# HELP " + name_ + " " + escapeHelp(help_) + "\n";
    out += "# TYPE " + name_ + " " + typeName(type_) + "\n";
    std::string labels;
    for (const Series* s : all) {
        labels.clear();
        for (std::size_t i = 0; i < labels_.size(); ++i) {
            if (i > 0) labels += ',';
            labels += labels_[i] + "=\"" + escapeLabelValue(s->values[i]) + "\"";
        }
        renderSeries(out, labels, *s);
    }
}

template <>
void Family<Counter>::renderSeries(std::string& out, const std::string& labels,
                                   const Series& s) const {
    sample(out, name(), "", labels, {}, std::to_string(static_cast<const Of&>(s).metric.value()));
}

template <>
void Family<Gauge>::renderSeries(std::string& out, const std::string& labels,
                                 const Series& s) const {
    sample(out, name(), "", labels, {}, formatValue(static_cast<const Of&>(s).metric.value()));
}

template <>
void Family<Histogram>::renderSeries(std::string& out, const std::string& labels,
                                     const Series& s) const {
    const Histogram& h = static_cast<const Of&>(s).metric;
    const auto snap = h.snapshot();
    const auto& b = h.bounds();
    for (std::size_t i = 0; i <= b.size(); ++i) {
        const std::string le =
            "le=\"" + (i < b.size() ? formatValue(b[i]) : std::string("+Inf")) + "\"";
        sample(out, name(), "_bucket", labels, le, std::to_string(snap.cumulative[i]));
    }
    sample(out, name(), "_sum", labels, {}, formatValue(snap.sum));
    sample(out, name(), "_count", labels, {}, std::to_string(snap.count));
}

template <typename F>
F& Registry::add(std::unique_ptr<F> family) {
    std::lock_guard lock(mutex_);
    for (const auto& f : families_) {
        if (f->name() == family->name()) {
            throw std::invalid_argument("metric " + family->name() + " registered twice");
        }
    }
    F& ref = *family;
    families_.push_back(std::move(family));
    return ref;
}

Family<Counter>& Registry::counter(std::string name, std::string help,
                                   std::vector<std::string> labels) {
    return add(std::make_unique<Family<Counter>>(std::move(name), std::move(help), Type::Counter,
                                                 std::move(labels)));
}

Family<Gauge>& Registry::gauge(std::string name, std::string help,
                               std::vector<std::string> labels) {
    return add(std::make_unique<Family<Gauge>>(std::move(name), std::move(help), Type::Gauge,
                                               std::move(labels)));
}

Family<Histogram>& Registry::histogram(std::string name, std::string help,
                                       std::vector<std::string> labels,
                                       std::vector<double> bounds) {
    if (bounds.empty() || !std::is_sorted(bounds.begin(), bounds.end()) ||
        std::adjacent_find(bounds.begin(), bounds.end()) != bounds.end() ||
        std::isinf(bounds.back()) || std::isnan(bounds.back())) {
        throw std::invalid_argument("histogram " + name + ": bounds must be finite, ascending");
    }
    auto f = std::make_unique<Family<Histogram>>(std::move(name), std::move(help), Type::Histogram,
                                                 std::move(labels));
    f->bounds = std::make_shared<const std::vector<double>>(std::move(bounds));
    return add(std::move(f));
}

void Registry::computed(std::string name, std::string help, Type type,
                        std::function<double()> value) {
    if (type == Type::Histogram)
        throw std::invalid_argument("a computed metric is not a histogram");
    add(std::make_unique<ComputedFamily>(std::move(name), std::move(help), type, std::move(value)));
}

std::string Registry::render() const {
    std::vector<const FamilyBase*> all;
    {
        std::lock_guard lock(mutex_);
        for (const auto& f : families_) all.push_back(f.get());
    }
    std::sort(all.begin(), all.end(),
              [](const FamilyBase* a, const FamilyBase* b) { return a->name() < b->name(); });
    std::string out;
    for (const FamilyBase* f : all) f->render(out);
    return out;
}

Registry& Registry::global() {
    // Never destroyed: threads may still count while static destructors run at exit.
    static Registry* r = new Registry();
    return *r;
}

}  // namespace keyport::metrics
