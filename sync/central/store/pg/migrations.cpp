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

}  // namespace

std::vector<Migration> postgres_migrations() {
    return {
        {1, "seed schema (fixed)", pg_migrations::v1()},
        {2, "station additions: devices, pairing, idempotent transactions, catalog cursor", pg_migrations::v2()},
        {3, "cross-device ordering: measured time on the server clock", kV3},
    };
}

}  // namespace batchivo::central
