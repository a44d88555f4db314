// PostgreSQL migrations: the seed schema (../shared/seed/DATABASE_SCHEMA.md) with its fixes, then the station
// additions. docs/SCHEMA.md lists every deviation from the seed and why. Each migration runs in one transaction.
#include "sync/central/store/store.hpp"

namespace batchivo::central {

namespace {

// Tables holding tenant data: RLS enabled + forced, fail-closed policy.
const char* const kTenantTablesV1[] = {"spools", "inventory_transactions", "products", "product_materials",
                                       "product_components", "sales_channels", "product_pricing", "orders",
                                       "suppliers", "purchases", "purchase_items", "reorder_settings", "user_tenants"};
const char* const kTenantTablesV2[] = {"devices", "pairing_codes", "catalog_counters", "catalog_tombstones"};

std::string rls(const char* table, const char* column = "tenant_id") {
    return std::string("ALTER TABLE ") + table + " ENABLE ROW LEVEL SECURITY;\nALTER TABLE " + table +
           " FORCE ROW LEVEL SECURITY;\nCREATE POLICY tenant_isolation_policy ON " + table + " USING (" + column +
           " = NULLIF(current_setting('app.current_tenant_id', true), '')::uuid);\n";
}

const char* kV1 = R"SQL(
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE tenants (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    name VARCHAR(255) NOT NULL,
    slug VARCHAR(100) UNIQUE NOT NULL,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    updated_at TIMESTAMPTZ DEFAULT NOW(),
    settings JSONB DEFAULT '{}'::jsonb,
    is_active BOOLEAN DEFAULT true,
    CONSTRAINT slug_format CHECK (slug ~* '^[a-z0-9-]+$')
);
CREATE INDEX idx_tenants_slug ON tenants(slug);
CREATE INDEX idx_tenants_active ON tenants(is_active);

CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    email VARCHAR(255) UNIQUE NOT NULL,
    name VARCHAR(255),
    authentik_id VARCHAR(255) UNIQUE,
    avatar_url TEXT,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    last_login TIMESTAMPTZ,
    CONSTRAINT email_format CHECK (email ~* '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$')
);
CREATE INDEX idx_users_email ON users(email);
CREATE INDEX idx_users_authentik_id ON users(authentik_id);

CREATE TABLE user_tenants (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    role VARCHAR(50) DEFAULT 'member',
    created_at TIMESTAMPTZ DEFAULT NOW(),
    invited_by UUID REFERENCES users(id),
    UNIQUE(user_id, tenant_id),
    CONSTRAINT valid_role CHECK (role IN ('owner', 'admin', 'member', 'viewer'))
);
CREATE INDEX idx_user_tenants_user ON user_tenants(user_id);
CREATE INDEX idx_user_tenants_tenant ON user_tenants(tenant_id);

CREATE TABLE material_types (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    name VARCHAR(100) UNIQUE NOT NULL,
    properties JSONB DEFAULT '{}'::jsonb
);
INSERT INTO material_types (name) VALUES
    ('PLA'), ('PETG'), ('TPU'), ('ABS'), ('ASA'),
    ('Nylon'), ('PC'), ('PVA'), ('HIPS'), ('Wood PLA');

CREATE TABLE suppliers (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name VARCHAR(255) NOT NULL,
    contact_name VARCHAR(255),
    email VARCHAR(255),
    phone VARCHAR(50),
    website VARCHAR(255),
    average_lead_time_days INTEGER,
    minimum_order DECIMAL(10,2),
    shipping_cost DECIMAL(10,2),
    is_active BOOLEAN DEFAULT true,
    notes TEXT,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    updated_at TIMESTAMPTZ DEFAULT NOW(),
    UNIQUE(tenant_id, name)
);
CREATE INDEX idx_suppliers_tenant ON suppliers(tenant_id);
CREATE INDEX idx_suppliers_active ON suppliers(is_active);

CREATE TABLE spools (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    spool_id VARCHAR(50) NOT NULL,
    material_type_id UUID REFERENCES material_types(id),
    brand VARCHAR(100),
    color VARCHAR(100),
    finish_type VARCHAR(50),
    purchase_date DATE,
    purchase_cost DECIMAL(10,2),
    supplier VARCHAR(255),
    supplier_id UUID REFERENCES suppliers(id),
    initial_weight_g INTEGER NOT NULL,
    current_weight_g INTEGER NOT NULL,
    lead_time_days INTEGER,
    storage_location VARCHAR(100),
    notes TEXT,
    qr_code_data TEXT,
    is_active BOOLEAN DEFAULT true,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    updated_at TIMESTAMPTZ DEFAULT NOW(),
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
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    spool_id UUID NOT NULL REFERENCES spools(id) ON DELETE CASCADE,
    transaction_type VARCHAR(50) NOT NULL,
    quantity_grams INTEGER NOT NULL,
    reference_type VARCHAR(50),
    reference_id UUID,
    user_id UUID REFERENCES users(id),
    notes TEXT,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    CONSTRAINT valid_transaction_type CHECK (transaction_type IN
        ('purchase', 'usage', 'adjustment', 'return', 'disposal'))
);
CREATE INDEX idx_inventory_transactions_tenant ON inventory_transactions(tenant_id);
CREATE INDEX idx_inventory_transactions_spool ON inventory_transactions(spool_id);
CREATE INDEX idx_inventory_transactions_created ON inventory_transactions(created_at DESC);
CREATE INDEX idx_inventory_transactions_type ON inventory_transactions(transaction_type);

CREATE TABLE products (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    sku VARCHAR(100) NOT NULL,
    name VARCHAR(255) NOT NULL,
    description TEXT,
    category VARCHAR(100),
    labor_hours DECIMAL(5,2) DEFAULT 0,
    labor_rate DECIMAL(10,2),
    include_overhead BOOLEAN DEFAULT false,
    overhead_rate DECIMAL(10,2),
    image_url TEXT,
    external_links JSONB DEFAULT '[]'::jsonb,
    tags TEXT[],
    is_active BOOLEAN DEFAULT true,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    updated_at TIMESTAMPTZ DEFAULT NOW(),
    UNIQUE(tenant_id, sku)
);
CREATE INDEX idx_products_tenant ON products(tenant_id);
CREATE INDEX idx_products_category ON products(category);
CREATE INDEX idx_products_active ON products(is_active);
CREATE INDEX idx_products_tags ON products USING GIN(tags);

CREATE TABLE product_materials (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    product_id UUID NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    spool_id UUID NOT NULL REFERENCES spools(id) ON DELETE RESTRICT,
    weight_grams INTEGER NOT NULL,
    material_slot VARCHAR(50),
    print_weight_grams INTEGER,
    support_weight_grams INTEGER,
    purge_waste_grams INTEGER,
    notes TEXT,
    UNIQUE(product_id, spool_id, material_slot),
    CONSTRAINT positive_weight CHECK (weight_grams > 0)
);
CREATE INDEX idx_product_materials_tenant ON product_materials(tenant_id);
CREATE INDEX idx_product_materials_product ON product_materials(product_id);
CREATE INDEX idx_product_materials_spool ON product_materials(spool_id);

CREATE TABLE product_components (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    product_id UUID NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    component_name VARCHAR(255) NOT NULL,
    quantity INTEGER NOT NULL,
    unit_cost DECIMAL(10,2) NOT NULL,
    supplier VARCHAR(255),
    supplier_link TEXT,
    notes TEXT,
    CONSTRAINT positive_quantity CHECK (quantity > 0),
    CONSTRAINT positive_cost CHECK (unit_cost >= 0)
);
CREATE INDEX idx_product_components_tenant ON product_components(tenant_id);
CREATE INDEX idx_product_components_product ON product_components(product_id);

CREATE TABLE sales_channels (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name VARCHAR(100) NOT NULL,
    channel_type VARCHAR(50),
    fee_type VARCHAR(50),
    percentage_fee DECIMAL(5,2),
    fixed_fee_per_transaction DECIMAL(10,2),
    fixed_monthly_cost DECIMAL(10,2),
    is_active BOOLEAN DEFAULT true,
    config JSONB DEFAULT '{}'::jsonb,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    updated_at TIMESTAMPTZ DEFAULT NOW(),
    UNIQUE(tenant_id, name),
    CONSTRAINT valid_fee_type CHECK (fee_type IN ('percentage', 'fixed', 'hybrid', 'none'))
);
CREATE INDEX idx_sales_channels_tenant ON sales_channels(tenant_id);
CREATE INDEX idx_sales_channels_active ON sales_channels(is_active);

CREATE TABLE product_pricing (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    product_id UUID NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    sales_channel_id UUID NOT NULL REFERENCES sales_channels(id) ON DELETE CASCADE,
    target_margin_percent DECIMAL(5,2),
    production_cost DECIMAL(10,2),
    list_price DECIMAL(10,2),
    platform_fees DECIMAL(10,2),
    net_revenue DECIMAL(10,2),
    profit DECIMAL(10,2),
    updated_at TIMESTAMPTZ DEFAULT NOW(),
    UNIQUE(product_id, sales_channel_id)
);
CREATE INDEX idx_product_pricing_tenant ON product_pricing(tenant_id);
CREATE INDEX idx_product_pricing_product ON product_pricing(product_id);
CREATE INDEX idx_product_pricing_channel ON product_pricing(sales_channel_id);

CREATE TABLE orders (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    order_number VARCHAR(100) NOT NULL,
    order_date DATE NOT NULL,
    customer_name VARCHAR(255),
    customer_email VARCHAR(255),
    customer_id UUID,
    sales_channel_id UUID REFERENCES sales_channels(id),
    product_id UUID NOT NULL REFERENCES products(id),
    quantity INTEGER NOT NULL DEFAULT 1,
    item_price DECIMAL(10,2) NOT NULL,
    shipping_cost DECIMAL(10,2) DEFAULT 0,
    total_sale DECIMAL(10,2) NOT NULL,
    platform_fees DECIMAL(10,2),
    net_revenue DECIMAL(10,2),
    production_cost DECIMAL(10,2),
    profit DECIMAL(10,2),
    status VARCHAR(50) DEFAULT 'pending',
    shipped_date DATE,
    tracking_number VARCHAR(100),
    notes TEXT,
    external_order_id VARCHAR(255),
    created_at TIMESTAMPTZ DEFAULT NOW(),
    updated_at TIMESTAMPTZ DEFAULT NOW(),
    UNIQUE(tenant_id, order_number),
    CONSTRAINT positive_quantity CHECK (quantity > 0),
    CONSTRAINT valid_status CHECK (status IN
        ('pending', 'printing', 'printed', 'shipped', 'complete', 'cancelled', 'refunded'))
);
CREATE INDEX idx_orders_tenant ON orders(tenant_id);
CREATE INDEX idx_orders_status ON orders(status);
CREATE INDEX idx_orders_date ON orders(order_date DESC);
CREATE INDEX idx_orders_product ON orders(product_id);
CREATE INDEX idx_orders_channel ON orders(sales_channel_id);

CREATE TABLE purchases (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    po_number VARCHAR(100),
    supplier_id UUID REFERENCES suppliers(id),
    order_date DATE NOT NULL,
    received_date DATE,
    subtotal DECIMAL(10,2),
    shipping_cost DECIMAL(10,2),
    tax DECIMAL(10,2),
    total_cost DECIMAL(10,2),
    status VARCHAR(50) DEFAULT 'ordered',
    notes TEXT,
    tracking_number VARCHAR(100),
    created_at TIMESTAMPTZ DEFAULT NOW(),
    updated_at TIMESTAMPTZ DEFAULT NOW(),
    UNIQUE(tenant_id, po_number),
    CONSTRAINT valid_status CHECK (status IN ('ordered', 'shipped', 'received', 'cancelled'))
);
CREATE INDEX idx_purchases_tenant ON purchases(tenant_id);
CREATE INDEX idx_purchases_supplier ON purchases(supplier_id);
CREATE INDEX idx_purchases_order_date ON purchases(order_date DESC);

CREATE TABLE purchase_items (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    purchase_id UUID NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    spool_id UUID REFERENCES spools(id),
    material_type_id UUID REFERENCES material_types(id),
    color VARCHAR(100),
    brand VARCHAR(100),
    quantity INTEGER NOT NULL,
    weight_per_spool_g INTEGER,
    unit_cost DECIMAL(10,2) NOT NULL,
    total_cost DECIMAL(10,2) NOT NULL,
    CONSTRAINT positive_quantity CHECK (quantity > 0)
);
CREATE INDEX idx_purchase_items_tenant ON purchase_items(tenant_id);
CREATE INDEX idx_purchase_items_purchase ON purchase_items(purchase_id);
CREATE INDEX idx_purchase_items_spool ON purchase_items(spool_id);

CREATE TABLE reorder_settings (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    material_type_id UUID REFERENCES material_types(id),
    color VARCHAR(100),
    brand VARCHAR(100),
    avg_daily_usage_grams INTEGER,
    lead_time_days INTEGER NOT NULL,
    safety_stock_days INTEGER DEFAULT 7,
    reorder_point_grams INTEGER,
    reorder_quantity_grams INTEGER,
    last_calculated_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    updated_at TIMESTAMPTZ DEFAULT NOW(),
    CONSTRAINT reorder_settings_key UNIQUE NULLS NOT DISTINCT (tenant_id, material_type_id, color, brand)
);
CREATE INDEX idx_reorder_settings_tenant ON reorder_settings(tenant_id);
CREATE INDEX idx_reorder_settings_material ON reorder_settings(material_type_id);

CREATE VIEW spool_inventory_status WITH (security_invoker = true) AS
SELECT
    s.id,
    s.tenant_id,
    s.spool_id,
    s.brand,
    s.color,
    mt.name AS material_type,
    s.initial_weight_g,
    s.current_weight_g,
    s.initial_weight_g - s.current_weight_g AS used_weight_g,
    ROUND((s.current_weight_g::numeric / s.initial_weight_g * 100), 2) AS remaining_percent,
    CASE
        WHEN s.current_weight_g = 0 THEN 'depleted'
        WHEN s.current_weight_g::numeric / s.initial_weight_g <= 0.1 THEN 'critical'
        WHEN s.current_weight_g::numeric / s.initial_weight_g <= 0.25 THEN 'low'
        ELSE 'ok'
    END AS stock_status
FROM spools s
LEFT JOIN material_types mt ON s.material_type_id = mt.id
WHERE s.is_active = true;

CREATE OR REPLACE FUNCTION calculate_product_cost(p_product_id UUID)
RETURNS DECIMAL(10,2) AS $$
DECLARE
    v_material_cost DECIMAL(10,2) := 0;
    v_component_cost DECIMAL(10,2) := 0;
    v_labor_cost DECIMAL(10,2) := 0;
    v_overhead_cost DECIMAL(10,2) := 0;
    v_total_cost DECIMAL(10,2);
BEGIN
    SELECT COALESCE(SUM(
        (pm.weight_grams::numeric / s.initial_weight_g) * s.purchase_cost
    ), 0) INTO v_material_cost
    FROM product_materials pm
    JOIN spools s ON pm.spool_id = s.id
    WHERE pm.product_id = p_product_id;

