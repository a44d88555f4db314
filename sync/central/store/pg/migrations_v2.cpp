// PostgreSQL schema version 2; see migrations.cpp for the list and docs/SCHEMA.md for the deviations from the seed.
#include "sync/central/store/pg/migrations_internal.hpp"

namespace batchivo::central::pg_migrations {

namespace {

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

}  // namespace

std::string v2() {
    std::string s = kV2;
    for (const char* t : kTenantTablesV2) s += rls(t);
    return s;
}

}  // namespace batchivo::central::pg_migrations
