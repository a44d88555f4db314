// Read-only look-ups against central for the kiosk (docs/API.md): a spool's recent transactions
// (GET /spools/{uuid}/transactions). Parsing is lenient about fields the kiosk does not show and strict about the
// ones it does. Errors are values; nothing throws.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sync/client/http_client.hpp"
#include "sync/client/retry_policy.hpp"
#include "sync/domain/spool.hpp"

namespace batchivo::sync {

struct RemoteTransaction {
    std::string id;          // the server's transaction id
    std::string client_id;   // the station record's id when it came from a station (empty otherwise)
    TransactionType type = TransactionType::Usage;
    int quantity_grams = 0;  // the change applied on the server
    int64_t at_ms = 0;       // occurred_at (server clock), else created_at; epoch ms
    std::optional<int> resulting_weight_g;
    std::string notes;
};

struct SpoolHistory {
    std::optional<int> current_weight_g;           // the server's current weight of the spool
    std::vector<RemoteTransaction> transactions;   // newest first
};

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

// Loads <data_dir>/credentials.json and asks the paired server over a CurlHttpClient that verifies TLS with the
// paired CA and pin (or the system trust store when pairing carried no CA). Blocking: call it off the UI thread.
// `client_factory` substitutes the transport (tests).
HistoryResult fetch_spool_history(const std::string& data_dir, const std::string& spool_uuid, int limit,
                                  const std::atomic<bool>* abort_flag = nullptr,
                                  std::function<std::unique_ptr<HttpClient>(const CurlOptions&)> client_factory = {},
                                  int total_timeout_ms = 8000);

}  // namespace batchivo::sync