    SELECT COALESCE(SUM(quantity * unit_cost), 0) INTO v_component_cost
    FROM product_components
    WHERE product_id = p_product_id;

    SELECT COALESCE(labor_hours * COALESCE(labor_rate, 0), 0) INTO v_labor_cost
    FROM products
    WHERE id = p_product_id;

    SELECT CASE
        WHEN include_overhead THEN COALESCE(labor_hours * COALESCE(overhead_rate, 0), 0)
        ELSE 0
    END INTO v_overhead_cost
    FROM products
    WHERE id = p_product_id;

    v_total_cost := COALESCE(v_material_cost, 0) + COALESCE(v_component_cost, 0)
                  + COALESCE(v_labor_cost, 0) + COALESCE(v_overhead_cost, 0);
    RETURN v_total_cost;
END;
$$ LANGUAGE plpgsql STABLE SECURITY INVOKER;

CREATE OR REPLACE FUNCTION update_spool_weight(
    p_spool_id UUID,
    p_new_weight_g INTEGER,
    p_transaction_type VARCHAR,
    p_reference_type VARCHAR DEFAULT 'manual',
    p_reference_id UUID DEFAULT NULL,
    p_user_id UUID DEFAULT NULL,
    p_notes TEXT DEFAULT NULL
) RETURNS BOOLEAN AS $$
DECLARE
    v_tenant_id UUID;
    v_current_weight INTEGER;
    v_weight_change INTEGER;
BEGIN
    SELECT current_weight_g, tenant_id INTO v_current_weight, v_tenant_id
    FROM spools
    WHERE id = p_spool_id
    FOR UPDATE;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'spool % not found', p_spool_id USING ERRCODE = 'no_data_found';
    END IF;

