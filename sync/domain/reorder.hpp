// Reorder math as the seed describes: reorder point = average daily usage x (lead time + safety days), the
// average computed from a transaction history; stock aggregated per (material, color, brand).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sync/domain/spool.hpp"

namespace batchivo {

struct UsageEvent {
    int64_t at_epoch_s = 0;
    TransactionType type = TransactionType::Usage;
    int quantity_grams = 0;  // negative for usage
};

// Average grams used per day over the `window_days` days ending at `now_epoch_s`, counting usage transactions
// only (adjustments, purchases and returns are not consumption). Rounded to whole grams like the seed's
// INTEGER column. window_days <= 0 yields 0.
int average_daily_usage_g(const std::vector<UsageEvent>& history, int64_t now_epoch_s, int window_days = 30);

// avg_daily * (lead_time + safety_days); negative inputs are treated as 0.
int reorder_point_g(int avg_daily_usage_g, int lead_time_days, int safety_stock_days);

struct ReorderLine {
    ReorderSetting setting;
    int stock_g = 0;          // sum of current weight of matching active spools
    int spool_count = 0;
    int reorder_point_g = 0;  // stored value, else computed from avg daily usage
    bool needs_reorder = false;  // stock_g <= reorder_point_g
};

// Does a spool belong to a setting's (material, color, brand)? Empty fields in the setting match anything;
// comparisons are case-insensitive.
bool reorder_matches(const ReorderSetting& s, const Spool& spool);

// One line per setting, aggregating matching active spools, sorted so that lines needing a reorder come first.
std::vector<ReorderLine> reorder_report(const std::vector<ReorderSetting>& settings, const std::vector<Spool>& spools);

}  // namespace batchivo
