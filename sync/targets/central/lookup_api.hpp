// Read-only look-ups against batchivo-central (docs/API.md): a spool's recent transactions
// (GET /spools/{uuid}/transactions) and who this device is (GET /whoami). Parsing is lenient about fields the kiosk
// does not show and strict about the ones it does. Stateless; the caller owns the client. Nothing throws.
// (The JSON is parsed by hand here until sync/protocol has wire types for these answers.)
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sync/http/http_client.hpp"
#include "sync/domain/result.hpp"
#include "sync/domain/spool.hpp"
#include "sync/engine/retry_policy.hpp"
#include "sync/engine/target.hpp"

namespace batchivo::sync {

// Parses a GET /spools/{uuid}/transactions body; nullopt (with `error`) when it is not one.
std::optional<SpoolHistory> parse_spool_history(const std::string& body, std::string& error);

struct HistoryResult {
    bool ok = false;
    bool not_paired = false;  // no credentials: nothing was attempted
    int http_status = 0;      // 0 when no HTTP answer arrived
    std::string error;        // operator-facing when !ok
    SpoolHistory history;
};

// One request over `http` with the device token.
HistoryResult get_spool_history(HttpClient& http, const std::string& token, const std::string& spool_uuid, int limit,
                                int64_t now_ms);

// GET /whoami with the device token: the device and tenant ids and slug as central knows them (no tenant name:
// the caller keeps the one from pairing).
Result<TargetIdentity> get_whoami(HttpClient& http, const std::string& token, int64_t now_ms);

// Deprecated: loads credentials.json on every call. The station uses SyncLink::history() (one target, credentials
// loaded once); this stays only for tests/station/history_tests.cpp until they switch. Loads <data_dir>/credentials.json and asks the paired server over a CurlHttpClient that verifies TLS with the
// paired CA and pin (or the system trust store when pairing carried no CA). Blocking: call it off the UI thread.
// `client_factory` substitutes the transport (tests).
HistoryResult fetch_spool_history(const std::string& data_dir, const std::string& spool_uuid, int limit,
                                  const std::atomic<bool>* abort_flag = nullptr,
                                  std::function<std::unique_ptr<HttpClient>(const CurlOptions&)> client_factory = {},
                                  int total_timeout_ms = 8000);

}  // namespace batchivo::sync
