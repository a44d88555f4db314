// CLI: product add | component add | import (CSV, all-or-nothing) | list. Products and their bill of materials
// (product_materials: spool + grams per unit + slot) and components (product_components); see docs/CENTRAL.md.
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "sync/central/admin/commands.hpp"
#include "sync/central/admin/csv.hpp"
#include "sync/domain/product.hpp"
#include "sync/domain/text.hpp"
#include "sync/protocol/products.hpp"

namespace batchivo::central {

using nlohmann::json;

namespace {

struct Options {
    std::string tenant, sku, name, category, description, csv_path, component;
    std::vector<std::string> materials;
    double labor_hours = 0;
    std::optional<double> labor_rate, overhead_rate, unit_cost;
    bool include_overhead = false;
    int quantity = 1;
    bool as_json = false, include_inactive = false;
};

int parse_whole(const std::string& s, const std::string& what) {
    const std::string t(trim(s));
    size_t pos = 0;
    long long v = 0;
    try {
        v = std::stoll(t, &pos);
    } catch (const std::exception&) {
        pos = 0;
    }
    if (t.empty() || pos != t.size() || v < -2147483647LL || v > 2147483647LL)
        throw StoreError("invalid_input", what + " '" + t + "' is not a whole number");
    return static_cast<int>(v);
}

double parse_number(const std::string& s, const std::string& what) {
    const std::string t(trim(s));
    size_t pos = 0;
    double v = 0;
    try {
        v = std::stod(t, &pos);
    } catch (const std::exception&) {
        pos = 0;
    }
    if (t.empty() || pos != t.size() || !std::isfinite(v)) throw StoreError("invalid_input", what + " '" + t + "' is not a number");
    return v;
}

// SPOOL_ID:GRAMS[:SLOT]
ProductMaterial parse_material(const std::string& arg) {
    const auto a = arg.find(':');
    if (a == std::string::npos || a == 0)
        throw StoreError("invalid_input", "--material '" + arg + "' must be SPOOL_ID:GRAMS[:SLOT]");
    const auto b = arg.find(':', a + 1);
    ProductMaterial m;
    m.spool_label = std::string(trim(arg.substr(0, a)));
    m.grams_per_unit = parse_whole(arg.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1),
                                   "grams in --material " + arg + ":");
    if (b != std::string::npos) m.slot = std::string(trim(arg.substr(b + 1)));
    return m;
}

// Every spool a product's lines name (active or not), for the cost.
std::vector<Spool> spools_of(StationApiStore& s, const std::string& tenant_id, const std::vector<Product>& ps) {
    std::vector<Spool> out;
    std::set<std::string> seen;
    for (const auto& p : ps)
        for (const auto& m : p.materials)
            if (seen.insert(m.spool_uuid).second)
                if (auto sp = s.get_spool(tenant_id, m.spool_uuid)) out.push_back(*sp);
    return out;
}

void print_product(const Product& p, const std::vector<Spool>& spools) {
    std::cout << p.sku << "  " << p.name << (p.is_active ? "" : "  (inactive)") << "  cost/unit "
              << json(std::round(product_cost(p, spools) * 100) / 100).dump() << "\n";
    for (const auto& m : p.materials)
        std::cout << "    " << (m.spool_label.empty() ? m.spool_uuid : m.spool_label) << "  " << m.grams_per_unit
                  << " g" << (m.slot.empty() ? "" : "  " + m.slot) << "\n";
    for (const auto& c : p.components)
        std::cout << "    + " << c.quantity << " x " << c.name << "  @ " << json(c.unit_cost).dump() << "\n";
}

int add_product(Store& s, const Options& o) {
    const Tenant t = require_tenant(s, o.tenant);
    Product p;
    p.sku = o.sku;
    p.name = o.name;
    p.category = o.category;
    p.description = o.description;
    p.labor_hours = o.labor_hours;
    p.labor_rate = o.labor_rate;
    p.include_overhead = o.include_overhead;
    p.overhead_rate = o.overhead_rate;
    for (const auto& m : o.materials) p.materials.push_back(parse_material(m));
    auto saved = s.save_products(t.id, {p}, false);
    std::cout << "added product to " << t.slug << ":\n";
    print_product(saved.at(0), spools_of(s, t.id, saved));
    return 0;
}

int add_component(Store& s, const Options& o) {
    const Tenant t = require_tenant(s, o.tenant);
    ProductComponent c;
    c.name = std::string(trim(o.component));
    c.quantity = o.quantity;
    if (o.unit_cost) {
        c.unit_cost = *o.unit_cost;
    } else {
        // A sub-assembly (another product's SKU) costs what that product costs; a plain part needs --unit-cost.
        const auto all = s.products(t.id, true);
        const Product* sub = find_product(all, c.name);
        if (!sub)
            throw StoreError("invalid_input", "'" + c.name + "' is not a product SKU of this tenant: give its --unit-cost");
        c.unit_cost = product_cost(*sub, spools_of(s, t.id, {*sub}));
    }
    if (to_lower(trim(c.name)) == to_lower(trim(o.sku)))
        throw StoreError("invalid_input", "a product cannot be a component of itself");
    const Product p = s.add_component(t.id, o.sku, c);
    std::cout << "added " << c.quantity << " x " << c.name << " to " << p.sku << "\n";
    print_product(p, spools_of(s, t.id, {p}));
    return 0;
}

// CSV: one row per BOM line or component (see docs/CENTRAL.md). Everything is validated before anything is
// written; then ONE database transaction replaces every product the file names.
int import_products(Store& s, const Options& o) {
    const Tenant t = require_tenant(s, o.tenant);
    std::ifstream in(o.csv_path);
    if (!in) throw StoreError("io", "cannot read " + o.csv_path);
    const auto rows = read_csv(in);
    if (rows.empty()) throw StoreError("invalid_input", "CSV is empty");
    static const std::set<std::string> kColumns = {"sku",        "name",        "spool_id",         "grams",
                                                   "slot",       "component",   "quantity",         "unit_cost",
                                                   "category",   "description", "labor_hours",      "labor_rate",
                                                   "include_overhead", "overhead_rate"};
    std::map<std::string, size_t> col;
    for (size_t i = 0; i < rows[0].size(); ++i) {
        const std::string h = to_lower(trim(rows[0][i]));
        if (!kColumns.count(h)) throw StoreError("invalid_input", "line 1: unknown column '" + h + "'");
        col[h] = i;
    }
    for (const char* req : {"sku", "name"})
        if (!col.count(req)) throw StoreError("invalid_input", std::string("line 1: the header lacks column '") + req + "'");
    std::vector<Product> products;
    std::map<std::string, size_t> by_sku;  // lower SKU -> index
    std::vector<std::string> errors;
    for (size_t r = 1; r < rows.size(); ++r) {
        const std::string line = "line " + std::to_string(r + 1) + ": ";
        auto get = [&](const char* c) -> std::string {
            auto it = col.find(c);
            return it != col.end() && it->second < rows[r].size() ? std::string(trim(rows[r][it->second])) : "";
        };
        try {
            const std::string sku = get("sku");
            if (sku.empty()) throw StoreError("invalid_input", "sku is empty");
            auto it = by_sku.find(to_lower(sku));
            if (it == by_sku.end()) {
                Product p;
                p.sku = sku;
                p.name = get("name");
                if (p.name.empty()) throw StoreError("invalid_input", "the first row of " + sku + " needs a name");
                p.category = get("category");
                p.description = get("description");
                if (auto v = get("labor_hours"); !v.empty()) p.labor_hours = parse_number(v, "labor_hours");
                if (auto v = get("labor_rate"); !v.empty()) p.labor_rate = parse_number(v, "labor_rate");
                if (auto v = get("overhead_rate"); !v.empty()) p.overhead_rate = parse_number(v, "overhead_rate");
                if (auto v = to_lower(get("include_overhead")); !v.empty()) {
                    if (v != "true" && v != "false" && v != "1" && v != "0" && v != "yes" && v != "no")
                        throw StoreError("invalid_input", "include_overhead '" + v + "' must be true or false");
                    p.include_overhead = v == "true" || v == "1" || v == "yes";
                }
                products.push_back(std::move(p));
                it = by_sku.emplace(to_lower(sku), products.size() - 1).first;
            } else if (auto n = get("name"); !n.empty() && n != products[it->second].name) {
                throw StoreError("invalid_input", "name '" + n + "' differs from '" + products[it->second].name +
                                                      "' given earlier for " + sku);
            }
            Product& p = products[it->second];
            const std::string spool = get("spool_id"), grams = get("grams"), comp = get("component");
            if (!spool.empty() || !grams.empty()) {
                if (spool.empty()) throw StoreError("invalid_input", "grams without a spool_id");
                if (grams.empty()) throw StoreError("invalid_input", "spool " + spool + " without grams");
                ProductMaterial m;
                m.spool_label = spool;
                m.grams_per_unit = parse_whole(grams, "grams");
                m.slot = get("slot");
                p.materials.push_back(m);
            } else if (!get("slot").empty()) {
                throw StoreError("invalid_input", "slot without a spool_id");
            }
            if (!comp.empty()) {
                ProductComponent c;
                c.name = comp;
                const std::string q = get("quantity");
                c.quantity = q.empty() ? 1 : parse_whole(q, "quantity");
                if (auto v = get("unit_cost"); !v.empty()) c.unit_cost = parse_number(v, "unit_cost");
                p.components.push_back(c);
            } else if (!get("quantity").empty() || !get("unit_cost").empty()) {
                throw StoreError("invalid_input", "quantity or unit_cost without a component");
            }
            validate_products({p});  // the row's line number on the first problem with this product
        } catch (const std::exception& e) {
            errors.push_back(line + e.what());
        }
    }
    if (products.empty() && errors.empty()) errors.push_back("line 2: no products in the file");
    if (!errors.empty()) {
        for (const auto& e : errors) std::cerr << e << "\n";
        std::cerr << "nothing imported (" << errors.size() << " invalid row(s))\n";
        return 1;
    }
    try {
        s.save_products(t.id, products, true);  // one transaction: unknown spools etc. import nothing
    } catch (const StoreError& e) {
        std::cerr << e.what() << "\nnothing imported\n";
        return 1;
    }
    std::cout << "imported " << products.size() << " product(s) into " << t.slug << "\n";
    return 0;
}

int list_products(Store& s, const Options& o) {
    const Tenant t = require_tenant(s, o.tenant);
    const auto ps = s.products(t.id, o.include_inactive);
    const auto spools = spools_of(s, t.id, ps);
    if (o.as_json) {
        json arr = json::array();
        for (const auto& p : ps) {
            json j = wire::product_to_json(p);
            j["cost_per_unit"] = std::round(product_cost(p, spools) * 100) / 100;
            arr.push_back(j);
        }
        print_json(arr);
        return 0;
    }
    if (ps.empty()) std::cout << "no products in " << t.slug << " (see `product add`, `product import`)\n";
    for (const auto& p : ps) print_product(p, spools);
    return 0;
}

}  // namespace

