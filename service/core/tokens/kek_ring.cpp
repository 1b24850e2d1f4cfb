#include "service/core/tokens/kek_ring.h"

#include <algorithm>
#include <charconv>

#include "hsm/error.h"
#include "service/core/tokens/static_objects.h"

namespace keyport {

std::string kekLabel(unsigned generation) {
    if (generation <= 1) return kKekLabel;
    return std::string(kKekLabel) + "-g" + std::to_string(generation);
}

std::optional<unsigned> kekGenerationOf(const std::string& label) {
    if (label == kKekLabel) return 1u;
    const std::string prefix = std::string(kKekLabel) + "-g";
    if (!label.starts_with(prefix) || label.size() == prefix.size()) return std::nullopt;
    unsigned g = 0;
    const char* first = label.data() + prefix.size();
    const char* last = label.data() + label.size();
    const auto [end, ec] = std::from_chars(first, last, g);
    // Canonical decimal only: "keyport-kek-g02" is not generation 2.
    if (ec != std::errc() || end != last || g < 2 || *first == '0') return std::nullopt;
    return g;
}

std::optional<hsm::ObjectHandle> tryUnwrap(hsm::Session& s, hsm::ObjectHandle kek,
                                           hsm::ByteView blob, const hsm::AttributeTemplate& tmpl) {
    try {
        return s.unwrapKey(hsm::Mechanism::aesKeyWrapPad(), kek, blob, tmpl);
    } catch (const hsm::Error& e) {
        if (e.rv() == kKwpIntegrityFailure) return std::nullopt;
        throw;
    }
}

KekRing::KekRing(std::vector<KekGeneration> found) : generations_(std::move(found)) {
    std::sort(generations_.begin(), generations_.end(),
              [](const auto& a, const auto& b) { return a.generation > b.generation; });
}

bool KekRing::empty() const {
    std::lock_guard lock(mutex_);
    return generations_.empty();
}

KekGeneration KekRing::current() const {
    std::lock_guard lock(mutex_);
    if (generations_.empty()) throw hsm::Error("the region has no KEK (run `keyport token init`)");
    return generations_.front();
}

std::vector<KekGeneration> KekRing::all() const {
    std::lock_guard lock(mutex_);
    return generations_;
}

void KekRing::add(KekGeneration g) {
    std::lock_guard lock(mutex_);
    std::erase_if(generations_, [&](const auto& x) { return x.generation == g.generation; });
    generations_.push_back(g);
    std::sort(generations_.begin(), generations_.end(),
              [](const auto& a, const auto& b) { return a.generation > b.generation; });
}

void KekRing::remove(unsigned generation) {
    std::lock_guard lock(mutex_);
    std::erase_if(generations_, [&](const auto& x) { return x.generation == generation; });
}

hsm::Bytes KekRing::seal(hsm::Session& s, hsm::ObjectHandle transient) const {
    return s.wrapKey(hsm::Mechanism::aesKeyWrapPad(), current().handle, transient);
}

hsm::ObjectHandle KekRing::open(hsm::Session& s, hsm::ByteView blob,
                                const hsm::AttributeTemplate& tmpl) const {
    return openWithGeneration(s, blob, tmpl).first;
}

std::pair<hsm::ObjectHandle, unsigned> KekRing::openWithGeneration(
    hsm::Session& s, hsm::ByteView blob, const hsm::AttributeTemplate& tmpl) const {
    const auto generations = all();
    if (generations.empty()) {
        throw hsm::Error("the region has no KEK (run `keyport token init`)");
    }
    // Outside the lock: a rollover may add or retire a generation meanwhile; a retired one's
    // blobs were all re-sealed before it went, so a stale list only costs a failed attempt.
    for (std::size_t i = 0; i + 1 < generations.size(); ++i) {
        if (auto h = tryUnwrap(s, generations[i].handle, blob, tmpl)) {
            return {*h, generations[i].generation};
        }
    }
    // The last candidate's failure is the caller's error, whatever it is.
    const auto& last = generations.back();
    return {s.unwrapKey(hsm::Mechanism::aesKeyWrapPad(), last.handle, blob, tmpl), last.generation};
}

}  // namespace keyport
