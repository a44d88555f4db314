// CLI: purchase add | list | import. A purchase's lines are filled by stations creating spools for them (the batch
// endpoint's "spool created" items); the purchase is marked received when every line is in.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "sync/central/admin/commands.hpp"
#include "sync/central/admin/csv.hpp"
#include "sync/domain/text.hpp"

namespace batchivo::central {

namespace {

double parse_number(const std::string& s, const std::string& what) {
    const std::string t(trim(s));
    size_t pos = 0;
    try {
        const double v = std::stod(t, &pos);
        if (pos == t.size() && std::isfinite(v)) return v;
    } catch (const std::exception&) {
    }
    throw StoreError("invalid_input", what + ": '" + t + "' is not a number");
}

int parse_whole(const std::string& s, const std::string& what) {
    const double v = parse_number(s, what);
    if (v != std::floor(v) || std::fabs(v) > 1e9) throw StoreError("invalid_input", what + ": '" + s + "' is not a whole number");
    return static_cast<int>(v);
}

// --item "MATERIAL,BRAND,COLOR,QUANTITY,WEIGHT_G,UNIT_COST" (CSV quoting allowed; WEIGHT_G may be empty).
NewPurchaseItem parse_item(const std::string& spec, int n) {
    std::istringstream in(spec);
    const auto rows = read_csv(in);
    const std::string what = "--item " + std::to_string(n);
    if (rows.size() != 1 || rows[0].size() != 6)
        throw StoreError("invalid_input", what + ": expected MATERIAL,BRAND,COLOR,QUANTITY,WEIGHT_G,UNIT_COST (got '" + spec + "')");
    const auto& f = rows[0];
    NewPurchaseItem i;
    i.material = std::string(trim(f[0]));
    i.brand = std::string(trim(f[1]));
    i.color = std::string(trim(f[2]));
    i.quantity = parse_whole(f[3], what + " quantity");
    if (!trim(f[4]).empty()) i.weight_per_spool_g = parse_whole(f[4], what + " weight");
    i.unit_cost = parse_number(f[5], what + " unit cost");
    return i;
}

std::string money(double v) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(2) << v;
    return o.str();
}

nlohmann::json summary_json(const PurchaseSummary& s) {
    nlohmann::json j = s.purchase;
    j["received_date"] = s.received_date.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.received_date);
    j["total_cost"] = s.total_cost;
    j["spools_ordered"] = s.spools_ordered;
    j["spools_received"] = s.spools_received;
    return j;
}

void print_summary(const PurchaseSummary& s, bool lines) {
    const auto& p = s.purchase;
    std::cout << (p.po_number.empty() ? "(no PO)" : p.po_number) << "  " << p.order_date << "  "
              << (p.supplier.empty() ? "-" : p.supplier) << "  " << p.status << "  " << s.spools_received << "/"
              << s.spools_ordered << " spools in  total " << money(s.total_cost) << "  (" << p.id << ")\n";
    if (!lines) return;
    for (const auto& i : p.items) {
        std::cout << "    " << i.received << "/" << i.quantity << "  " << i.material;
        if (!i.brand.empty()) std::cout << " " << i.brand;
        if (!i.color.empty()) std::cout << " " << i.color;
        if (i.weight_per_spool_g) std::cout << "  " << *i.weight_per_spool_g << " g";
        if (i.unit_cost) std::cout << "  @ " << money(*i.unit_cost);
        std::cout << "  line " << i.id << "\n";
    }
}

// CSV, one row per line item; rows with the same po_number form one purchase (its header fields from the first
// row). Columns (header row, any order): po_number, supplier, order_date, status, material, brand, color,
// quantity, weight_per_spool_g, unit_cost, shipping_cost, tax, notes. Required: po_number, material, quantity,
// unit_cost.
std::vector<NewPurchase> read_purchase_csv(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw StoreError("io", "cannot read " + path);
    const auto rows = read_csv(in);
    if (rows.empty()) throw StoreError("invalid_input", "CSV is empty");
    std::map<std::string, size_t> col;
    for (size_t i = 0; i < rows[0].size(); ++i) col[to_lower(trim(rows[0][i]))] = i;
    for (const char* req : {"po_number", "material", "quantity", "unit_cost"})
        if (!col.count(req)) throw StoreError("invalid_input", std::string("CSV header lacks column '") + req + "'");
    std::vector<NewPurchase> out;
    std::map<std::string, size_t> by_po;
    for (size_t r = 1; r < rows.size(); ++r) {
        auto get = [&](const char* c) -> std::string {
            auto it = col.find(c);
            return it != col.end() && it->second < rows[r].size() ? std::string(trim(rows[r][it->second])) : "";
        };
        const std::string where = "CSV line " + std::to_string(r + 1);
        const std::string po = get("po_number");
        if (po.empty()) throw StoreError("invalid_input", where + ": po_number is empty");
        auto [it, fresh] = by_po.emplace(po, out.size());
        if (fresh) {
            NewPurchase p;
            p.po_number = po;
            p.supplier = get("supplier");
            p.order_date = get("order_date");
            if (!get("status").empty()) p.status = to_lower(get("status"));
            if (!get("shipping_cost").empty()) p.shipping_cost = parse_number(get("shipping_cost"), where + " shipping_cost");
            if (!get("tax").empty()) p.tax = parse_number(get("tax"), where + " tax");
            p.notes = get("notes");
            out.push_back(std::move(p));
        }
        NewPurchaseItem i;
        i.material = get("material");
        i.brand = get("brand");
        i.color = get("color");
        i.quantity = parse_whole(get("quantity"), where + " quantity");
        if (!get("weight_per_spool_g").empty()) i.weight_per_spool_g = parse_whole(get("weight_per_spool_g"), where + " weight_per_spool_g");
        i.unit_cost = parse_number(get("unit_cost"), where + " unit_cost");
        out[it->second].items.push_back(std::move(i));
    }
    if (out.empty()) throw StoreError("invalid_input", "CSV has no purchase rows");
    return out;
}

}  // namespace

