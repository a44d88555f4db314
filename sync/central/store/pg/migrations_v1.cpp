// PostgreSQL schema version 1; see migrations.cpp for the list and docs/SCHEMA.md for the deviations from the seed.
#include "sync/central/store/pg/migrations_internal.hpp"

namespace batchivo::central::pg_migrations {

namespace {

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

}  // namespace

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

}  // namespace batchivo::central::pg_migrations