    v_weight_change := p_new_weight_g - v_current_weight;

    UPDATE spools
    SET current_weight_g = p_new_weight_g,
        updated_at = NOW()
    WHERE id = p_spool_id;

    INSERT INTO inventory_transactions (
        tenant_id, spool_id, transaction_type, quantity_grams,
        reference_type, reference_id, user_id, notes
    ) VALUES (
        v_tenant_id, p_spool_id, p_transaction_type, v_weight_change,
        p_reference_type, p_reference_id, p_user_id, p_notes
    );

    RETURN TRUE;
END;
$$ LANGUAGE plpgsql SECURITY INVOKER;

CREATE OR REPLACE FUNCTION update_updated_at_column()
RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
)SQL";

std::string v1() {
    std::string s = kV1;
    for (const char* t : {"tenants", "spools", "products", "orders", "suppliers", "purchases", "sales_channels",
                          "reorder_settings", "product_pricing"}) {
        s += std::string("CREATE TRIGGER update_") + t + "_updated_at BEFORE UPDATE ON " + t +
             " FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();\n";
    }
    s += rls("tenants", "id");
    for (const char* t : kTenantTablesV1) s += rls(t);
    return s;
}

const char* kV2 = R"SQL(
CREATE OR REPLACE FUNCTION iso_utc(t TIMESTAMPTZ) RETURNS TEXT
    LANGUAGE sql IMMUTABLE AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

