// StaticObjects: the few long-lived objects provisioning puts on every region token
// (region KEK, MAC key, transport key pair, ceremony signing pair, provisioned marker) and how to
// find them.
#pragma once

#include <optional>
#include <vector>

#include "hsm/session.h"
#include "service/core/tokens/kek_ring.h"

namespace keyport {

inline constexpr char kKekLabel[] = "keyport-kek";
inline constexpr char kMacLabel[] = "keyport-mac";
inline constexpr char kTransportLabel[] = "keyport-transport";
inline constexpr char kMarkerLabel[] = "keyport-provisioned";
// The ceremony signing pair (transcript records). Tokens provisioned before it existed get
// it at their first ceremony step, so it is not part of complete().
inline constexpr char kCeremonyLabel[] = "keyport-ceremony";

struct StaticObjects {
    // The current (highest) KEK generation; `keks` has every generation on the token (two
    // while a rollover runs, see kek_ring.h).
    std::optional<hsm::ObjectHandle> kek;
    std::vector<KekGeneration> keks;
    std::optional<hsm::ObjectHandle> mac;
    std::optional<hsm::ObjectHandle> transportPublic;
    std::optional<hsm::ObjectHandle> transportPrivate;
    std::optional<hsm::ObjectHandle> marker;
    std::optional<hsm::ObjectHandle> ceremonyPublic;
    std::optional<hsm::ObjectHandle> ceremonyPrivate;

    bool complete() const { return kek && mac && transportPublic && transportPrivate && marker; }

    // Finds what is there; private objects are only visible to a logged-in session.
    static StaticObjects find(hsm::Session& session);
};

}  // namespace keyport
