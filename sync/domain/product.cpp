#include "sync/domain/product.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "sync/domain/text.hpp"

namespace batchivo {

namespace {

// DECIMAL(10,2) assignment: round half away from zero to cents. The tiny nudge absorbs binary representation error
// (1.005 is 1.00499999... as a double but exactly 1.005 as a PostgreSQL numeric).
double cents(double v) {
    const double nudge = v >= 0 ? 1e-9 : -1e-9;
    return std::round(v * 100.0 + nudge) / 100.0;
}

const Spool* find_spool(const std::vector<Spool>& spools, const std::string& uuid) {
    const std::string u = to_lower(uuid);
    for (const auto& s : spools)
        if (to_lower(s.id) == u) return &s;
    return nullptr;
}

// The equivalence group of a spool: material (by name, else by type id), brand and color, case-insensitive.
std::string stock_key(const Spool& s) {
    const std::string material = !s.material_name.empty() ? to_lower(trim(s.material_name))
                                                          : "#" + to_lower(s.material_type_id);
    return material + "\x1f" + to_lower(trim(s.brand)) + "\x1f" + to_lower(trim(s.color));
}

struct Collected {
    ProductMaterial m;
    std::string via;
    long long grams = 0;  // per unit of the asked product
};

void collect(const Product& p, long long multiplier, const std::string& via, const std::vector<Product>& all,
             std::vector<std::string>& path, std::vector<Collected>& out, std::vector<std::string>& problems) {
    for (const auto& m : p.materials) out.push_back({m, via, static_cast<long long>(m.grams_per_unit) * multiplier});
    for (const auto& c : p.components) {
        const Product* sub = find_product(all, c.name);
        if (!sub) continue;  // a plain part: not tracked, cost only
        if (std::find(path.begin(), path.end(), to_lower(sub->sku)) != path.end()) {
            problems.push_back("component " + sub->sku + " of " + p.sku + " contains itself; its material is not counted");
            continue;
        }
        path.push_back(to_lower(sub->sku));
        collect(*sub, multiplier * std::max(0, c.quantity), sub->sku, all, path, out, problems);
        path.pop_back();
    }
}

}  // namespace

double product_cost(const Product& p, const std::vector<Spool>& spools) {
    double material = 0;
    for (const auto& m : p.materials) {
        const Spool* s = find_spool(spools, m.spool_uuid);
        if (!s || !s->purchase_cost || s->initial_weight_g <= 0) continue;  // JOIN drops it; SUM skips NULL
        material += static_cast<double>(m.grams_per_unit) / s->initial_weight_g * *s->purchase_cost;
    }
    double components = 0;
    for (const auto& c : p.components) components += c.quantity * c.unit_cost;
    const double labor = p.labor_hours * p.labor_rate.value_or(0);
    const double overhead = p.include_overhead ? p.labor_hours * p.overhead_rate.value_or(0) : 0;
    return cents(cents(material) + cents(components) + cents(labor) + cents(overhead));
}

const Product* find_product(const std::vector<Product>& products, const std::string& sku) {
    const std::string k = to_lower(trim(sku));
    for (const auto& p : products)
        if (to_lower(p.sku) == k) return &p;
    return nullptr;
}

ProductAvailability product_availability(const Product& p, const std::vector<Spool>& spools,
                                         const std::vector<Product>& all_products) {
    ProductAvailability a;
    a.sku = p.sku;
    a.name = p.name;
    a.cost_per_unit = product_cost(p, spools);

    std::vector<Collected> collected;
    std::vector<std::string> path{to_lower(p.sku)};
    collect(p, 1, "", all_products, path, collected, a.problems);

    // Stock per equivalence group: every active spool counts once.
    std::map<std::string, long long> group_stock;
    std::map<std::string, std::vector<std::string>> group_members;
    for (const auto& s : spools) {
        if (!s.is_active) continue;
        const std::string k = stock_key(s);
        group_stock[k] += std::max(0, s.current_weight_g);
        group_members[k].push_back(s.spool_id);
    }

    // Grams per unit per group (lines on unknown spools each form their own, empty group).
    std::vector<std::string> keys;
    std::map<std::string, long long> group_need;
    for (size_t i = 0; i < collected.size(); ++i) {
        const auto& c = collected[i];
        const Spool* s = find_spool(spools, c.m.spool_uuid);
        const std::string k = s ? stock_key(*s) : "?" + std::to_string(i);
        keys.push_back(k);
        group_need[k] += std::max(0LL, c.grams);
    }

    std::optional<long long> best;
    for (size_t i = 0; i < collected.size(); ++i) {
        const auto& c = collected[i];
        const Spool* s = find_spool(spools, c.m.spool_uuid);
        AvailabilityLine l;
        l.spool_uuid = c.m.spool_uuid;
        l.spool_label = s ? s->spool_id : c.m.spool_label;
        l.slot = c.m.slot;
        l.via = c.via;
        l.grams_per_unit = static_cast<int>(std::min<long long>(c.grams, 2'000'000'000LL));
        l.spool_found = s != nullptr;
        l.spool_active = s && s->is_active;
        l.linked_remaining_g = l.spool_active ? std::max(0, s->current_weight_g) : 0;
        const std::string& k = keys[i];
        l.available_g = static_cast<int>(std::min<long long>(group_stock.count(k) ? group_stock[k] : 0, 2'000'000'000LL));
        if (group_members.count(k)) l.equivalent_spools = group_members[k];
        l.pool_grams_per_unit = static_cast<int>(std::min<long long>(group_need[k], 2'000'000'000LL));
        if (!s) {
            const std::string name = c.m.spool_label.empty() ? c.m.spool_uuid : c.m.spool_label;
            a.problems.push_back("spool " + name + " (" + (c.m.slot.empty() ? "material" : c.m.slot) +
                                 ") is not in the catalog: no stock counted");
        } else if (!s->is_active) {
            a.problems.push_back("spool " + s->spool_id + " is inactive: only its equivalents count");
        }
        if (group_need[k] > 0) {
            const long long units = (group_stock.count(k) ? group_stock[k] : 0) / group_need[k];
            l.max_units = static_cast<int>(std::min<long long>(units, 2'000'000'000LL));
            if (!best || units < *best) best = units;
        }
        a.lines.push_back(std::move(l));
    }
    if (best) {
        a.max_units = static_cast<int>(std::min<long long>(*best, 2'000'000'000LL));
        for (auto& l : a.lines) l.limiting = l.max_units && *l.max_units == *a.max_units;
    }
    return a;
}

}  // namespace batchivo
