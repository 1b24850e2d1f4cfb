// KekRing: the generations of a region's KEK found on its token (keyport-kek is generation
// 1, keyport-kek-g<N> generation N), thread-safe. Every seal uses the current (highest)
// generation; opening a blob tries the current one first, then the others, so blobs sealed
// before a rollover keep opening until it has re-sealed them and retired the old KEK.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hsm/session.h"

namespace keyport {

struct KekGeneration {
    unsigned generation = 0;
    hsm::ObjectHandle handle = CK_INVALID_HANDLE;
};

// keyport-kek (1) or keyport-kek-g<N>; the CKA_ID of generation N >= 2 is N in decimal.
std::string kekLabel(unsigned generation);
// The generation a label names, nullopt for any other label.
std::optional<unsigned> kekGenerationOf(const std::string& label);

// The return value of SoftHSM 2.6.1's C_UnwrapKey with CKM_AES_KEY_WRAP_PAD when the RFC 5649
// integrity check fails (measured: a blob under another AES key, a truncated blob):
// CKR_GENERAL_ERROR. Only this one means "try the next generation"; any other failure is
// not about which KEK sealed the blob.
inline constexpr CK_RV kKwpIntegrityFailure = CKR_GENERAL_ERROR;

// C_UnwrapKey (KWP) of `blob` under `kek`; nullopt when the integrity check fails (another
// KEK sealed it), hsm::Error for anything else.
std::optional<hsm::ObjectHandle> tryUnwrap(hsm::Session& s, hsm::ObjectHandle kek,
                                           hsm::ByteView blob, const hsm::AttributeTemplate& tmpl);

class KekRing {
  public:
    KekRing() = default;
    explicit KekRing(std::vector<KekGeneration> found);

    bool empty() const;
    // The generation every seal uses: the highest. Throws if the ring is empty.
    KekGeneration current() const;
    // Every generation, current first, then the others newest first.
    std::vector<KekGeneration> all() const;
    // A new generation (it becomes current if it is the highest).
    void add(KekGeneration g);
    // Forgets a generation (its object was destroyed).
    void remove(unsigned generation);

    // KWP-wraps `transient` under the current generation.
    hsm::Bytes seal(hsm::Session& s, hsm::ObjectHandle transient) const;
    // Unwraps `blob` under whichever generation sealed it (current first). A blob no
    // generation opens gets the last generation's error.
    hsm::ObjectHandle open(hsm::Session& s, hsm::ByteView blob,
                           const hsm::AttributeTemplate& tmpl) const;
    // The same, also saying which generation opened it.
    std::pair<hsm::ObjectHandle, unsigned> openWithGeneration(
        hsm::Session& s, hsm::ByteView blob, const hsm::AttributeTemplate& tmpl) const;

  private:
    mutable std::mutex mutex_;
    std::vector<KekGeneration> generations_;  // sorted, highest first
};

}  // namespace keyport
