// Small helpers for central: hashing, random secrets, pairing codes, the shared batch planner.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sync/protocol/wire.hpp"

namespace batchivo::central {

std::string sha256_hex(std::string_view data);
std::string random_bytes(size_t n);
std::string base64url(std::string_view bytes);
std::string base64(std::string_view bytes);
std::string new_device_token();   // "bvt_" + 43 base64url chars (256 bits)
std::string new_pairing_code();   // PAIR-XXXX-XXXX
// Canonical form used for hashing: uppercase.
std::string normalize_pairing_code(std::string_view code);

// --- catalog cursors: "v1:<tenant change seq>:<material change seq>" -----------------------------------------
struct Cursor {
    int64_t tenant_seq = 0;
    int64_t material_seq = 0;
};
std::optional<Cursor> parse_cursor(std::string_view s);  // "" -> {0,0}
std::string format_cursor(const Cursor& c);

// --- batch planning (shared by both stores) ---------------------------------------------------------------
struct PlanSpool {
    std::string id;
    int initial_weight_g = 0;
    int current_weight_g = 0;
    bool changed = false;
};
struct PlanExisting {   // an inventory_transactions row already stored with this client_id
    std::string id;
    std::string content_hash;
};
struct PlannedRow {
    std::string id;  // new transaction UUID
    const wire::TxItem* item = nullptr;
    std::string content_hash;
    int quantity_grams = 0;  // the change actually applied to the spool (0 when not applied)
    bool weight_applied = true;
    int resulting_weight_g = 0;
};
struct BatchPlan {
    std::vector<wire::TxResult> results;
    std::vector<PlannedRow> rows;
};

std::string item_content_hash(const std::string& device_id, const wire::TxItem& item);

// Decides every item's outcome in order. `spools`: the tenant's spools referenced by the batch (locked by the
// caller), updated in place; `existing`: stored rows by client_id; `last_weighing_seq`: per spool, the highest
// device_seq of a weighing from this device whose weight was applied. See docs/CENTRAL.md "Batch semantics".
BatchPlan plan_batch(const std::string& device_id, const std::vector<wire::TxItem>& items,
                     std::map<std::string, PlanSpool>& spools, std::map<std::string, PlanExisting>& existing,
                     std::map<std::string, int64_t>& last_weighing_seq);

}  // namespace batchivo::central