void add_purchase_commands(CLI::App& app, CliContext& ctx) {
    struct Options {
        std::string tenant;
        NewPurchase p;
        std::vector<std::string> items;
        std::string csv_path;
        bool json = false, all = false;
    };
    auto o = std::make_shared<Options>();
    auto* pur = app.add_subcommand("purchase", "Material purchases (filled by stations adding spools)");
    pur->require_subcommand(1);

    auto* add = pur->add_subcommand("add", "Add a purchase with its items");
    add->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    add->add_option("--po", o->p.po_number, "PO number (unique in the tenant)");
    add->add_option("--supplier", o->p.supplier, "Supplier name or id (see 'supplier list')");
    add->add_option("--order-date", o->p.order_date, "Order date YYYY-MM-DD (default: today)");
    add->add_option("--status", o->p.status, "ordered | shipped")->capture_default_str();
    add->add_option("--shipping", o->p.shipping_cost, "Shipping cost");
    add->add_option("--tax", o->p.tax, "Tax");
    add->add_option("--notes", o->p.notes, "Notes");
    add->add_option("--item", o->items, "An item: MATERIAL,BRAND,COLOR,QUANTITY,WEIGHT_G,UNIT_COST (repeatable)")->required();
    add->add_flag("--json", o->json, "Print the purchase as JSON");
    add->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            NewPurchase p = o->p;
            int n = 0;
            for (const auto& spec : o->items) p.items.push_back(parse_item(spec, ++n));
            auto s = ctx.open_store();
            const Tenant t = require_tenant(*s, o->tenant);
            const auto out = s->add_purchases(t.id, {p});
            if (o->json) print_json(summary_json(out.at(0)));
            else print_summary(out.at(0), true);
            return 0;
        };
    });

    auto* list = pur->add_subcommand("list", "List purchases with status and received counts (open ones by default)");
    list->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    list->add_flag("--all", o->all, "Include received and cancelled purchases");
    list->add_flag("--json", o->json, "JSON array");
    list->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            auto s = ctx.open_store();
            const Tenant t = require_tenant(*s, o->tenant);
            const auto all = s->list_purchases(t.id, !o->all);
            if (o->json) {
                nlohmann::json arr = nlohmann::json::array();
                for (const auto& x : all) arr.push_back(summary_json(x));
                print_json(arr);
                return 0;
            }
            if (all.empty()) std::cout << (o->all ? "no purchases\n" : "no open purchases\n");
            for (const auto& x : all) print_summary(x, true);
            return 0;
        };
    });

    auto* imp = pur->add_subcommand("import", "Import purchases from CSV (one row per item; see docs/CENTRAL.md)");
    imp->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    imp->add_option("CSV", o->csv_path, "CSV file")->required();
    imp->add_flag("--json", o->json, "Print the imported purchases as JSON");
    imp->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            const auto purchases = read_purchase_csv(o->csv_path);  // every row checked before anything is written
            auto s = ctx.open_store();
            const Tenant t = require_tenant(*s, o->tenant);
            const auto out = s->add_purchases(t.id, purchases);
            if (o->json) {
                nlohmann::json arr = nlohmann::json::array();
                for (const auto& x : out) arr.push_back(summary_json(x));
                print_json(arr);
            } else {
                std::cout << "imported " << out.size() << " purchase" << (out.size() == 1 ? "" : "s") << "\n";
                for (const auto& x : out) print_summary(x, false);
            }
            return 0;
        };
    });
}

}  // namespace batchivo::central
