// `product check SKU [--count N] [--json]`: can we print N of this product from the filament in stock? Answered
// offline from the station's catalog cache (products and spools as the last sync left them) by the domain's
// product_availability() (sync/domain/product.hpp).
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "station/cli/cli_common.hpp"
#include "sync/domain/product.hpp"
#include "sync/protocol/products.hpp"

namespace batchivo::station {

using namespace cli;

namespace {

struct CheckArgs {
    std::string sku;
    std::optional<int> count;
    bool json = false;
};

void check(GlobalOptions& g, const CheckArgs& a) {
    g.exit_code = 1;
    if (a.count && *a.count < 0) {
        std::fprintf(stderr, "--count must be 0 or more\n");
        return;
    }
    auto ctx = open_context(g);
    if (!ctx) return;
    StationStore store(ctx->dir.db());
    auto p = store.product_by_sku(a.sku);
    if (!p) {
        const auto n = store.products().size();
        std::fprintf(stderr, "No product '%s' in the station's catalog (%zu cached%s).\n", a.sku.c_str(), n,
                     n == 0 ? "; run `sync --once` after adding products on the server" : "");
        return;
    }
    const auto r = product_availability(*p, store.all_spools(true), store.products());
    g.exit_code = 0;
    if (a.json) {
        auto j = wire::availability_to_json(r, a.count);
        j["catalog_as_of"] = store.meta("catalog_as_of").value_or("");
        std::printf("%s\n", j.dump(2).c_str());
        return;
    }
    std::printf("%s  %s\n", r.sku.c_str(), r.name.c_str());
    if (r.max_units) std::printf("can print %d", *r.max_units);
    else std::printf("no filament needed");
    std::printf("   cost per unit %.2f\n", r.cost_per_unit);
    if (a.count) std::printf("%d requested: %s\n", *a.count, r.enough_for(*a.count) ? "enough" : "NOT enough");
    for (const auto& l : r.lines) {
        std::printf("  %s %-12s %-10s %5d g/unit  spool %6d g  equivalent stock %6d g  -> %s%s%s\n",
                    l.limiting ? "*" : " ", l.spool_label.empty() ? l.spool_uuid.substr(0, 8).c_str() : l.spool_label.c_str(),
                    l.slot.c_str(), l.grams_per_unit, l.linked_remaining_g, l.available_g,
                    l.max_units ? std::to_string(*l.max_units).c_str() : "-", l.via.empty() ? "" : "  via ",
                    l.via.c_str());
    }
    for (const auto& pr : r.problems) std::printf("  ! %s\n", pr.c_str());
}

}  // namespace

void add_product_commands(CLI::App& app, GlobalOptions& g) {
    auto* p = app.add_subcommand("product", "Products from the catalog cache (offline)");
    p->require_subcommand(1);
    auto a = std::make_shared<CheckArgs>();
    auto* c = p->add_subcommand("check", "Can we print N of a product from the filament in stock? (max units, cost)");
    c->add_option("sku", a->sku, "The product's SKU (case-insensitive)")->required();
    c->add_option("--count", a->count, "Units wanted: the answer says whether there is enough");
    c->add_flag("--json", a->json, "One JSON object: sku, max_units, enough, cost_per_unit, lines, problems");
    c->callback([&g, a] { check(g, *a); });
}

}  // namespace batchivo::station
