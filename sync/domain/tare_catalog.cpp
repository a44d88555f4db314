#include "sync/domain/tare_catalog.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "sync/domain/text.hpp"

namespace batchivo {

static std::vector<std::string> split_csv_line(std::string_view line) {
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') { cur += '"'; ++i; }
            else if (c == '"') quoted = false;
            else cur += c;
        } else if (c == '"') quoted = true;
        else if (c == ',') { out.push_back(cur); cur.clear(); }
        else cur += c;
    }
    out.push_back(cur);
    return out;
}

static bool parse_double(const std::string& s, double& out) {
    if (s.empty()) return false;
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    return end && *end == '\0' && std::isfinite(out);
}

TareCatalog TareCatalog::parse_csv(std::string_view csv, int* skipped) {
    TareCatalog cat;
    int bad = 0;
    bool header = true;
    size_t pos = 0;
    while (pos < csv.size()) {
        size_t nl = csv.find('\n', pos);
        std::string_view line = csv.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? csv.size() : nl + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (trim(line).empty()) continue;
        if (header) { header = false; continue; }
        auto f = split_csv_line(line);
        TareRow row;
        if (f.size() < 4 || trim(f[0]).empty() || trim(f[1]).empty() || !parse_double(f[2], row.net_weight_g) ||
            !parse_double(f[3], row.empty_spool_weight_g) || row.empty_spool_weight_g < 0) {
            ++bad;
            continue;
        }
        row.manufacturer = std::string(trim(f[0]));
        row.material = std::string(trim(f[1]));
        if (f.size() > 4) row.spool_type = std::string(trim(f[4]));
        cat.rows_.push_back(std::move(row));
    }
    if (skipped) *skipped = bad;
    return cat;
}

Result<TareCatalog> TareCatalog::load_file(const std::string& path, int* skipped) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"io", "cannot open the tare catalog " + path};
    std::stringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return Error{"io", "cannot read the tare catalog " + path};
    return parse_csv(ss.str(), skipped);
}

std::optional<TareRow> TareCatalog::find(std::string_view brand, std::string_view material,
                                         double net_weight_g) const {
    const std::string b = to_lower(trim(brand)), m = to_lower(trim(material));
    if (b.empty() || m.empty()) return std::nullopt;
    const TareRow* first = nullptr;
    const TareRow* kilo = nullptr;
    for (const auto& r : rows_) {
        if (to_lower(r.manufacturer) != b || to_lower(r.material) != m) continue;
        if (net_weight_g > 0 && std::fabs(r.net_weight_g - net_weight_g) < 0.5) return r;
        if (!first) first = &r;
        if (!kilo && std::fabs(r.net_weight_g - 1000.0) < 0.5) kilo = &r;
    }
    if (kilo) return *kilo;
    if (first) return *first;
    return std::nullopt;
}

}  // namespace batchivo
