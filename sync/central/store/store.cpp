#include <algorithm>
#include <map>

#include "sync/central/store/store.hpp"
#include "sync/domain/stock.hpp"
#include "sync/domain/text.hpp"

namespace batchivo::central {

std::unique_ptr<Store> make_sqlite_store(const std::string& path);
std::unique_ptr<Store> make_postgres_store(const std::string& conninfo, int pool_size);

void require_distinct_spool_ids(const std::vector<Spool>& spools) {
    std::map<std::string, size_t> seen;
    for (size_t i = 0; i < spools.size(); ++i) {
        auto [it, fresh] = seen.emplace(spools[i].spool_id, i);
        if (!fresh)
            throw StoreError("invalid_input", "spool_id '" + spools[i].spool_id + "' occurs twice (spools " +
                                                  std::to_string(it->second + 1) + " and " + std::to_string(i + 1) + ")");
    }
}

int AdminStore::migrate() {
    return migrate_with(backend() == "postgresql" ? postgres_migrations() : sqlite_migrations());
}

namespace {
bool icontains(const std::string& hay, const std::string& needle) {
    return to_lower(hay).find(needle) != std::string::npos;
}
}  // namespace

SpoolPage StationApiStore::search_spools(const std::string& tenant_id, const SpoolQuery& q) {
    std::vector<Spool> all = active_spools(tenant_id);
    std::vector<ReorderLine> lines;
    if (q.low_stock) lines = reorder_report(reorder_settings(tenant_id), all);
    const std::string needle = to_lower(trim(q.q));
    StockStatus want{};
    const bool by_status = !q.status.empty();
    if (by_status && !stock_status_from_string(q.status, want))
        throw StoreError("invalid_input", "status must be ok, low, critical or depleted");
    SpoolPage page;
    std::vector<wire::CatalogSpool> matches;
    for (const auto& s : all) {
        const StockInfo st = stock_info(s);
        if (!needle.empty() && !(icontains(s.spool_id, needle) || icontains(s.brand, needle) ||
                                 icontains(s.color, needle) || icontains(s.material_name, needle) ||
                                 icontains(s.storage_location, needle) || icontains(s.qr_code_data, needle) ||
                                 icontains(s.id, needle)))
            continue;
        if (!q.material.empty() && !iequals(s.material_name, trim(q.material))) continue;
        if (by_status && st.status != want) continue;
        if (q.low_stock) {
            bool low = st.status != StockStatus::Ok;
            for (const auto& l : lines)
                if (l.needs_reorder && reorder_matches(l.setting, s)) low = true;
            if (!low) continue;
        }
        matches.push_back({s, st});
    }
    std::stable_sort(matches.begin(), matches.end(),
                     [](const wire::CatalogSpool& a, const wire::CatalogSpool& b) { return a.spool.spool_id < b.spool.spool_id; });
    page.total = static_cast<int>(matches.size());
    const int off = std::clamp(q.offset, 0, page.total);
    const int lim = std::clamp(q.limit, 0, 500);
    for (int i = off; i < std::min(page.total, off + lim); ++i) page.spools.push_back(matches[static_cast<size_t>(i)]);
    return page;
}

std::vector<ReorderLine> StationApiStore::reorder(const std::string& tenant_id) {
    return reorder_report(reorder_settings(tenant_id), active_spools(tenant_id));
}

std::unique_ptr<Store> open_store(const std::string& url, int pool_size) {
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
        return make_postgres_store(url, pool_size);
    if (url.rfind("sqlite:", 0) == 0) return make_sqlite_store(url.substr(7));
    if (url.size() > 3 && (url.ends_with(".db") || url.ends_with(".sqlite"))) return make_sqlite_store(url);
    throw StoreError("invalid_input", "database URL must start with postgresql:// or sqlite: (got '" + url + "')");
}

}  // namespace batchivo::central
