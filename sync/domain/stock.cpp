#include "sync/domain/stock.hpp"

#include <cmath>

namespace batchivo {

std::string_view to_string(StockStatus s) {
    switch (s) {
        case StockStatus::Ok: return "ok";
        case StockStatus::Low: return "low";
        case StockStatus::Critical: return "critical";
        case StockStatus::Depleted: return "depleted";
    }
    return "ok";
}

bool stock_status_from_string(std::string_view s, StockStatus& out) {
    if (s == "ok") out = StockStatus::Ok;
    else if (s == "low") out = StockStatus::Low;
    else if (s == "critical") out = StockStatus::Critical;
    else if (s == "depleted") out = StockStatus::Depleted;
    else return false;
    return true;
}

StockInfo stock_info(int initial, int current) {
    StockInfo info;
    info.used_weight_g = initial - current;
    if (initial <= 0) {
        info.status = StockStatus::Depleted;
        return info;
    }
    // PostgreSQL ROUND(numeric, 2) rounds half away from zero; the ratio is computed in integers so the
    // thresholds are exact (no floating-point drift at exactly 10 % or 25 %).
    const long long num = static_cast<long long>(current) * 10000;  // percent * 100
    long long hundredths = (std::llabs(num) * 2 + initial) / (2LL * initial);
    if (num < 0) hundredths = -hundredths;
    info.remaining_percent = static_cast<double>(hundredths) / 100.0;
    if (current == 0) info.status = StockStatus::Depleted;
    else if (static_cast<long long>(current) * 10 <= initial) info.status = StockStatus::Critical;
    else if (static_cast<long long>(current) * 4 <= initial) info.status = StockStatus::Low;
    else info.status = StockStatus::Ok;
    return info;
}

}  // namespace batchivo
