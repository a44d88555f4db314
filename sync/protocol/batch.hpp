// A batch of station transactions on the wire: POST /transactions and its per-item results, plus the shape check
// every item passes before the server looks at tenant, spool and weights. from_json is strict and throws on a
// malformed body (see api.hpp's parse<T>() for a Result).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/domain/result.hpp"
#include "sync/protocol/intake.hpp"

namespace batchivo::wire {

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
    // "spool created" (docs/SYNC.md): the item creates spool_uuid with these fields; type is purchase and
    // quantity_grams the initial weight. Later items for the spool follow it in device_seq order.
    std::optional<NewSpool> new_spool = std::nullopt;
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
    std::string spool_id;               // new spool (applied/duplicate): its human spool_id, assigned or as sent
};
struct TxBatchResponse {
    std::vector<TxResult> results;  // one per item, same order
};

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

// Checks one item's shape (UUIDs, type, seq, finite numbers, signs); Error{"invalid_item", reason} when it is
// malformed. The server also checks tenant, spool and weight constraints.
Result<> validate_item(const TxItem& item);

}  // namespace batchivo::wire
