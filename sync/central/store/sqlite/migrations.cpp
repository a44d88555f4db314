// SQLite migrations: the seed schema translated to SQLite (UUIDs and timestamps as TEXT, JSON as TEXT, no RLS;
// tenant scoping is done by every query of the SQLite store). Versions match the PostgreSQL migrations.
#include "sync/central/store/store.hpp"

namespace batchivo::central {

namespace {

#define NOW_ISO "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))"

const char* kV1 = R"SQL(
CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) <= 255),
    slug TEXT UNIQUE NOT NULL CHECK (length(slug) <= 100),
    created_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    updated_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    settings TEXT DEFAULT '{}',
    is_active INTEGER DEFAULT 1,
    CONSTRAINT slug_format CHECK (slug NOT GLOB '*[^a-z0-9-]*' AND length(slug) > 0)
);
CREATE INDEX idx_tenants_slug ON tenants(slug);
CREATE INDEX idx_tenants_active ON tenants(is_active);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT UNIQUE NOT NULL,
    name TEXT,
    authentik_id TEXT UNIQUE,
    avatar_url TEXT,
    created_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    last_login TEXT,
    CONSTRAINT email_format CHECK (email LIKE '_%@_%._%' AND email NOT GLOB '*[ ]*')
);
CREATE INDEX idx_users_email ON users(email);
CREATE INDEX idx_users_authentik_id ON users(authentik_id);

CREATE TABLE user_tenants (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    role TEXT DEFAULT 'member',
    created_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    invited_by TEXT REFERENCES users(id),
    UNIQUE(user_id, tenant_id),
    CONSTRAINT valid_role CHECK (role IN ('owner', 'admin', 'member', 'viewer'))
);
CREATE INDEX idx_user_tenants_user ON user_tenants(user_id);
CREATE INDEX idx_user_tenants_tenant ON user_tenants(tenant_id);

CREATE TABLE material_types (
    id TEXT PRIMARY KEY,
    name TEXT UNIQUE NOT NULL,
    properties TEXT DEFAULT '{}'
);
INSERT INTO material_types (id, name) VALUES
    ('00000000-0000-4000-8000-000000000001', 'PLA'), ('00000000-0000-4000-8000-000000000002', 'PETG'),
    ('00000000-0000-4000-8000-000000000003', 'TPU'), ('00000000-0000-4000-8000-000000000004', 'ABS'),
    ('00000000-0000-4000-8000-000000000005', 'ASA'), ('00000000-0000-4000-8000-000000000006', 'Nylon'),
    ('00000000-0000-4000-8000-000000000007', 'PC'), ('00000000-0000-4000-8000-000000000008', 'PVA'),
    ('00000000-0000-4000-8000-000000000009', 'HIPS'), ('00000000-0000-4000-8000-00000000000a', 'Wood PLA');

CREATE TABLE suppliers (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    contact_name TEXT, email TEXT, phone TEXT, website TEXT,
    average_lead_time_days INTEGER,
    minimum_order REAL,
    shipping_cost REAL,
    is_active INTEGER DEFAULT 1,
    notes TEXT,
    created_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    updated_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    UNIQUE(tenant_id, name)
);
CREATE INDEX idx_suppliers_tenant ON suppliers(tenant_id);
CREATE INDEX idx_suppliers_active ON suppliers(is_active);

CREATE TABLE spools (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    spool_id TEXT NOT NULL CHECK (length(spool_id) <= 50),
    material_type_id TEXT REFERENCES material_types(id),
    brand TEXT, color TEXT, finish_type TEXT,
    purchase_date TEXT,
    purchase_cost REAL,
    supplier TEXT,
    supplier_id TEXT REFERENCES suppliers(id),
    initial_weight_g INTEGER NOT NULL,
    current_weight_g INTEGER NOT NULL,
    lead_time_days INTEGER,
    storage_location TEXT,
    notes TEXT,
    qr_code_data TEXT,
    is_active INTEGER DEFAULT 1,
    created_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    updated_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    UNIQUE(tenant_id, spool_id),
    CONSTRAINT positive_weight CHECK (current_weight_g >= 0),
    CONSTRAINT weight_logic CHECK (current_weight_g <= initial_weight_g)
);
CREATE INDEX idx_spools_tenant ON spools(tenant_id);
CREATE INDEX idx_spools_material_type ON spools(material_type_id);
CREATE INDEX idx_spools_current_weight ON spools(current_weight_g);
CREATE INDEX idx_spools_active ON spools(is_active);
CREATE INDEX idx_spools_supplier ON spools(supplier_id);

