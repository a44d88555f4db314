// The batch planner shared by both stores: decides every item's outcome (applied, duplicate, rejected, stale or
// superseded) from rows the store has locked and read, and maps device times onto the server's clock. Pure: no
// I/O; the store writes the planned rows in the same database transaction. docs/CENTRAL.md "Batch semantics and
// the ordering rule" is the specification.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sync/protocol/batch.hpp"

namespace batchivo::central {

// --- batch planning (shared by both stores) ---------------------------------------------------------------
struct PlanSpool {
    std::string id;
    int initial_weight_g = 0;
    int current_weight_g = 0;
    bool changed = false;  // weight (and, for a weighing, last_weighing_*) to be written back
    // The spool's latest applied weighing: its measured time on the server's clock and the device that took it
    // (spools.last_weighing_at / last_weighing_device_id; unset before the first weighing).
    std::optional<int64_t> last_weighing_ms = std::nullopt;
    std::string last_weighing_device = {};
};
struct PlanExisting {   // an inventory_transactions row already stored with this client_id
    std::string id;
    std::string content_hash;
    std::string spool_id = {};  // for a "spool created" row: the spool's human id (echoed on a duplicate)
};
struct PlannedRow {
    std::string id;  // new transaction UUID
    const wire::TxItem* item = nullptr;
    std::string content_hash;
    int quantity_grams = 0;  // the change actually applied to the spool (0 when not applied)
    bool weight_applied = true;
    int resulting_weight_g = 0;
    int64_t occurred_ms = 0;  // the item's device_time on the server's clock (inventory_transactions.occurred_at)
    std::string reference_type = "station";  // inventory_transactions.reference_type / reference_id
    std::string reference_id = {};
};
struct BatchPlan {
    std::vector<wire::TxResult> results;
    std::vector<PlannedRow> rows;
};

// Maps a batch's device times onto the server's clock. With sent_at: offset = server_now - sent_at and an item
// happened at device_time + offset, clamped to [1970-01-01T00:00:00Z, server_now]. Without sent_at (older
// stations): arrival time.
struct BatchClock {
    int64_t server_now_ms = 0;
    std::optional<int64_t> offset_ms = std::nullopt;
    // Set when sent_at is a timestamp outside the accepted range (wire::wire_time_in_range): every item of the
    // batch is then rejected as invalid_item with this reason.
    std::string sent_at_error = {};
};
BatchClock batch_clock(const wire::TxBatch& batch, int64_t server_now_ms);
int64_t corrected_time_ms(const BatchClock& clock, const wire::TxItem& item);

// What the store did for a "spool created" item (TxItem::new_spool), asked by plan_batch only for an item that is
// valid, new (its client_id unseen) and whose spool UUID is not in the tenant yet. The store inserts the spool in
// its open database transaction (and links the purchase line) or says why not: error_code non-empty makes the
// item a per-item rejection with that code and reason.
struct SpoolCreation {
    std::string spool_id;        // the human id, as sent or assigned
    std::string reference_type;  // of the purchase transaction row: "purchase_item" with a purchase line, else "station"
    std::string reference_id;
    std::string error_code = {};
    std::string reason = {};
};
using SpoolCreator = std::function<SpoolCreation(const wire::TxItem&)>;

// The idempotency hash of one item: device + the item's fields. The batch's sent_at is deliberately not part of it
// (a retried batch carries a new sent_at).
std::string item_content_hash(const std::string& device_id, const wire::TxItem& item);

// Decides every item's outcome in order. `spools`: the tenant's spools referenced by the batch (locked by the
// caller), updated in place; `existing`: stored rows by client_id; `last_weighing_seq`: per spool, the highest
// device_seq of a weighing from this device whose weight was applied; `clock`: from batch_clock(). See
// docs/CENTRAL.md "Batch semantics and the ordering rule".
BatchPlan plan_batch(const std::string& device_id, const std::vector<wire::TxItem>& items,
                     std::map<std::string, PlanSpool>& spools, std::map<std::string, PlanExisting>& existing,
                     std::map<std::string, int64_t>& last_weighing_seq, const BatchClock& clock,
                     const SpoolCreator& create_spool = nullptr);

}  // namespace batchivo::central
