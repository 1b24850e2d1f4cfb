// How Exoscale's spec shows a key (get-kms-key-response and its list and create variants),
// its rotation config and material, an Operation, and the RFC 3339 date-times they carry.
// egoscale v3 decodes these strictly: every required member present, enums as listed,
// date-times parseable (never "").
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>
#include <vector>

#include "service/api/exoscale/exo_call.h"
#include "service/core/storage/key_store.h"
#include "service/core/storage/operation_store.h"

namespace keyport::api::exoscale {

// RFC 3339 in UTC with milliseconds and a Z: 2026-12-01T14:27:28.123Z.
std::string dateTime(std::int64_t epochMs);

// The key if it is one Exoscale's API can show (symmetric encrypt-decrypt), else KeyNotFound.
KeyRecord exoscaleKey(ExoCall& c, const std::string& id);

// {"status":"success"} (success-response).
Poco::JSON::Object::Ptr success();

// A key object. `withReplicaStatus`: get-kms-key's replicas-status (list entries lack it).
Poco::JSON::Object::Ptr keyJson(ExoCall& c, const KeyRecord& k, bool withReplicaStatus = false);
// key-rotation-config of `k`, whose material history is `history` (KeyService).
Poco::JSON::Object::Ptr rotationJson(ExoCall& c, const KeyRecord& k,
                                     const std::vector<MaterialEvent>& history);
Poco::JSON::Object::Ptr operationJson(const Operation& op);

}  // namespace keyport::api::exoscale
