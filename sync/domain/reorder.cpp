#include "sync/domain/reorder.hpp"

#include <algorithm>
#include <cmath>

#include "sync/domain/text.hpp"

namespace batchivo {

int average_daily_usage_g(const std::vector<UsageEvent>& history, int64_t now, int window_days) {
    if (window_days <= 0) return 0;
    const int64_t from = now - static_cast<int64_t>(window_days) * 86400;
    long long used = 0;
    for (const auto& e : history) {
        if (e.type != TransactionType::Usage || e.at_epoch_s <= from || e.at_epoch_s > now) continue;
        used += e.quantity_grams < 0 ? -static_cast<long long>(e.quantity_grams) : e.quantity_grams;
    }
    return static_cast<int>(std::llround(static_cast<double>(used) / window_days));
}

int reorder_point_g(int avg, int lead, int safety) {
    avg = std::max(avg, 0);
    lead = std::max(lead, 0);
    safety = std::max(safety, 0);
    return avg * (lead + safety);
}

bool reorder_matches(const ReorderSetting& s, const Spool& spool) {
    if (!s.tenant_id.empty() && s.tenant_id != spool.tenant_id) return false;
    if (!s.material_type_id.empty() && s.material_type_id != spool.material_type_id) return false;
    if (!trim(s.color).empty() && !iequals(trim(s.color), trim(spool.color))) return false;
    if (!trim(s.brand).empty() && !iequals(trim(s.brand), trim(spool.brand))) return false;
    return true;
}

std::vector<ReorderLine> reorder_report(const std::vector<ReorderSetting>& settings,
                                        const std::vector<Spool>& spools) {
    std::vector<ReorderLine> lines;
    for (const auto& s : settings) {
        ReorderLine l;
        l.setting = s;
        for (const auto& sp : spools) {
            if (!sp.is_active || !reorder_matches(s, sp)) continue;
            l.stock_g += sp.current_weight_g;
            ++l.spool_count;
        }
        l.reorder_point_g = s.reorder_point_grams
                                ? *s.reorder_point_grams
                                : reorder_point_g(s.avg_daily_usage_grams.value_or(0), s.lead_time_days,
                                                  s.safety_stock_days);
        l.needs_reorder = l.stock_g <= l.reorder_point_g;
        lines.push_back(std::move(l));
    }
    std::stable_sort(lines.begin(), lines.end(), [](const ReorderLine& a, const ReorderLine& b) {
        return a.needs_reorder && !b.needs_reorder;
    });
    return lines;
}

}  // namespace batchivo
