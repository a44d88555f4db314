// PostgreSQL migrations: the seed schema (../shared/seed/DATABASE_SCHEMA.md) with its fixes, then the station
// additions. docs/SCHEMA.md lists every deviation from the seed and why. Each migration runs in one transaction.
#include "sync/central/store/pg/migrations_internal.hpp"
#include "sync/central/store/store.hpp"

namespace batchivo::central {

namespace pg_migrations {

const char* const kTenantTablesV1[13] = {"spools", "inventory_transactions", "products", "product_materials",
                                       "product_components", "sales_channels", "product_pricing", "orders",
                                       "suppliers", "purchases", "purchase_items", "reorder_settings", "user_tenants"};
const char* const kTenantTablesV2[4] = {"devices", "pairing_codes", "catalog_counters", "catalog_tombstones"};

std::string rls(const char* table, const char* column) {
    return std::string("ALTER TABLE ") + table + " ENABLE ROW LEVEL SECURITY;\nALTER TABLE " + table +
           " FORCE ROW LEVEL SECURITY;\nCREATE POLICY tenant_isolation_policy ON " + table + " USING (" + column +
           " = NULLIF(current_setting('app.current_tenant_id', true), '')::uuid);\n";
}

}  // namespace pg_migrations

namespace {

// Cross-device ordering (docs/CENTRAL.md): every station row's device_time mapped onto the server's clock, and per
// spool the time and device of its latest applied weighing. Rows and spools from before this migration stay NULL
// (no known measured time: the next weighing of such a spool applies, as it did before).
const char* const kV3 = R"SQL(
ALTER TABLE inventory_transactions ADD COLUMN occurred_at TIMESTAMPTZ;
ALTER TABLE spools
    ADD COLUMN last_weighing_at TIMESTAMPTZ,
    ADD COLUMN last_weighing_device_id UUID;
)SQL";

// Batch throughput (docs/CENTRAL.md "Tests and benchmark"): the batch endpoint writes the new change numbers it
// reserved with bump_catalog_seq_by() into its spools UPDATE. set_change_seq() then returned early, but only after
// one PL/pgSQL call and one counter read per row. Now bump_catalog_seq_by() also records the reservation in two
// transaction-local settings, and the UPDATE trigger's WHEN condition (evaluated without calling the function)
// skips rows whose new number lies in it: same tenant, above the row's old number, at most the reserved last.
// Every other insert or update still gets a fresh number from the function (whose own check is unchanged). The
// settings only let a transaction keep numbers it reserved itself; they end with the transaction.
const char* const kV4 = R"SQL(
CREATE OR REPLACE FUNCTION bump_catalog_seq_by(p_tenant UUID, p_n INTEGER) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    v_last BIGINT;
BEGIN
    INSERT INTO catalog_counters AS c (tenant_id, seq) VALUES (p_tenant, p_n)
    ON CONFLICT (tenant_id) DO UPDATE SET seq = c.seq + p_n
    RETURNING seq INTO v_last;
    PERFORM set_config('batchivo.reserved_tenant', p_tenant::text, true),
            set_config('batchivo.reserved_seq', v_last::text, true);
    RETURN v_last;
END;
$$;

DROP TRIGGER spools_change_seq ON spools;
CREATE TRIGGER spools_change_seq BEFORE INSERT ON spools
    FOR EACH ROW EXECUTE FUNCTION set_change_seq();
CREATE TRIGGER spools_change_seq_update BEFORE UPDATE ON spools
    FOR EACH ROW WHEN (NOT coalesce(NEW.change_seq > OLD.change_seq
        AND NEW.tenant_id = NULLIF(current_setting('batchivo.reserved_tenant', true), '')::uuid
        AND NEW.change_seq <= NULLIF(current_setting('batchivo.reserved_seq', true), '')::bigint, false))
    EXECUTE FUNCTION set_change_seq();
)SQL";

}  // namespace

std::vector<Migration> postgres_migrations() {
    return {
        {1, "seed schema (fixed)", pg_migrations::v1()},
        {2, "station additions: devices, pairing, idempotent transactions, catalog cursor", pg_migrations::v2()},
        {3, "cross-device ordering: measured time on the server clock", kV3},
        {4, "batch throughput: reserved change numbers skip the spools trigger", kV4},
    };
}

}  // namespace batchivo::central
