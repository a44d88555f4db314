// The station <-> central wire protocol: JSON bodies of the HTTPS API (docs/API.md documents every endpoint).
// Shared by the station's sync client and batchivo-central so both sides agree by construction. One header per
// topic; this one includes them all:
//   api.hpp      constants (prefix, limits), ApiError, parse<T>() -> Result<T>
//   pairing.hpp  the pairing QR payload, POST /pair
//   catalog.hpp  spools, material types, reorder settings, GET /catalog
//   batch.hpp    POST /transactions, validate_item()
//   lookup.hpp   GET /whoami, /spools, /spools/{id}/transactions, /reorder
// Parsing is strict: from_json throws nlohmann::json::exception (or std::invalid_argument) on a malformed body;
// callers turn that into a 400 (server) or a protocol error (client), or use parse<T>() for a Result.
#pragma once

#include "sync/protocol/api.hpp"
#include "sync/protocol/batch.hpp"
#include "sync/protocol/catalog.hpp"
#include "sync/protocol/lookup.hpp"
#include "sync/protocol/pairing.hpp"
