// CatalogIndex: an immutable, in-memory copy of the spool catalog prepared for search, so a keystroke on the
// Stock screen filters memory, never the disk. Built off the UI thread (a store task), then shared read-only
// (std::shared_ptr<const CatalogIndex>) by the screens that look spools up. The station's one spool search.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/labels/label_parser.hpp"
#include "sync/domain/spool.hpp"
#include "sync/domain/stock.hpp"

namespace batchivo {
class StationStore;
}

namespace batchivo::station {

class CatalogIndex {
public:
    CatalogIndex() = default;
    explicit CatalogIndex(std::vector<Spool> spools);
    struct Result {
        std::vector<const Spool*> rows;  // first `limit`, sorted by spool_id
        int64_t total = 0;
    };
    Result search(const std::string& text, const std::string& material, std::optional<StockStatus> status,
                  int limit = 60) const;
    const std::vector<std::string>& materials() const { return materials_; }
    const std::vector<Spool>& spools() const { return spools_; }
    const Spool* by_uuid(const std::string& uuid) const;
    size_t size() const { return spools_.size(); }

private:
    std::vector<Spool> spools_;        // sorted by spool_id
    std::vector<std::string> hay_;     // lowercase "spool_id brand material color location"
    std::vector<StockStatus> status_;
    std::vector<std::string> material_lower_;
    std::vector<std::string> materials_;
};

// The spool a scanned label names, from the store: its stored QR payload first, then by UUID or spool ID
// (per the label's kind). nullopt for pairing codes and labels of no spool here. Any thread (the store is).
std::optional<Spool> spool_for_label(StationStore& store, const platform::LabelRef& label);

}  // namespace batchivo::station
