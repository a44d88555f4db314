#include "station/core/catalog_index.hpp"

#include <algorithm>
#include <set>

#include "sync/domain/text.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo::station {

CatalogIndex::CatalogIndex(std::vector<Spool> spools) : spools_(std::move(spools)) {
    std::sort(spools_.begin(), spools_.end(), [](const Spool& a, const Spool& b) { return a.spool_id < b.spool_id; });
    std::set<std::string> mats;
    hay_.reserve(spools_.size());
    for (const auto& s : spools_) {
        hay_.push_back(to_lower(s.spool_id + " " + s.brand + " " + s.material_name + " " + s.color + " " +
                                s.storage_location + " " + s.finish_type));
        status_.push_back(stock_info(s).status);
        material_lower_.push_back(to_lower(s.material_name));
        if (!s.material_name.empty()) mats.insert(s.material_name);
    }
    materials_.assign(mats.begin(), mats.end());
}

CatalogIndex::Result CatalogIndex::search(const std::string& text, const std::string& material,
                                          std::optional<StockStatus> status, int limit) const {
    std::vector<std::string> tokens;
    std::string low = to_lower(text), cur;
    for (char c : low) {
        if (c == ' ') {
            if (!cur.empty()) tokens.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) tokens.push_back(cur);
    const std::string mat = to_lower(material);
    Result r;
    for (size_t i = 0; i < spools_.size(); ++i) {
        if (!spools_[i].is_active) continue;
        if (status && status_[i] != *status) continue;
        if (!mat.empty() && material_lower_[i] != mat) continue;
        bool ok = true;
        for (const auto& t : tokens)
            if (hay_[i].find(t) == std::string::npos) {
                ok = false;
                break;
            }
        if (!ok) continue;
        if (static_cast<int>(r.rows.size()) < limit) r.rows.push_back(&spools_[i]);
        ++r.total;
    }
    return r;
}

const Spool* CatalogIndex::by_uuid(const std::string& uuid) const {
    for (const auto& s : spools_)
        if (s.id == uuid) return &s;
    return nullptr;
}

std::optional<Spool> spool_for_label(StationStore& store, const platform::LabelRef& label) {
    if (label.kind == platform::LabelKind::Pairing) return std::nullopt;
    std::optional<Spool> sp = store.spool_by_qr(label.raw);
    if (!sp && label.kind == platform::LabelKind::SpoolUuid) sp = store.spool_by_uuid(label.value);
    if (!sp && label.kind == platform::LabelKind::SpoolId) sp = store.spool_by_spool_id(label.value);
    // A Spoolman label (web+spoolman:s-<n> any case, <base>/spool/show/<n>): the Spoolman target's spool S-<n>.
    if (!sp && label.kind == platform::LabelKind::SpoolmanSpool) sp = store.spool_by_spool_id("S-" + label.value);
    return sp;
}

}  // namespace batchivo::station
