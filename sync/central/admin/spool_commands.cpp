// CLI: spool add, spool import (CSV, all-or-nothing), material list; spool label is in label_commands.cpp.
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "sync/central/admin/commands.hpp"
#include "sync/central/admin/csv.hpp"
#include "sync/domain/stock.hpp"
#include "sync/domain/text.hpp"

namespace batchivo::central {

using nlohmann::json;

namespace {

struct Options {
    std::string tenant;
    Spool sp;
    int initial = 0, current = 0;
    std::optional<int> empty;
    std::string material, brand, color, color_hex, location, qr, csv_path;
    bool as_json = false;
};

std::optional<int> parse_int(const std::string& s) {
    std::string t(trim(s));
    if (t.empty()) return std::nullopt;
    size_t pos = 0;
    try {
        const double v = std::stod(t, &pos);
        if (pos != t.size() || v != static_cast<int>(v)) throw std::invalid_argument("not an integer");
        return static_cast<int>(v);
    } catch (const std::exception&) {
        throw StoreError("invalid_input", "'" + t + "' is not a whole number");
    }
}

void validate_spool(const Spool& s) {
    if (s.spool_id.empty() || s.spool_id.size() > 50) throw StoreError("invalid_input", "spool_id must be 1-50 characters");
    if (s.initial_weight_g <= 0) throw StoreError("invalid_input", s.spool_id + ": initial weight must be > 0");
    if (s.current_weight_g < 0 || s.current_weight_g > s.initial_weight_g)
        throw StoreError("invalid_input", s.spool_id + ": current weight must be between 0 and the initial weight");
    if (s.empty_spool_weight_g && (*s.empty_spool_weight_g <= 0 || *s.empty_spool_weight_g > 5000))
        throw StoreError("invalid_input", s.spool_id + ": empty spool weight must be 1-5000 g");
    if (!s.color_hex.empty()) {
        bool ok = s.color_hex.size() == 7 && s.color_hex[0] == '#';
        for (size_t i = 1; ok && i < 7; ++i) ok = std::isxdigit(static_cast<unsigned char>(s.color_hex[i])) != 0;
        if (!ok) throw StoreError("invalid_input", s.spool_id + ": color_hex must look like #RRGGBB");
    }
}

int add_spool(AdminStore& s, Options o) {
    const Tenant t = require_tenant(s, o.tenant);
    Spool sp = o.sp;
    sp.initial_weight_g = o.initial;
    sp.current_weight_g = o.current;
    sp.empty_spool_weight_g = o.empty;
    sp.material_name = o.material;
    sp.brand = o.brand;
    sp.color = o.color;
    sp.color_hex = o.color_hex;
    sp.storage_location = o.location;
    sp.qr_code_data = o.qr;
    validate_spool(sp);
    const Spool out = s.upsert_spool(t.id, sp);
    if (o.as_json) print_json(wire::spool_to_json(out, stock_info(out)));
    else std::cout << "spool " << out.spool_id << " (" << out.id << ") saved\n";
    return 0;
}

// Every row is validated before anything is written; then ONE database transaction (import_spools).
int import_spools(AdminStore& s, const Options& o) {
    const Tenant t = require_tenant(s, o.tenant);
    std::ifstream in(o.csv_path);
    if (!in) throw StoreError("io", "cannot read " + o.csv_path);
    const auto rows = read_csv(in);
    if (rows.empty()) throw StoreError("invalid_input", "CSV is empty");
    std::map<std::string, size_t> col;
    for (size_t i = 0; i < rows[0].size(); ++i) col[to_lower(trim(rows[0][i]))] = i;
    for (const char* req : {"spool_id", "initial_weight_g", "current_weight_g"})
        if (!col.count(req)) throw StoreError("invalid_input", std::string("CSV header lacks column '") + req + "'");
    std::set<std::string> known;
    for (const auto& m : s.materials()) known.insert(to_lower(m.name));
    std::vector<Spool> spools;
    std::vector<std::string> errors;
    std::map<std::string, size_t> first_line;  // spool_id -> CSV line
    for (size_t r = 1; r < rows.size(); ++r) {
        auto get = [&](const char* c) -> std::string {
            auto it = col.find(c);
            return it != col.end() && it->second < rows[r].size() ? std::string(trim(rows[r][it->second])) : "";
        };
        try {
            Spool x;
            x.spool_id = get("spool_id");
            x.material_name = get("material");
            if (!x.material_name.empty() && !known.count(to_lower(x.material_name)))
                throw StoreError("invalid_input", "unknown material '" + x.material_name + "'");
            x.brand = get("brand");
            x.color = get("color");
            x.color_hex = get("color_hex");
            x.initial_weight_g = parse_int(get("initial_weight_g")).value_or(0);
            x.current_weight_g = parse_int(get("current_weight_g")).value_or(-1);
            x.empty_spool_weight_g = parse_int(get("empty_spool_weight_g"));
            x.storage_location = get("storage_location");
            x.finish_type = get("finish_type");
            x.purchase_date = get("purchase_date");
            x.supplier = get("supplier");
            x.notes = get("notes");
            x.qr_code_data = get("qr_code_data");
            if (auto c = get("purchase_cost"); !c.empty()) x.purchase_cost = std::stod(c);
            validate_spool(x);
            if (auto [it, fresh] = first_line.emplace(x.spool_id, r + 1); !fresh)
                throw StoreError("invalid_input", "spool_id '" + x.spool_id + "' already on line " + std::to_string(it->second));
            spools.push_back(x);
        } catch (const std::exception& e) {
            errors.push_back("line " + std::to_string(r + 1) + ": " + e.what());
        }
    }
    if (!errors.empty()) {
        for (const auto& e : errors) std::cerr << e << "\n";
        std::cerr << "nothing imported (" << errors.size() << " invalid row(s))\n";
        return 1;
    }
    // One database transaction: a failure the database detects (constraint, connection) imports nothing.
    try {
        s.import_spools(t.id, spools);
    } catch (const StoreError& e) {
        std::cerr << e.what() << "\nnothing imported\n";
        return 1;
    }
    std::cout << "imported " << spools.size() << " spool(s) into " << t.slug << "\n";
    return 0;
}

}  // namespace

void add_spool_commands(CLI::App& app, CliContext& ctx) {
    auto o = std::make_shared<Options>();
    auto* spool = app.add_subcommand("spool", "Spools");
    spool->require_subcommand(1);
    add_spool_label_command(*spool, ctx);

    auto* sadd = spool->add_subcommand("add", "Add or update a spool (by --spool-id)");
    sadd->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    sadd->add_option("--spool-id", o->sp.spool_id, "User-facing id, e.g. FIL-001")->required();
    sadd->add_option("--initial", o->initial, "Initial filament weight (g)")->required();
    sadd->add_option("--current", o->current, "Current filament weight (g)")->required();
    sadd->add_option("--empty", o->empty, "Empty spool weight (g), the tare");
    sadd->add_option("--material", o->material, "Material type (see `material list`)");
    sadd->add_option("--brand", o->brand, "Brand");
    sadd->add_option("--color", o->color, "Color name");
    sadd->add_option("--color-hex", o->color_hex, "#RRGGBB");
    sadd->add_option("--location", o->location, "Storage location");
    sadd->add_option("--qr", o->qr, "QR code payload printed on the spool label");
    sadd->add_flag("--json", o->as_json, "Print the spool as JSON");
    sadd->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            auto s = ctx.open_store();
            return add_spool(*s, *o);
        };
    });

    auto* simport = spool->add_subcommand("import", "Import spools from CSV (header row; see docs/CENTRAL.md)");
    simport->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    simport->add_option("csv", o->csv_path, "CSV file")->required();
    simport->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            auto s = ctx.open_store();
            return import_spools(*s, *o);
        };
    });

    auto* mat = app.add_subcommand("material", "Material types");
    mat->require_subcommand(1);
    auto* mlist = mat->add_subcommand("list", "List material types");
    mlist->add_flag("--json", o->as_json, "Print JSON");
    mlist->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            auto s = ctx.open_store();
            AdminStore& admin = *s;
            json arr = json::array();
            for (const auto& m : admin.materials()) {
                if (o->as_json) arr.push_back(wire::material_to_json(m));
                else std::cout << m.name << "\t" << m.id << "\n";
            }
            if (o->as_json) print_json(arr);
            return 0;
        };
    });
}

}  // namespace batchivo::central
