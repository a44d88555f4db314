// Stock status exactly as the seed's `spool_inventory_status` view computes it.
#pragma once

#include <string_view>

#include "sync/domain/spool.hpp"

namespace batchivo {

enum class StockStatus { Ok, Low, Critical, Depleted };

std::string_view to_string(StockStatus s);
bool stock_status_from_string(std::string_view s, StockStatus& out);

struct StockInfo {
    int used_weight_g = 0;
    double remaining_percent = 0;  // rounded to 2 decimals like ROUND(..., 2)
    StockStatus status = StockStatus::Ok;
};

// current/initial as the view does: depleted at 0 g, critical at <= 10 %, low at <= 25 %, else ok.
// initial_weight_g <= 0 cannot happen for a valid spool; it is reported as depleted with 0 %.
StockInfo stock_info(int initial_weight_g, int current_weight_g);
inline StockInfo stock_info(const Spool& s) { return stock_info(s.initial_weight_g, s.current_weight_g); }

}  // namespace batchivo