CREATE TABLE inventory_transactions (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    spool_id TEXT NOT NULL REFERENCES spools(id) ON DELETE CASCADE,
    transaction_type TEXT NOT NULL,
    quantity_grams INTEGER NOT NULL,
    reference_type TEXT,
    reference_id TEXT,
    user_id TEXT REFERENCES users(id),
    notes TEXT,
    created_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    CONSTRAINT valid_transaction_type CHECK (transaction_type IN ('purchase', 'usage', 'adjustment', 'return', 'disposal'))
);
CREATE INDEX idx_inventory_transactions_tenant ON inventory_transactions(tenant_id);
CREATE INDEX idx_inventory_transactions_spool ON inventory_transactions(spool_id);
CREATE INDEX idx_inventory_transactions_created ON inventory_transactions(created_at DESC);
CREATE INDEX idx_inventory_transactions_type ON inventory_transactions(transaction_type);

CREATE TABLE products (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    sku TEXT NOT NULL, name TEXT NOT NULL, description TEXT, category TEXT,
    labor_hours REAL DEFAULT 0, labor_rate REAL, include_overhead INTEGER DEFAULT 0, overhead_rate REAL,
    image_url TEXT, external_links TEXT DEFAULT '[]', tags TEXT,
    is_active INTEGER DEFAULT 1,
    created_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    updated_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    UNIQUE(tenant_id, sku)
);
CREATE INDEX idx_products_tenant ON products(tenant_id);
CREATE INDEX idx_products_category ON products(category);
CREATE INDEX idx_products_active ON products(is_active);

CREATE TABLE product_materials (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    spool_id TEXT NOT NULL REFERENCES spools(id) ON DELETE RESTRICT,
    weight_grams INTEGER NOT NULL, material_slot TEXT,
    print_weight_grams INTEGER, support_weight_grams INTEGER, purge_waste_grams INTEGER,
    notes TEXT,
    UNIQUE(product_id, spool_id, material_slot),
    CONSTRAINT positive_weight CHECK (weight_grams > 0)
);
CREATE INDEX idx_product_materials_tenant ON product_materials(tenant_id);
CREATE INDEX idx_product_materials_product ON product_materials(product_id);
CREATE INDEX idx_product_materials_spool ON product_materials(spool_id);

CREATE TABLE product_components (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    component_name TEXT NOT NULL, quantity INTEGER NOT NULL, unit_cost REAL NOT NULL,
    supplier TEXT, supplier_link TEXT, notes TEXT,
    CONSTRAINT positive_quantity CHECK (quantity > 0),
    CONSTRAINT positive_cost CHECK (unit_cost >= 0)
);
CREATE INDEX idx_product_components_tenant ON product_components(tenant_id);
CREATE INDEX idx_product_components_product ON product_components(product_id);

CREATE TABLE sales_channels (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name TEXT NOT NULL, channel_type TEXT, fee_type TEXT,
    percentage_fee REAL, fixed_fee_per_transaction REAL, fixed_monthly_cost REAL,
    is_active INTEGER DEFAULT 1, config TEXT DEFAULT '{}',
    created_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    updated_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    UNIQUE(tenant_id, name),
    CONSTRAINT valid_fee_type CHECK (fee_type IN ('percentage', 'fixed', 'hybrid', 'none'))
);
CREATE INDEX idx_sales_channels_tenant ON sales_channels(tenant_id);
CREATE INDEX idx_sales_channels_active ON sales_channels(is_active);

