// The demo tenant: a few dozen spools across PLA/PETG/TPU/ABS/ASA from brands the tare catalog knows, every stock
// state, locations, some empty-spool weights and QR payloads, reorder settings and a usage history.
#include <cstdio>

#include "sync/central/admin/cli.hpp"
#include "sync/domain/product.hpp"
#include "sync/domain/time.hpp"

namespace batchivo::central {

namespace {
struct DemoSpool {
    const char* id;
    const char* material;
    const char* brand;
    const char* color;
    const char* hex;
    int initial;
    int current;
    int empty;  // 0 = unknown
    const char* location;
    bool qr;
    const char* finish;
};

const DemoSpool kSpools[] = {
    {"PLA-BLK-001", "PLA", "Bambu Lab", "Black", "#111111", 1000, 812, 250, "Shelf A1", true, "matte"},
    {"PLA-BLK-002", "PLA", "Bambu Lab", "Black", "#111111", 1000, 1000, 250, "Shelf A1", true, "matte"},
    {"PLA-WHT-001", "PLA", "Bambu Lab", "Jade White", "#F2F2EC", 1000, 430, 250, "Shelf A1", true, ""},
    {"PLA-RED-001", "PLA", "Prusament", "Lipstick Red", "#C8102E", 1000, 220, 0, "Shelf A2", true, ""},
    {"PLA-ORG-001", "PLA", "Prusament", "Prusa Orange", "#FA6831", 1000, 95, 0, "Shelf A2", false, ""},
    {"PLA-GRY-001", "PLA", "Polymaker", "Grey", "#8A8D8F", 1000, 640, 140, "Shelf A2", true, ""},
    {"PLA-BLU-001", "PLA", "eSun", "Blue", "#1F4FBF", 1000, 0, 0, "Shelf A3", false, ""},
    {"PLA-GRN-001", "PLA", "Overture", "Grass Green", "#3CB043", 1000, 760, 155, "Shelf A3", true, ""},
    {"PLA-YEL-001", "PLA", "Hatchbox", "Yellow", "#F7D417", 1000, 180, 251, "Shelf A3", false, ""},
    {"PLA-SLK-001", "PLA", "ELEGOO", "Silk Gold", "#D4AF37", 1000, 505, 154, "Shelf A4", true, "silk"},
    {"PLA-PUR-001", "PLA", "Sunlu", "Purple", "#6A1B9A", 1000, 930, 0, "Shelf A4", false, ""},
    {"PLA-WHT-002", "PLA", "Creality", "White", "#FFFFFF", 1000, 60, 120, "Shelf A4", true, ""},
    {"PETG-BLK-001", "PETG", "Prusament", "Jet Black", "#0B0B0B", 1000, 870, 0, "Shelf B1", true, ""},
    {"PETG-CLR-001", "PETG", "Bambu Lab", "Translucent", "#E8F4F8", 1000, 240, 250, "Shelf B1", true, "transparent"},
    {"PETG-ORG-001", "PETG", "Overture", "Orange", "#FF7F11", 1000, 515, 231, "Shelf B1", false, ""},
    {"PETG-BLU-001", "PETG", "eSun", "Solid Blue", "#0047AB", 1000, 85, 240, "Shelf B2", true, ""},
    {"PETG-GRY-001", "PETG", "Creality", "Grey", "#7D7F7D", 1000, 995, 225, "Shelf B2", false, ""},
    {"PETG-RED-001", "PETG", "ELEGOO", "Red", "#B22222", 1000, 330, 154, "Shelf B2", true, ""},
    {"PETG-WHT-001", "PETG", "3DJAKE", "White", "#FAFAFA", 1000, 700, 231, "Shelf B3", false, ""},
    {"TPU-BLK-001", "TPU", "Bambu Lab", "Black", "#151515", 1000, 450, 250, "Dry box 1", true, ""},
    {"TPU-RED-001", "TPU", "Polymaker", "Red", "#D32F2F", 750, 70, 125, "Dry box 1", true, ""},
    {"TPU-CLR-001", "TPU", "Overture", "Clear", "#F0F0F0", 1000, 610, 174, "Dry box 1", false, "transparent"},
    {"ABS-BLK-001", "ABS", "Bambu Lab", "Black", "#101010", 1000, 880, 250, "Shelf C1", true, ""},
    {"ABS-WHT-001", "ABS", "Polymaker", "White", "#FDFDFD", 1000, 240, 140, "Shelf C1", false, ""},
    {"ABS-GRY-001", "ABS", "Hatchbox", "Grey", "#808080", 1000, 0, 251, "Shelf C1", false, ""},
    {"ABS-BLU-001", "ABS", "Overture", "Blue", "#1565C0", 1000, 505, 147, "Shelf C2", true, ""},
    {"ABS-RED-001", "ABS", "Extrudr", "Red", "#C62828", 750, 180, 260, "Shelf C2", false, ""},
    {"ASA-BLK-001", "ASA", "Polymaker", "Black", "#121212", 1000, 720, 140, "Shelf C3", true, ""},
    {"ASA-WHT-001", "ASA", "Bambu Lab", "White", "#F5F5F5", 1000, 95, 250, "Shelf C3", true, ""},
    {"ASA-GRN-001", "ASA", "ELEGOO", "Green", "#2E7D32", 1000, 560, 154, "Shelf C3", false, ""},
    {"ASA-ORG-001", "ASA", "3DJAKE", "Orange", "#EF6C00", 1000, 260, 240, "Shelf C4", true, ""},
    {"ASA-GRY-001", "ASA", "Extrudr", "Grey", "#9E9E9E", 750, 610, 260, "Shelf C4", false, ""},
};
}  // namespace

Tenant seed_demo(Store& store) {
    auto t = store.find_tenant("demo");
    if (!t) t = store.create_tenant("demo", "Demo Print Farm");
    const bool first = store.active_spools(t->id).empty();
    std::vector<Spool> saved;
    for (const auto& d : kSpools) {
        Spool s;
        s.spool_id = d.id;
        s.material_name = d.material;
        s.brand = d.brand;
        s.color = d.color;
        s.color_hex = d.hex;
        s.initial_weight_g = d.initial;
        s.current_weight_g = d.current;
        if (d.empty) s.empty_spool_weight_g = d.empty;
        s.storage_location = d.location;
        s.finish_type = d.finish;
        if (d.qr) s.qr_code_data = std::string("batchivo:spool:") + d.id;
        s.purchase_date = "2026-09-15";
        s.purchase_cost = 24.99;
        s.supplier = d.brand;
        saved.push_back(store.upsert_spool(t->id, s));
    }
    auto reorder = [&](const char* material, const char* color, const char* brand, int lead, int point, int qty) {
        ReorderSetting r;
        r.material_name = material;
        r.color = color;
        r.brand = brand;
        r.lead_time_days = lead;
        r.safety_stock_days = 7;
        r.reorder_point_grams = point;
        r.reorder_quantity_grams = qty;
        r.avg_daily_usage_grams = point / (lead + 7);
        store.set_reorder(t->id, r);
    };
    reorder("PLA", "Black", "", 5, 1500, 3000);
    reorder("PLA", "", "", 5, 3000, 5000);
    reorder("PETG", "", "", 7, 2000, 3000);
    reorder("TPU", "", "", 10, 800, 1000);
    reorder("ABS", "", "", 7, 1200, 2000);
    reorder("ASA", "", "", 7, 1000, 2000);
    // Products with a bill of materials (replaced on every run, so the demo stays the same).
    auto product = [](const char* sku, const char* name, std::vector<ProductMaterial> m,
                      std::vector<ProductComponent> c = {}, double hours = 0, double rate = 0) {
        Product p;
        p.sku = sku;
        p.name = name;
        p.category = "demo";
        p.materials = std::move(m);
        p.components = std::move(c);
        p.labor_hours = hours;
        if (rate > 0) p.labor_rate = rate;
        return p;
    };
    store.save_products(
        t->id,
        {product("VASE-001", "Spiral vase", {{"", "PLA-BLK-001", 85, "primary"}}, {}, 0.1, 18),
         product("DRAGON-001", "Articulated dragon",
                 {{"", "PLA-SLK-001", 120, "primary"}, {"", "PLA-RED-001", 25, "accent"}}, {}, 0.25, 18),
         product("BOX-001", "Parts box with lid", {{"", "PLA-BLK-001", 60, "body"}, {"", "PLA-BLK-002", 40, "lid"}},
                 {{"Magnet 6x2 mm", 4, 0.15}}, 0.2, 18),
         product("HOOK-002", "Wall hook (PETG)", {{"", "PETG-BLK-001", 30, "primary"}}),
         product("WHEEL-TPU", "TPU tyre", {{"", "TPU-BLK-001", 12, "primary"}}),
         product("RC-CAR-001", "RC car body kit", {{"", "ABS-BLK-001", 140, "body"}, {"", "PETG-CLR-001", 18, "windows"}},
                 {{"WHEEL-TPU", 4, 0.30}, {"M3 screw", 12, 0.02}}, 0.5, 18)},
        true);
    if (first) {
        // An open purchase (shipped, not yet in) for the kiosk's Add spool screen to pick lines from.
        Supplier sup;
        sup.name = "Filament Depot";
        sup.average_lead_time_days = 4;
        store.add_supplier(t->id, sup);
        NewPurchase po;
        po.po_number = "PO-2026-014";
        po.supplier = "Filament Depot";
        po.status = "shipped";
        po.items = {{"PLA", "Bambu Lab", "Black", 3, 1000, 19.99}, {"PETG", "Prusament", "Galaxy Black", 2, 1000, 29.99}};
        store.add_purchases(t->id, {po});
    }
    if (first) {
        const int64_t now = now_epoch_ms();
        int k = 0;
        for (const auto& s : saved) {
            store.add_history(t->id, s.id, TransactionType::Purchase, s.initial_weight_g, "initial stock",
                              iso8601_utc_ms(now - 30LL * 86400000));
            const int used = s.initial_weight_g - s.current_weight_g;
            if (used <= 0) continue;
            const int parts = 1 + (k++ % 3);
            for (int p = 0; p < parts; ++p) {
                const int grams = used / parts + (p == 0 ? used % parts : 0);
                store.add_history(t->id, s.id, TransactionType::Usage, -grams, "print job",
                                  iso8601_utc_ms(now - static_cast<int64_t>(20 - 6 * p) * 86400000 - k * 3600000LL));
            }
        }
    }
    return *t;
}

}  // namespace batchivo::central
