// The station <-> central wire protocol: JSON bodies of the HTTPS API (docs/API.md documents every endpoint).
// Shared by the station's sync client and batchivo-central so both sides agree by construction.
// Parsing is strict: from_json throws nlohmann::json::exception (or std::invalid_argument) on a malformed body;
// callers turn that into a 400 (server) or a protocol error (client).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/domain/spool.hpp"
#include "sync/domain/stock.hpp"
#include "sync/domain/weighing.hpp"

namespace batchivo::wire {

inline constexpr const char* kApiPrefix = "/api/station/v1";
inline constexpr int kMaxBatchItems = 500;            // POST /transactions: more -> 413
inline constexpr size_t kMaxBodyBytes = 1024 * 1024;  // any request body: more -> 413
inline constexpr int kMaxCatalogPage = 1000;

// --- pairing ---------------------------------------------------------------------------------------------
// The pairing QR carries: batchivo-pair:v1?url=<pct-encoded server URL>&code=<code>[&ca=<base64url DER CA cert>]
//                                         [&pin=<sha256//base64 of the server key's SPKI>]
// A pairing code looks like PAIR-XXXX-XXXX (alphabet without 0/O/1/I/L).
struct PairingPayload {
    std::string server_url;
    std::string code;
    std::string ca_der_base64url;  // empty when the server uses a publicly trusted certificate
    std::string pin;               // "sha256//..." or empty
};
std::string format_pairing_payload(const PairingPayload& p);
std::optional<PairingPayload> parse_pairing_payload(std::string_view text);
bool looks_like_pairing_code(std::string_view text);  // PAIR-XXXX-XXXX, case-insensitive

struct PairRequest {            // POST /pair (no auth)
    std::string code;
    std::string device_name;    // optional, what the station calls itself
};
struct PairResponse {
    std::string device_id;
    std::string token;          // bearer token; shown once, stored hashed on the server
    std::string tenant_id;
    std::string tenant_slug;
    std::string tenant_name;
    std::string station_name;   // the name the admin gave when creating the code
};

// --- catalog delta ---------------------------------------------------------------------------------------
// GET /catalog?since=<cursor>&limit=<n>: everything changed after the cursor (empty = from the start).
struct CatalogSpool {
    Spool spool;
    StockInfo stock;  // as spool_inventory_status computes it
};
struct CatalogDelta {
    std::vector<CatalogSpool> spools;
    std::vector<MaterialType> material_types;
    std::vector<ReorderSetting> reorder_settings;
    std::vector<std::string> deleted_spools;            // UUIDs removed (or moved out of this tenant)
    std::vector<std::string> deleted_reorder_settings;  // ids
    std::string next_cursor;                            // pass back as since=
    bool has_more = false;
    std::string server_time;                            // ISO-8601, for "catalog as of"
};

// --- transaction batch -----------------------------------------------------------------------------------
struct WireMeasurement {
    double gross_g = 0;
    double tare_g = 0;
    std::string tare_source;  // spool | catalog | station_default | manual
    double net_g = 0;
};
struct TxItem {
    std::string client_id;     // UUID generated on the station; the idempotency key
    int64_t device_seq = 0;    // per-device sequence, >= 1
    std::string device_time;   // ISO-8601 UTC from the device clock; ordered across devices only after the server
                               // corrects it with the batch's sent_at (docs/CENTRAL.md "ordering rule")
    std::string spool_uuid;
    std::string type;          // usage | adjustment | purchase | return | disposal
    int quantity_grams = 0;    // signed, as inventory_transactions.quantity_grams
    std::optional<WireMeasurement> measurement;  // present for weighings: the server sets the weight to net
    std::string notes;
};
struct TxBatch {               // POST /transactions
    std::vector<TxItem> items;
    // ISO-8601 UTC from the SAME device clock as the items' device_time, taken when the batch is sent (set anew on
    // every retry). The server maps device times onto its own clock: measured = device_time + (server_now - sent_at),
    // so a constant device clock error cancels out. Optional (older stations): the server then uses arrival time.
    // Not part of an item's content hash.
    std::optional<std::string> sent_at = std::nullopt;
};
// status: "applied" (now), "duplicate" (same id and same content applied earlier), "rejected" (see code/reason).
struct TxResult {
    std::string client_id;
    std::string status;
    std::string code;       // rejected: unknown_spool | invalid_item | conflict | weight_constraint | ...
    std::string reason;     // human-readable
    std::optional<int> spool_weight_g;  // the spool's current weight after this item (applied/duplicate)
    std::string transaction_id;         // server's inventory_transactions.id (applied/duplicate)
};
struct TxBatchResponse {
    std::vector<TxResult> results;  // one per item, same order
};

// --- errors ----------------------------------------------------------------------------------------------
// Every non-2xx response: {"error": {"code": "...", "message": "..."}}
struct ApiError {
    std::string code;
    std::string message;
};

void to_json(nlohmann::json& j, const PairRequest& v);
void from_json(const nlohmann::json& j, PairRequest& v);
void to_json(nlohmann::json& j, const PairResponse& v);
void from_json(const nlohmann::json& j, PairResponse& v);
void to_json(nlohmann::json& j, const CatalogDelta& v);
void from_json(const nlohmann::json& j, CatalogDelta& v);
void to_json(nlohmann::json& j, const WireMeasurement& v);
void from_json(const nlohmann::json& j, WireMeasurement& v);
void to_json(nlohmann::json& j, const TxItem& v);
void from_json(const nlohmann::json& j, TxItem& v);
void to_json(nlohmann::json& j, const TxBatch& v);
void from_json(const nlohmann::json& j, TxBatch& v);
void to_json(nlohmann::json& j, const TxResult& v);
void from_json(const nlohmann::json& j, TxResult& v);
void to_json(nlohmann::json& j, const TxBatchResponse& v);
void from_json(const nlohmann::json& j, TxBatchResponse& v);
void to_json(nlohmann::json& j, const ApiError& v);
void from_json(const nlohmann::json& j, ApiError& v);

// Spool and friends as JSON objects (shared by catalog and lookup responses).
nlohmann::json spool_to_json(const Spool& s, const StockInfo& stock);
Spool spool_from_json(const nlohmann::json& j);
nlohmann::json material_to_json(const MaterialType& m);
MaterialType material_from_json(const nlohmann::json& j);
nlohmann::json reorder_to_json(const ReorderSetting& r);
ReorderSetting reorder_from_json(const nlohmann::json& j);

// Validates one item's shape (UUIDs, type, seq, finite numbers); returns an empty string when valid, else the
// reason. The server also checks tenant, spool and weight constraints.
std::string validate_item(const TxItem& item);

}  // namespace batchivo::wire