CREATE TABLE product_pricing (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    sales_channel_id TEXT NOT NULL REFERENCES sales_channels(id) ON DELETE CASCADE,
    target_margin_percent REAL, production_cost REAL, list_price REAL, platform_fees REAL, net_revenue REAL, profit REAL,
    updated_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    UNIQUE(product_id, sales_channel_id)
);
CREATE INDEX idx_product_pricing_tenant ON product_pricing(tenant_id);
CREATE INDEX idx_product_pricing_product ON product_pricing(product_id);
CREATE INDEX idx_product_pricing_channel ON product_pricing(sales_channel_id);

CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    order_number TEXT NOT NULL, order_date TEXT NOT NULL,
    customer_name TEXT, customer_email TEXT, customer_id TEXT,
    sales_channel_id TEXT REFERENCES sales_channels(id),
    product_id TEXT NOT NULL REFERENCES products(id),
    quantity INTEGER NOT NULL DEFAULT 1,
    item_price REAL NOT NULL, shipping_cost REAL DEFAULT 0, total_sale REAL NOT NULL,
    platform_fees REAL, net_revenue REAL, production_cost REAL, profit REAL,
    status TEXT DEFAULT 'pending',
    shipped_date TEXT, tracking_number TEXT, notes TEXT, external_order_id TEXT,
    created_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    updated_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    UNIQUE(tenant_id, order_number),
    CONSTRAINT positive_quantity CHECK (quantity > 0),
    CONSTRAINT valid_status CHECK (status IN ('pending', 'printing', 'printed', 'shipped', 'complete', 'cancelled', 'refunded'))
);
CREATE INDEX idx_orders_tenant ON orders(tenant_id);
CREATE INDEX idx_orders_status ON orders(status);
CREATE INDEX idx_orders_date ON orders(order_date DESC);
CREATE INDEX idx_orders_product ON orders(product_id);
CREATE INDEX idx_orders_channel ON orders(sales_channel_id);

CREATE TABLE purchases (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    po_number TEXT, supplier_id TEXT REFERENCES suppliers(id),
    order_date TEXT NOT NULL, received_date TEXT,
    subtotal REAL, shipping_cost REAL, tax REAL, total_cost REAL,
    status TEXT DEFAULT 'ordered', notes TEXT, tracking_number TEXT,
    created_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    updated_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    UNIQUE(tenant_id, po_number),
    CONSTRAINT valid_status CHECK (status IN ('ordered', 'shipped', 'received', 'cancelled'))
);
CREATE INDEX idx_purchases_tenant ON purchases(tenant_id);
CREATE INDEX idx_purchases_supplier ON purchases(supplier_id);
CREATE INDEX idx_purchases_order_date ON purchases(order_date DESC);

CREATE TABLE purchase_items (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    purchase_id TEXT NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    spool_id TEXT REFERENCES spools(id), material_type_id TEXT REFERENCES material_types(id),
    color TEXT, brand TEXT, quantity INTEGER NOT NULL, weight_per_spool_g INTEGER,
    unit_cost REAL NOT NULL, total_cost REAL NOT NULL,
    CONSTRAINT positive_quantity CHECK (quantity > 0)
);
CREATE INDEX idx_purchase_items_tenant ON purchase_items(tenant_id);
CREATE INDEX idx_purchase_items_purchase ON purchase_items(purchase_id);
CREATE INDEX idx_purchase_items_spool ON purchase_items(spool_id);