void add_product_commands(CLI::App& app, CliContext& ctx) {
    auto o = std::make_shared<Options>();
    auto* product = app.add_subcommand("product", "Products and their bill of materials");
    product->require_subcommand(1);

    auto* add = product->add_subcommand("add", "Add a product with its BOM lines");
    add->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    add->add_option("--sku", o->sku, "SKU, e.g. VASE-001 (unique per tenant, case-insensitive)")->required();
    add->add_option("--name", o->name, "Product name")->required();
    add->add_option("--material", o->materials, "SPOOL_ID:GRAMS[:SLOT] per unit (repeatable), e.g. FIL-001:45:primary");
    add->add_option("--category", o->category, "Category");
    add->add_option("--description", o->description, "Description");
    add->add_option("--labor-hours", o->labor_hours, "Labour hours per unit");
    add->add_option("--labor-rate", o->labor_rate, "Labour rate per hour");
    add->add_flag("--include-overhead", o->include_overhead, "Add labour hours x --overhead-rate to the cost");
    add->add_option("--overhead-rate", o->overhead_rate, "Overhead rate per hour");
    add->callback([&ctx, o] { ctx.action = [&ctx, o] { return add_product(*ctx.open_store(), *o); }; });

    auto* component = product->add_subcommand("component", "Components (non-filament parts or sub-assemblies)");
    component->require_subcommand(1);
    auto* cadd = component->add_subcommand("add", "Add a component to a product");
    cadd->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    cadd->add_option("--sku", o->sku, "The product (parent) SKU")->required();
    cadd->add_option("--component", o->component,
                     "Another product's SKU (a sub-assembly: its filament counts in `product check`) or a part name")
        ->required();
    cadd->add_option("--quantity", o->quantity, "How many per unit (default 1)");
    cadd->add_option("--unit-cost", o->unit_cost, "Cost of one (default for a sub-assembly: its own cost per unit)");
    cadd->callback([&ctx, o] { ctx.action = [&ctx, o] { return add_component(*ctx.open_store(), *o); }; });

    auto* imp = product->add_subcommand("import", "Import products from CSV (all or nothing; replaces the SKUs listed)");
    imp->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    imp->add_option("csv", o->csv_path,
                    "CSV with header sku,name[,spool_id,grams,slot][,component,quantity,unit_cost][,category,"
                    "description,labor_hours,labor_rate,include_overhead,overhead_rate]; one row per BOM line or "
                    "component")
        ->required();
    imp->callback([&ctx, o] { ctx.action = [&ctx, o] { return import_products(*ctx.open_store(), *o); }; });

    auto* list = product->add_subcommand("list", "List products with their BOM and cost per unit");
    list->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    list->add_flag("--json", o->as_json, "JSON array (the catalog's product objects + cost_per_unit)");
    list->add_flag("--all", o->include_inactive, "Include inactive products");
    list->callback([&ctx, o] { ctx.action = [&ctx, o] { return list_products(*ctx.open_store(), *o); }; });
}

}  // namespace batchivo::central
