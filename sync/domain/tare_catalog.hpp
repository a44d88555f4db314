// The brand/material empty-spool catalog (assets/data/spool_tares.csv, from SpoolmanDB). parse_csv() is pure;
// load_file() is the one loader of the file (the kiosk and the CLI both use it).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/domain/result.hpp"

namespace batchivo {

struct TareRow {
    std::string manufacturer;
    std::string material;
    double net_weight_g = 0;
    double empty_spool_weight_g = 0;
    std::string spool_type;
};

class TareCatalog {
public:
    // Parses the CSV (header: manufacturer,material,net_weight_g,empty_spool_weight_g,spool_type,...).
    // Malformed lines are skipped and counted in `skipped`.
    static TareCatalog parse_csv(std::string_view csv, int* skipped = nullptr);
    // Reads and parses the file. Error code "io" when it cannot be read (a missing catalog is an error: the
    // caller decides whether to go on without one).
    static Result<TareCatalog> load_file(const std::string& path, int* skipped = nullptr);

    // Best row for a brand and material (case-insensitive, surrounding whitespace ignored): a row whose net
    // weight equals `net_weight_g` wins, else the row for the most common 1 kg size, else the first row.
    std::optional<TareRow> find(std::string_view brand, std::string_view material, double net_weight_g) const;

    const std::vector<TareRow>& rows() const { return rows_; }
    size_t size() const { return rows_.size(); }

private:
    std::vector<TareRow> rows_;
};

}  // namespace batchivo
