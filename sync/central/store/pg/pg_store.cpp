// PostgreSQL store: schema migrations and the factory. See pg_store.hpp.
#include "sync/central/store/pg/pg_store.hpp"

namespace batchivo::central::pg_impl {

int PgStore::migrate_with(const std::vector<Migration>& migrations) {
    auto c = pool_.get();
    {
        auto r = c->query("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user");
        if (r.rows() != 1 || !r.boolean(0, 0))
            throw StoreError("forbidden", "migrate must run as the schema owner role with BYPASSRLS (or a superuser): "
                                          "the SECURITY DEFINER pairing/token lookups rely on it");
    }
    c->exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
            "applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW())");
    int applied = 0;
    for (const auto& m : migrations) {
        pg::Tx tx(*c);
        c->exec("SELECT pg_advisory_xact_lock(774411)");  // one migrator at a time
        if (c->query("SELECT 1 FROM schema_migrations WHERE version = $1", {PI(m.version)}).rows() > 0) continue;
        try {
            c->exec(m.sql);
        } catch (const pg::Error& e) {
            throw StoreError("migration_failed", "migration " + std::to_string(m.version) + " (" + m.name +
                                                     ") failed and was rolled back: " + e.what());
        }
        c->query("INSERT INTO schema_migrations(version, name) VALUES ($1, $2)", {PI(m.version), P(m.name)});
        tx.commit();
        ++applied;
    }
    return applied;
}

int PgStore::schema_version() {
    auto c = pool_.get();
    auto r = c->query("SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (!r.boolean(0, 0)) return 0;
    return c->query("SELECT coalesce(max(version), 0) FROM schema_migrations").i32(0, 0);
}

}  // namespace batchivo::central::pg_impl

namespace batchivo::central {

std::unique_ptr<Store> make_postgres_store(const std::string& conninfo, int pool_size) {
    return std::make_unique<pg_impl::PgStore>(conninfo, pool_size);
}

}  // namespace batchivo::central