CREATE TABLE reorder_settings (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    material_type_id TEXT REFERENCES material_types(id),
    color TEXT, brand TEXT,
    avg_daily_usage_grams INTEGER,
    lead_time_days INTEGER NOT NULL,
    safety_stock_days INTEGER DEFAULT 7,
    reorder_point_grams INTEGER, reorder_quantity_grams INTEGER,
    last_calculated_at TEXT,
    created_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    updated_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(
);
CREATE UNIQUE INDEX uq_reorder_settings_key ON reorder_settings(tenant_id, ifnull(material_type_id, ''), ifnull(color, ''), ifnull(brand, ''));
CREATE INDEX idx_reorder_settings_tenant ON reorder_settings(tenant_id);
CREATE INDEX idx_reorder_settings_material ON reorder_settings(material_type_id);

CREATE VIEW spool_inventory_status AS
SELECT s.id, s.tenant_id, s.spool_id, s.brand, s.color, mt.name AS material_type,
       s.initial_weight_g, s.current_weight_g,
       s.initial_weight_g - s.current_weight_g AS used_weight_g,
       ROUND(s.current_weight_g * 100.0 / s.initial_weight_g, 2) AS remaining_percent,
       CASE WHEN s.current_weight_g = 0 THEN 'depleted'
            WHEN s.current_weight_g * 10 <= s.initial_weight_g THEN 'critical'
            WHEN s.current_weight_g * 4 <= s.initial_weight_g THEN 'low'
            ELSE 'ok' END AS stock_status
FROM spools s LEFT JOIN material_types mt ON s.material_type_id = mt.id
WHERE s.is_active = 1;
)SQL";

std::string updated_at_triggers() {
    std::string out;
    for (const char* t : {"tenants", "spools", "products", "orders", "suppliers", "purchases", "sales_channels",
                          "reorder_settings", "product_pricing"}) {
        out += std::string("CREATE TRIGGER update_") + t + "_updated_at AFTER UPDATE ON " + t + " FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at BEGIN UPDATE " + t +
               " SET updated_at = " NOW_ISO " WHERE id = NEW.id; END;\n";
    }
    return out;
}

const char* kV2 = R"SQL(
ALTER TABLE spools ADD COLUMN empty_spool_weight_g INTEGER CHECK (empty_spool_weight_g IS NULL OR (empty_spool_weight_g > 0 AND empty_spool_weight_g <= 5000));
ALTER TABLE spools ADD COLUMN color_hex TEXT CHECK (color_hex IS NULL OR (length(color_hex) = 7 AND color_hex GLOB '#[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]'));
ALTER TABLE spools ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reorder_settings ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE material_types ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
UPDATE material_types SET change_seq = rowid;

CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    last_seen_at TEXT,
    revoked_at TEXT
);
CREATE INDEX idx_devices_tenant ON devices(tenant_id);

CREATE TABLE pairing_codes (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL UNIQUE,
    station_name TEXT NOT NULL,
    created_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    device_id TEXT REFERENCES devices(id) ON DELETE SET NULL
);
CREATE INDEX idx_pairing_codes_tenant ON pairing_codes(tenant_id);

ALTER TABLE inventory_transactions ADD COLUMN client_id TEXT;
ALTER TABLE inventory_transactions ADD COLUMN device_id TEXT REFERENCES devices(id) ON DELETE SET NULL;
ALTER TABLE inventory_transactions ADD COLUMN device_seq INTEGER CHECK (device_seq IS NULL OR device_seq >= 1);
ALTER TABLE inventory_transactions ADD COLUMN device_time TEXT;
ALTER TABLE inventory_transactions ADD COLUMN device_quantity_grams INTEGER;
ALTER TABLE inventory_transactions ADD COLUMN measured_gross_g REAL;
ALTER TABLE inventory_transactions ADD COLUMN measured_tare_g REAL;
ALTER TABLE inventory_transactions ADD COLUMN measured_net_g REAL;
ALTER TABLE inventory_transactions ADD COLUMN tare_source TEXT CHECK (tare_source IS NULL OR tare_source IN ('spool', 'catalog', 'station_default', 'manual'));
ALTER TABLE inventory_transactions ADD COLUMN content_hash TEXT;
ALTER TABLE inventory_transactions ADD COLUMN weight_applied INTEGER NOT NULL DEFAULT 1;
ALTER TABLE inventory_transactions ADD COLUMN resulting_weight_g INTEGER;
CREATE UNIQUE INDEX uq_inventory_transactions_client ON inventory_transactions(tenant_id, client_id);
CREATE INDEX idx_inventory_transactions_weighing_seq ON inventory_transactions(spool_id, device_id, device_seq)
    WHERE measured_net_g IS NOT NULL AND weight_applied = 1;