ALTER TABLE spools ADD COLUMN empty_spool_weight_g INTEGER
    CONSTRAINT empty_spool_weight_range CHECK (empty_spool_weight_g IS NULL OR (empty_spool_weight_g > 0 AND empty_spool_weight_g <= 5000));
ALTER TABLE spools ADD COLUMN color_hex VARCHAR(7)
    CONSTRAINT color_hex_format CHECK (color_hex IS NULL OR color_hex ~ '^#[0-9A-Fa-f]{6}$');
ALTER TABLE spools ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE reorder_settings ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;

CREATE SEQUENCE material_change_seq;
ALTER TABLE material_types ADD COLUMN change_seq BIGINT NOT NULL DEFAULT nextval('material_change_seq');
UPDATE material_types SET change_seq = nextval('material_change_seq');

CREATE TABLE devices (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name VARCHAR(255) NOT NULL,
    token_hash CHAR(64) NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    last_seen_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX idx_devices_tenant ON devices(tenant_id);

CREATE TABLE pairing_codes (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    code_hash CHAR(64) NOT NULL UNIQUE,
    station_name VARCHAR(255) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    device_id UUID REFERENCES devices(id) ON DELETE SET NULL
);
CREATE INDEX idx_pairing_codes_tenant ON pairing_codes(tenant_id);

ALTER TABLE inventory_transactions
    ADD COLUMN client_id UUID,
    ADD COLUMN device_id UUID REFERENCES devices(id) ON DELETE SET NULL,
    ADD COLUMN device_seq BIGINT CONSTRAINT device_seq_positive CHECK (device_seq IS NULL OR device_seq >= 1),
    ADD COLUMN device_time TIMESTAMPTZ,
    ADD COLUMN device_quantity_grams INTEGER,
    ADD COLUMN measured_gross_g NUMERIC(10,2),
    ADD COLUMN measured_tare_g NUMERIC(10,2),
    ADD COLUMN measured_net_g NUMERIC(10,2),
    ADD COLUMN tare_source VARCHAR(20)
        CONSTRAINT valid_tare_source CHECK (tare_source IS NULL OR tare_source IN ('spool', 'catalog', 'station_default', 'manual')),
    ADD COLUMN content_hash CHAR(64),
    ADD COLUMN weight_applied BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN resulting_weight_g INTEGER,
    ADD CONSTRAINT inventory_transactions_client_unique UNIQUE (tenant_id, client_id);
-- The latest applied weighing per (spool, device): the ordering rule of the batch endpoint.
CREATE INDEX idx_inventory_transactions_weighing_seq ON inventory_transactions(spool_id, device_id, device_seq)
    WHERE measured_net_g IS NOT NULL AND weight_applied;

CREATE TABLE catalog_counters (
    tenant_id UUID PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE catalog_tombstones (
    id BIGSERIAL PRIMARY KEY,
    tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    kind VARCHAR(20) NOT NULL CHECK (kind IN ('spool', 'reorder_setting')),
    object_id UUID NOT NULL,
    change_seq BIGINT NOT NULL,
    deleted_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_catalog_tombstones_seq ON catalog_tombstones(tenant_id, change_seq);
CREATE INDEX idx_spools_change_seq ON spools(tenant_id, change_seq);
CREATE INDEX idx_reorder_settings_change_seq ON reorder_settings(tenant_id, change_seq);

-- Per-tenant change counter. The row lock taken by the UPDATE is held until commit, so change sequence numbers of
-- one tenant are assigned in commit order and a reader's cursor never skips a later-committing change.
CREATE FUNCTION bump_catalog_seq(p_tenant UUID) RETURNS BIGINT LANGUAGE sql AS $$
    INSERT INTO catalog_counters AS c (tenant_id, seq) VALUES (p_tenant, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET seq = c.seq + 1
    RETURNING seq
$$;

-- Reserves n consecutive sequence numbers at once (bulk updates); returns the last one.
CREATE FUNCTION bump_catalog_seq_by(p_tenant UUID, p_n INTEGER) RETURNS BIGINT LANGUAGE sql AS $$
    INSERT INTO catalog_counters AS c (tenant_id, seq) VALUES (p_tenant, p_n)
    ON CONFLICT (tenant_id) DO UPDATE SET seq = c.seq + p_n
    RETURNING seq
$$;

-- Every insert/update gets a fresh change number, unless the statement already assigned one it reserved with
-- bump_catalog_seq_by() in this transaction (a larger value than the row had): the batch endpoint does that to
-- take the counter lock once per batch instead of once per row.
CREATE FUNCTION set_change_seq() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.change_seq > OLD.change_seq
       AND NEW.change_seq <= (SELECT seq FROM catalog_counters WHERE tenant_id = NEW.tenant_id) THEN
        RETURN NEW;
    END IF;
    NEW.change_seq := bump_catalog_seq(NEW.tenant_id);
    RETURN NEW;
END;
$$;

CREATE FUNCTION record_tombstone() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.tenant_id IS NOT DISTINCT FROM OLD.tenant_id THEN
        RETURN NEW;
    END IF;
    INSERT INTO catalog_tombstones (tenant_id, kind, object_id, change_seq)
    VALUES (OLD.tenant_id, TG_ARGV[0], OLD.id, bump_catalog_seq(OLD.tenant_id));
    RETURN NULL;
END;
$$;

CREATE FUNCTION set_material_change_seq() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_seq := nextval('material_change_seq');
    RETURN NEW;
END;
$$;

CREATE TRIGGER spools_change_seq BEFORE INSERT OR UPDATE ON spools
    FOR EACH ROW EXECUTE FUNCTION set_change_seq();
CREATE TRIGGER reorder_settings_change_seq BEFORE INSERT OR UPDATE ON reorder_settings
    FOR EACH ROW EXECUTE FUNCTION set_change_seq();
CREATE TRIGGER spools_tombstone AFTER DELETE OR UPDATE OF tenant_id ON spools
    FOR EACH ROW EXECUTE FUNCTION record_tombstone('spool');
CREATE TRIGGER reorder_settings_tombstone AFTER DELETE OR UPDATE OF tenant_id ON reorder_settings
    FOR EACH ROW EXECUTE FUNCTION record_tombstone('reorder_setting');
CREATE TRIGGER material_types_change_seq BEFORE UPDATE ON material_types
    FOR EACH ROW EXECUTE FUNCTION set_material_change_seq();

-- Pre-tenant lookups, the only cross-tenant reads the application role can make. SECURITY DEFINER functions owned
-- by the migration owner (who must bypass RLS: superuser or BYPASSRLS); each takes a secret's SHA-256 and returns
-- at most one row. EXECUTE is revoked from PUBLIC and granted to the application role by `db create-app-role`.
CREATE FUNCTION central_auth_device(p_token_hash TEXT)
RETURNS TABLE (device_id UUID, tenant_id UUID, tenant_slug TEXT, device_name TEXT)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT d.id, d.tenant_id, t.slug::text, d.name::text
    FROM devices d JOIN tenants t ON t.id = d.tenant_id
    WHERE d.token_hash = p_token_hash AND d.revoked_at IS NULL AND t.is_active
$$;

CREATE FUNCTION central_redeem_pairing(p_code_hash TEXT, p_token_hash TEXT, p_device_name TEXT)
RETURNS TABLE (device_id UUID, tenant_id UUID, tenant_slug TEXT, tenant_name TEXT, station_name TEXT)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_code pairing_codes%ROWTYPE;
    v_device UUID;
    v_name TEXT;
BEGIN
    SELECT * INTO v_code FROM pairing_codes
    WHERE code_hash = p_code_hash AND used_at IS NULL AND expires_at > NOW()
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    v_name := CASE WHEN coalesce(p_device_name, '') = '' THEN v_code.station_name
                   ELSE v_code.station_name || ' (' || left(p_device_name, 100) || ')' END;
    INSERT INTO devices (tenant_id, name, token_hash, last_seen_at)
    VALUES (v_code.tenant_id, v_name, p_token_hash, NOW())
    RETURNING id INTO v_device;
    UPDATE pairing_codes SET used_at = NOW(), device_id = v_device WHERE id = v_code.id;
    RETURN QUERY SELECT v_device, t.id, t.slug::text, t.name::text, v_code.station_name::text
                 FROM tenants t WHERE t.id = v_code.tenant_id AND t.is_active;
END;
$$;
REVOKE ALL ON FUNCTION central_auth_device(TEXT) FROM PUBLIC;
REVOKE ALL ON FUNCTION central_redeem_pairing(TEXT, TEXT, TEXT) FROM PUBLIC;
)SQL";

std::string v2() {
    std::string s = kV2;
    for (const char* t : kTenantTablesV2) s += rls(t);
    return s;
}

// Cross-device ordering (docs/CENTRAL.md): every station row's device_time mapped onto the server's clock, and per
// spool the time and device of its latest applied weighing. Rows and spools from before this migration stay NULL
// (no known measured time: the next weighing of such a spool applies, as it did before).
const char* const kV3 = R"SQL(
ALTER TABLE inventory_transactions ADD COLUMN occurred_at TIMESTAMPTZ;
ALTER TABLE spools
    ADD COLUMN last_weighing_at TIMESTAMPTZ,
    ADD COLUMN last_weighing_device_id UUID;
)SQL";

}  // namespace

std::vector<Migration> postgres_migrations() {
    return {
        {1, "seed schema (fixed)", v1()},
        {2, "station additions: devices, pairing, idempotent transactions, catalog cursor", v2()},
        {3, "cross-device ordering: measured time on the server clock", kV3},
    };
}

}  // namespace batchivo::central
