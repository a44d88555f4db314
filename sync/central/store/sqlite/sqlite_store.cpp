// SQLite store: opening the database, schema migrations and the factory. See sqlite_store.hpp.
#include "sync/central/store/sqlite/sqlite_store.hpp"

namespace batchivo::central::sqlite_impl {

SqliteStore::SqliteStore(const std::string& path) : db_(path) {
    db_.exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
    db_.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
             "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))");
}

int SqliteStore::migrate_with(const std::vector<Migration>& migrations) {
    std::lock_guard lk(mu_);
    int applied = 0;
    for (const auto& m : migrations) {
        sql::Transaction tx(db_);
        sql::Stmt chk(db_, "SELECT 1 FROM schema_migrations WHERE version = ?");
        chk.bind(1, m.version);
        if (chk.step()) continue;
        try {
            db_.exec(m.sql);
        } catch (const sql::Error& e) {
            throw StoreError("migration_failed", "migration " + std::to_string(m.version) + " (" + m.name +
                                                     ") failed and was rolled back: " + e.what());
        }
        sql::Stmt ins(db_, "INSERT INTO schema_migrations(version, name) VALUES (?, ?)");
        ins.bind(1, m.version).bind(2, m.name).run();
        tx.commit();
        ++applied;
    }
    return applied;
}

int SqliteStore::schema_version() {
    std::lock_guard lk(mu_);
    return static_cast<int>(db_.query_int("SELECT coalesce(max(version), 0) FROM schema_migrations").value_or(0));
}

}  // namespace batchivo::central::sqlite_impl

namespace batchivo::central {

std::unique_ptr<Store> make_sqlite_store(const std::string& path) { return std::make_unique<sqlite_impl::SqliteStore>(path); }

}  // namespace batchivo::central