CREATE TABLE catalog_counters (
    tenant_id TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE catalog_tombstones (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('spool', 'reorder_setting')),
    object_id TEXT NOT NULL,
    change_seq INTEGER NOT NULL,
    deleted_at TEXT DEFAULT )SQL" NOW_ISO R"SQL(
);
CREATE INDEX idx_catalog_tombstones_seq ON catalog_tombstones(tenant_id, change_seq);
CREATE INDEX idx_spools_change_seq ON spools(tenant_id, change_seq);
CREATE INDEX idx_reorder_settings_change_seq ON reorder_settings(tenant_id, change_seq);
)SQL";

std::string change_seq_triggers() {
    std::string out;
    for (const char* t : {"spools", "reorder_settings"}) {
        const std::string bump = std::string("INSERT OR IGNORE INTO catalog_counters(tenant_id, seq) VALUES (NEW.tenant_id, 0); "
                                             "UPDATE catalog_counters SET seq = seq + 1 WHERE tenant_id = NEW.tenant_id; "
                                             "UPDATE ") + t + " SET change_seq = (SELECT seq FROM catalog_counters WHERE tenant_id = NEW.tenant_id) WHERE id = NEW.id;";
        out += std::string("CREATE TRIGGER ") + t + "_change_seq_ins AFTER INSERT ON " + t + " BEGIN " + bump + " END;\n";
        out += std::string("CREATE TRIGGER ") + t + "_change_seq_upd AFTER UPDATE ON " + t +
               " WHEN NEW.change_seq IS OLD.change_seq BEGIN " + bump + " END;\n";
        const std::string kind = std::string(t) == "spools" ? "spool" : "reorder_setting";
        const std::string tomb = "INSERT OR IGNORE INTO catalog_counters(tenant_id, seq) VALUES (OLD.tenant_id, 0); "
                                 "UPDATE catalog_counters SET seq = seq + 1 WHERE tenant_id = OLD.tenant_id; "
                                 "INSERT INTO catalog_tombstones(tenant_id, kind, object_id, change_seq) VALUES (OLD.tenant_id, '" +
                                 kind + "', OLD.id, (SELECT seq FROM catalog_counters WHERE tenant_id = OLD.tenant_id));";
        out += std::string("CREATE TRIGGER ") + t + "_tombstone_del AFTER DELETE ON " + t + " BEGIN " + tomb + " END;\n";
        out += std::string("CREATE TRIGGER ") + t + "_tombstone_move AFTER UPDATE OF tenant_id ON " + t +
               " WHEN NEW.tenant_id IS NOT OLD.tenant_id BEGIN " + tomb + " END;\n";
    }
    out += "CREATE TRIGGER material_types_change_seq AFTER UPDATE ON material_types WHEN NEW.change_seq IS OLD.change_seq "
           "BEGIN UPDATE material_types SET change_seq = (SELECT max(change_seq) + 1 FROM material_types) WHERE id = NEW.id; END;\n";
    out += "CREATE TRIGGER material_types_change_seq_ins AFTER INSERT ON material_types "
           "BEGIN UPDATE material_types SET change_seq = (SELECT max(change_seq) + 1 FROM material_types) WHERE id = NEW.id; END;\n";
    return out;
}

// Cross-device ordering (docs/CENTRAL.md); same columns as PostgreSQL's migration 3 (times as ISO-8601 UTC text).
const char* const kV3 = R"SQL(
ALTER TABLE inventory_transactions ADD COLUMN occurred_at TEXT;
ALTER TABLE spools ADD COLUMN last_weighing_at TEXT;
ALTER TABLE spools ADD COLUMN last_weighing_device_id TEXT;
)SQL";

}  // namespace

std::vector<Migration> sqlite_migrations() {
    return {
        {1, "seed schema (fixed)", std::string(kV1) + updated_at_triggers()},
        {2, "station additions: devices, pairing, idempotent transactions, catalog cursor", std::string(kV2) + change_seq_triggers()},
        {3, "cross-device ordering: measured time on the server clock", kV3},
    };
}

}  // namespace batchivo::central
