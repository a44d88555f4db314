// PostgreSQL implementation of the central store. Every tenant-scoped operation runs in a transaction that first
// sets app.current_tenant_id with set_config(..., true) (transaction-local), so forced RLS policies scope every
// statement; queries also filter by tenant_id explicitly (defence in depth, and it lets the owner role, which
// bypasses RLS, run the same code for the admin CLI).
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "sync/central/pg.hpp"
#include "sync/central/store.hpp"
#include "sync/central/util.hpp"
#include "sync/domain/stock.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"

namespace batchivo::central {

namespace {

using pg::Param;

class Pool {
public:
    Pool(std::string conninfo, int size) : conninfo_(std::move(conninfo)), max_(std::max(1, size)) {}

    class Lease {
    public:
        Lease(Pool& p, std::unique_ptr<pg::Conn> c) : p_(p), c_(std::move(c)) {}
        ~Lease() { p_.give_back(std::move(c_)); }
        pg::Conn& operator*() { return *c_; }
        pg::Conn* operator->() { return c_.get(); }

    private:
        Pool& p_;
        std::unique_ptr<pg::Conn> c_;
    };

    Lease get() {
        std::unique_lock lk(mu_);
        cv_.wait(lk, [&] { return !idle_.empty() || open_ < max_; });
        if (!idle_.empty()) {
            auto c = std::move(idle_.front());
            idle_.pop_front();
            return Lease(*this, std::move(c));
        }
        ++open_;
        lk.unlock();
        try {
            return Lease(*this, std::make_unique<pg::Conn>(conninfo_));
        } catch (...) {
            std::lock_guard g(mu_);
            --open_;
            cv_.notify_one();
            throw;
        }
    }

private:
    void give_back(std::unique_ptr<pg::Conn> c) {
        std::lock_guard lk(mu_);
        if (c && c->ok() && !c->in_transaction()) {
            idle_.push_back(std::move(c));
        } else {
            --open_;  // broken or mid-transaction: drop it
        }
        cv_.notify_one();
    }

    std::string conninfo_;
    int max_;
    int open_ = 0;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::unique_ptr<pg::Conn>> idle_;
};

Param P(const std::string& s) { return s; }
Param PN(const std::string& s) { return s.empty() ? Param() : Param(s); }
template <class T>
Param PI(const std::optional<T>& v) {
    return v ? Param(std::to_string(*v)) : Param();
}
Param PI(long long v) { return std::to_string(v); }
Param PD(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return std::string(buf);
}

void set_tenant(pg::Conn& c, const std::string& tenant_id) {
    c.query("SELECT set_config('app.current_tenant_id', $1, true)", {P(tenant_id)});
}

constexpr const char* kSpoolCols =
    "s.id, s.tenant_id, s.spool_id, s.material_type_id, mt.name, s.brand, s.color, s.color_hex, s.finish_type, "
    "s.purchase_date::text, s.purchase_cost, s.supplier, s.supplier_id, s.initial_weight_g, s.current_weight_g, "
    "s.empty_spool_weight_g, s.lead_time_days, s.storage_location, s.notes, s.qr_code_data, s.is_active, "
    "iso_utc(s.created_at), iso_utc(s.updated_at), s.change_seq";

Spool read_spool(const pg::Result& r, int i) {
    Spool s;
    s.id = r.text(i, 0);
    s.tenant_id = r.text(i, 1);
    s.spool_id = r.text(i, 2);
    s.material_type_id = r.text(i, 3);
    s.material_name = r.text(i, 4);
    s.brand = r.text(i, 5);
    s.color = r.text(i, 6);
    s.color_hex = r.text(i, 7);
    s.finish_type = r.text(i, 8);
    s.purchase_date = r.text(i, 9);
    s.purchase_cost = r.opt_f64(i, 10);
    s.supplier = r.text(i, 11);
    s.supplier_id = r.text(i, 12);
    s.initial_weight_g = r.i32(i, 13);
    s.current_weight_g = r.i32(i, 14);
    s.empty_spool_weight_g = r.opt_i32(i, 15);
    s.lead_time_days = r.opt_i32(i, 16);
    s.storage_location = r.text(i, 17);
    s.notes = r.text(i, 18);
    s.qr_code_data = r.text(i, 19);
    s.is_active = r.boolean(i, 20);
    s.created_at = r.text(i, 21);
    s.updated_at = r.text(i, 22);
    return s;
}

constexpr const char* kReorderCols =
    "r.id, r.tenant_id, r.material_type_id, mt.name, r.color, r.brand, r.avg_daily_usage_grams, r.lead_time_days, "
    "r.safety_stock_days, r.reorder_point_grams, r.reorder_quantity_grams, iso_utc(r.last_calculated_at), "
    "iso_utc(r.updated_at), r.change_seq";

ReorderSetting read_reorder(const pg::Result& r, int i) {
    ReorderSetting s;
    s.id = r.text(i, 0);
    s.tenant_id = r.text(i, 1);
    s.material_type_id = r.text(i, 2);
    s.material_name = r.text(i, 3);
    s.color = r.text(i, 4);
    s.brand = r.text(i, 5);
    s.avg_daily_usage_grams = r.opt_i32(i, 6);
    s.lead_time_days = r.i32(i, 7);
    s.safety_stock_days = r.null(i, 8) ? 7 : r.i32(i, 8);
    s.reorder_point_grams = r.opt_i32(i, 9);
    s.reorder_quantity_grams = r.opt_i32(i, 10);
    s.last_calculated_at = r.text(i, 11);
    s.updated_at = r.text(i, 12);
    return s;
}

StoreError input_error(const std::string& what, const pg::Error& e) {
    return StoreError("invalid_input", what + ": " + e.what());
}

class PgStore final : public Store {
public:
    PgStore(const std::string& conninfo, int pool) : pool_(conninfo, pool) {}
    std::string backend() const override { return "postgresql"; }

    int migrate_with(const std::vector<Migration>& migrations) override {
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

    int schema_version() override {
        auto c = pool_.get();
        auto r = c->query("SELECT to_regclass('schema_migrations') IS NOT NULL");
        if (!r.boolean(0, 0)) return 0;
        return c->query("SELECT coalesce(max(version), 0) FROM schema_migrations").i32(0, 0);
    }

    Tenant create_tenant(const std::string& slug, const std::string& name) override {
        auto c = pool_.get();
        Tenant t{new_uuid_v7(), name, slug, true};
        pg::Tx tx(*c);
        set_tenant(*c, t.id);
        try {
            c->query("INSERT INTO tenants(id, name, slug) VALUES ($1, $2, $3)", {P(t.id), P(name), P(slug)});
        } catch (const pg::Error& e) {
            throw input_error("cannot create tenant", e);
        }
        tx.commit();
        return t;
    }

    std::vector<Tenant> list_tenants() override {
        auto c = pool_.get();
        auto r = c->query("SELECT id, name, slug, is_active FROM tenants ORDER BY slug");
        std::vector<Tenant> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.boolean(i, 3)});
        return out;
    }

    std::optional<Tenant> find_tenant(const std::string& key) override {
        auto c = pool_.get();
        const std::string id = normalize_uuid(key);
        auto r = id.empty() ? c->query("SELECT id, name, slug, is_active FROM tenants WHERE slug = $1", {P(key)})
                            : c->query("SELECT id, name, slug, is_active FROM tenants WHERE id = $1::uuid", {P(id)});
        if (r.rows() == 0) return std::nullopt;
        return Tenant{r.text(0, 0), r.text(0, 1), r.text(0, 2), r.boolean(0, 3)};
    }

    std::string add_user(const std::string& tenant_id, const std::string& email, const std::string& name,
                         const std::string& role) override {
        auto c = pool_.get();
        pg::Tx tx(*c);
        set_tenant(*c, tenant_id);
        try {
            auto r = c->query("INSERT INTO users(email, name) VALUES ($1, $2) ON CONFLICT (email) DO UPDATE SET "
                              "name = coalesce(EXCLUDED.name, users.name) RETURNING id",
                              {P(email), PN(name)});
            const std::string uid = r.text(0, 0);
            c->query("INSERT INTO user_tenants(user_id, tenant_id, role) VALUES ($1, $2, $3) ON CONFLICT (user_id, tenant_id) "
                     "DO UPDATE SET role = EXCLUDED.role",
                     {P(uid), P(tenant_id), P(role)});
            tx.commit();
            return uid;
        } catch (const pg::Error& e) {
            throw input_error("cannot add user", e);
        }
    }

    std::string material_id(pg::Conn& c, const std::string& name) {
        if (name.empty()) return {};
        auto r = c.query("SELECT id FROM material_types WHERE lower(name) = lower($1)", {P(name)});
        if (r.rows() == 0) throw StoreError("invalid_input", "unknown material type '" + name + "'");
        return r.text(0, 0);
    }

    Spool upsert_spool(const std::string& tenant_id, const Spool& in) override {
        auto c = pool_.get();
        pg::Tx tx(*c);
        set_tenant(*c, tenant_id);
        Spool out = upsert_spool_in_tx(*c, tenant_id, in);
        tx.commit();
        return out;
    }

    std::vector<Spool> import_spools(const std::string& tenant_id, const std::vector<Spool>& spools) override {
        require_distinct_spool_ids(spools);
        auto c = pool_.get();
        pg::Tx tx(*c);  // rolled back by its destructor when a row throws
        set_tenant(*c, tenant_id);
        std::vector<Spool> out;
        out.reserve(spools.size());
        for (const auto& s : spools) out.push_back(upsert_spool_in_tx(*c, tenant_id, s));
        tx.commit();
        return out;
    }

    // Inserts or updates one spool inside the caller's transaction (tenant already set).
    Spool upsert_spool_in_tx(pg::Conn& conn, const std::string& tenant_id, const Spool& in) {
        pg::Conn* c = &conn;
        Spool s = in;
        if (s.material_type_id.empty()) s.material_type_id = material_id(*c, s.material_name);
        const std::string id = s.id.empty() ? new_uuid_v7() : normalize_uuid(s.id);
        try {
            auto r = c->query(
                "INSERT INTO spools(id, tenant_id, spool_id, material_type_id, brand, color, color_hex, finish_type, "
                "purchase_date, purchase_cost, supplier, initial_weight_g, current_weight_g, empty_spool_weight_g, "
                "lead_time_days, storage_location, notes, qr_code_data, is_active) VALUES "
                "($1,$2,$3,$4,$5,$6,$7,$8,$9::date,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19) "
                "ON CONFLICT (tenant_id, spool_id) DO UPDATE SET material_type_id = EXCLUDED.material_type_id, "
                "brand = EXCLUDED.brand, color = EXCLUDED.color, color_hex = EXCLUDED.color_hex, finish_type = EXCLUDED.finish_type, "
                "purchase_date = EXCLUDED.purchase_date, purchase_cost = EXCLUDED.purchase_cost, supplier = EXCLUDED.supplier, "
                "initial_weight_g = EXCLUDED.initial_weight_g, current_weight_g = EXCLUDED.current_weight_g, "
                "empty_spool_weight_g = EXCLUDED.empty_spool_weight_g, lead_time_days = EXCLUDED.lead_time_days, "
                "storage_location = EXCLUDED.storage_location, notes = EXCLUDED.notes, qr_code_data = EXCLUDED.qr_code_data, "
                "is_active = EXCLUDED.is_active RETURNING id",
                {P(id), P(tenant_id), P(s.spool_id), PN(s.material_type_id), PN(s.brand), PN(s.color), PN(s.color_hex),
                 PN(s.finish_type), PN(s.purchase_date), s.purchase_cost ? PD(*s.purchase_cost) : Param(), PN(s.supplier),
                 PI(s.initial_weight_g), PI(s.current_weight_g), PI(s.empty_spool_weight_g), PI(s.lead_time_days),
                 PN(s.storage_location), PN(s.notes), PN(s.qr_code_data), P(s.is_active ? "true" : "false")});
            return *get_spool_in(*c, tenant_id, r.text(0, 0));
        } catch (const pg::Error& e) {
            throw input_error("cannot save spool " + s.spool_id, e);
        }
    }

    bool delete_spool(const std::string& tenant_id, const std::string& spool_uuid) override {
        const std::string id = normalize_uuid(spool_uuid);
        if (id.empty()) return false;
        auto c = pool_.get();
        pg::Tx tx(*c);
        set_tenant(*c, tenant_id);
        auto r = c->query("DELETE FROM spools WHERE tenant_id = $1 AND id = $2", {P(tenant_id), P(id)});
        tx.commit();
        return r.affected() > 0;
    }

    ReorderSetting set_reorder(const std::string& tenant_id, const ReorderSetting& in) override {
        auto c = pool_.get();
        pg::Tx tx(*c);
        set_tenant(*c, tenant_id);
        ReorderSetting r = in;
        if (r.material_type_id.empty()) r.material_type_id = material_id(*c, r.material_name);
        try {
            auto res = c->query(
                "INSERT INTO reorder_settings(tenant_id, material_type_id, color, brand, avg_daily_usage_grams, lead_time_days, "
                "safety_stock_days, reorder_point_grams, reorder_quantity_grams, last_calculated_at) "
                "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10::timestamptz) ON CONFLICT ON CONSTRAINT reorder_settings_key DO UPDATE SET "
                "avg_daily_usage_grams = EXCLUDED.avg_daily_usage_grams, lead_time_days = EXCLUDED.lead_time_days, "
                "safety_stock_days = EXCLUDED.safety_stock_days, reorder_point_grams = EXCLUDED.reorder_point_grams, "
                "reorder_quantity_grams = EXCLUDED.reorder_quantity_grams, last_calculated_at = EXCLUDED.last_calculated_at "
                "RETURNING id",
                {P(tenant_id), PN(r.material_type_id), PN(r.color), PN(r.brand), PI(r.avg_daily_usage_grams),
                 PI(r.lead_time_days), PI(r.safety_stock_days), PI(r.reorder_point_grams), PI(r.reorder_quantity_grams),
                 PN(r.last_calculated_at)});
            auto g = c->query(std::string("SELECT ") + kReorderCols +
                                  " FROM reorder_settings r LEFT JOIN material_types mt ON mt.id = r.material_type_id WHERE r.id = $1",
                              {P(res.text(0, 0))});
            tx.commit();
            return read_reorder(g, 0);
        } catch (const pg::Error& e) {
            throw input_error("cannot save reorder setting", e);
        }
    }

    bool delete_reorder(const std::string& tenant_id, const std::string& id) override {
        const std::string rid = normalize_uuid(id);
        if (rid.empty()) return false;
        auto c = pool_.get();
        pg::Tx tx(*c);
        set_tenant(*c, tenant_id);
        auto r = c->query("DELETE FROM reorder_settings WHERE tenant_id = $1 AND id = $2", {P(tenant_id), P(rid)});
        tx.commit();
        return r.affected() > 0;
    }

    std::vector<MaterialType> materials() override {
        auto c = pool_.get();
        return materials_since(*c, 0);
    }

    static std::vector<MaterialType> materials_since(pg::Conn& c, int64_t seq) {
        auto r = c.query("SELECT id, name, coalesce(properties, '{}'::jsonb)::text FROM material_types WHERE change_seq > $1 "
                         "ORDER BY name",
                         {PI(static_cast<long long>(seq))});
        std::vector<MaterialType> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2)});
        return out;
    }

    void add_history(const std::string& tenant_id, const std::string& spool_uuid, TransactionType type, int grams,
                     const std::string& notes, const std::string& created_at) override {
        auto c = pool_.get();
        pg::Tx tx(*c);
        set_tenant(*c, tenant_id);
        auto r = c->query("INSERT INTO inventory_transactions(tenant_id, spool_id, transaction_type, quantity_grams, "
                          "reference_type, notes, created_at) SELECT tenant_id, id, $3, $4, 'manual', $5, $6::timestamptz "
                          "FROM spools WHERE tenant_id = $1 AND id = $2",
                          {P(tenant_id), P(normalize_uuid(spool_uuid)), P(std::string(to_string(type))), PI(grams), PN(notes),
                           P(created_at)});
        if (r.affected() == 0) throw StoreError("not_found", "no such spool in this tenant");
        tx.commit();
    }

    PairingCode create_pairing_code(const std::string& tenant_id, const std::string& station_name, int ttl) override {
        auto c = pool_.get();
        pg::Tx tx(*c);
        set_tenant(*c, tenant_id);
        PairingCode pc{new_pairing_code(), tenant_id, station_name, ""};
        try {
            auto r = c->query("INSERT INTO pairing_codes(tenant_id, code_hash, station_name, expires_at) VALUES "
                              "($1, $2, $3, NOW() + make_interval(secs => $4)) RETURNING iso_utc(expires_at)",
                              {P(tenant_id), P(sha256_hex(pc.code)), P(station_name), PI(ttl)});
            pc.expires_at = r.text(0, 0);
        } catch (const pg::Error& e) {
            throw input_error("cannot create pairing code", e);
        }
        tx.commit();
        return pc;
    }

    std::vector<DeviceInfo> list_devices(const std::string& tenant_id) override {
        auto c = pool_.get();
        pg::Tx tx(*c);
        set_tenant(*c, tenant_id);
        auto r = c->query("SELECT id, tenant_id, name, iso_utc(created_at), iso_utc(last_seen_at), iso_utc(revoked_at) "
                          "FROM devices WHERE tenant_id = $1 ORDER BY created_at",
                          {P(tenant_id)});
        std::vector<DeviceInfo> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5)});
        tx.commit();
        return out;
    }

    bool revoke_device(const std::string& tenant_id, const std::string& device_id) override {
        const std::string id = normalize_uuid(device_id);
        if (id.empty()) return false;
        auto c = pool_.get();
        pg::Tx tx(*c);
        set_tenant(*c, tenant_id);
        auto r = c->query("UPDATE devices SET revoked_at = NOW() WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL",
                          {P(tenant_id), P(id)});
        tx.commit();
        return r.affected() > 0;
    }

    wire::PairResponse redeem_pairing(const std::string& code, const std::string& device_name) override {
        auto c = pool_.get();
        wire::PairResponse out;
        out.token = new_device_token();
        pg::Tx tx(*c);
        auto r = c->query("SELECT device_id, tenant_id, tenant_slug, tenant_name, station_name FROM central_redeem_pairing($1, $2, $3)",
                          {P(sha256_hex(normalize_pairing_code(code))), P(sha256_hex(out.token)), P(device_name)});
        if (r.rows() != 1) throw StoreError("invalid_pairing_code", "the pairing code is unknown, already used or expired");
        tx.commit();
        out.device_id = r.text(0, 0);
        out.tenant_id = r.text(0, 1);
        out.tenant_slug = r.text(0, 2);
        out.tenant_name = r.text(0, 3);
        out.station_name = r.text(0, 4);
        return out;
    }

    std::optional<DeviceAuth> authenticate(const std::string& token) override {
        auto c = pool_.get();
        auto r = c->query("SELECT device_id, tenant_id, tenant_slug, device_name FROM central_auth_device($1)",
                          {P(sha256_hex(token))});
        if (r.rows() != 1) return std::nullopt;
        return DeviceAuth{r.text(0, 0), r.text(0, 1), r.text(0, 2), r.text(0, 3)};
    }

    wire::CatalogDelta catalog(const std::string& tenant_id, const std::string& since, int limit) override {
        auto cur = parse_cursor(since);
        if (!cur) throw StoreError("invalid_cursor", "the 'since' cursor is not one this server issued");
        limit = std::clamp(limit, 1, wire::kMaxCatalogPage);
        auto c = pool_.get();
        pg::Tx tx(*c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        set_tenant(*c, tenant_id);
        const Param t = P(tenant_id), s = PI(static_cast<long long>(cur->tenant_seq)), l = PI(limit + 1);
        auto sp = c->query(std::string("SELECT ") + kSpoolCols + " FROM spools s LEFT JOIN material_types mt ON "
                               "mt.id = s.material_type_id WHERE s.tenant_id = $1 AND s.change_seq > $2 ORDER BY s.change_seq LIMIT $3",
                           {t, s, l});
        auto rs = c->query(std::string("SELECT ") + kReorderCols + " FROM reorder_settings r LEFT JOIN material_types mt ON "
                               "mt.id = r.material_type_id WHERE r.tenant_id = $1 AND r.change_seq > $2 ORDER BY r.change_seq LIMIT $3",
                           {t, s, l});
        auto tb = c->query("SELECT kind, object_id, change_seq FROM catalog_tombstones WHERE tenant_id = $1 AND change_seq > $2 "
                           "ORDER BY change_seq LIMIT $3",
                           {t, s, l});
        struct Entry {
            long long seq;
            int kind;
            int idx;
        };
        std::vector<Entry> entries;
        for (int i = 0; i < sp.rows(); ++i) entries.push_back({sp.i64(i, 23), 0, i});
        for (int i = 0; i < rs.rows(); ++i) entries.push_back({rs.i64(i, 13), 1, i});
        for (int i = 0; i < tb.rows(); ++i) entries.push_back({tb.i64(i, 2), 2, i});
        std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.seq < b.seq; });
        wire::CatalogDelta d;
        d.has_more = entries.size() > static_cast<size_t>(limit);
        if (d.has_more) entries.resize(static_cast<size_t>(limit));
        Cursor next = *cur;
        for (const auto& e : entries) {
            next.tenant_seq = std::max<int64_t>(next.tenant_seq, e.seq);
            if (e.kind == 0) {
                Spool sp1 = read_spool(sp, e.idx);
                const StockInfo st = stock_info(sp1);
                d.spools.push_back({std::move(sp1), st});
            } else if (e.kind == 1) {
                d.reorder_settings.push_back(read_reorder(rs, e.idx));
            } else if (tb.text(e.idx, 0) == "spool") {
                d.deleted_spools.push_back(tb.text(e.idx, 1));
            } else {
                d.deleted_reorder_settings.push_back(tb.text(e.idx, 1));
            }
        }
        if (!d.has_more) {
            auto cc = c->query("SELECT seq FROM catalog_counters WHERE tenant_id = $1", {t});
            if (cc.rows() == 1) next.tenant_seq = std::max<int64_t>(next.tenant_seq, cc.i64(0, 0));
        }
        next.material_seq = c->query("SELECT coalesce(max(change_seq), 0) FROM material_types").i64(0, 0);
        d.material_types = materials_since(*c, cur->material_seq);
        d.next_cursor = format_cursor(next);
        d.server_time = iso8601_utc_ms(now_epoch_ms());
        tx.commit();
        return d;
    }

    wire::TxBatchResponse apply_batch(const DeviceAuth& dev, const wire::TxBatch& batch) override {
        for (int attempt = 0;; ++attempt) {
            try {
                return apply_batch_once(dev, batch);
            } catch (const pg::Error& e) {
                // 23505: a concurrent batch inserted one of our client_ids first; 40P01/40001: deadlock/serialization.
                const bool retry = e.sqlstate == "23505" || e.sqlstate == "40P01" || e.sqlstate == "40001";
                if (!retry || attempt >= 4) throw;
            }
        }
    }

    wire::TxBatchResponse apply_batch_once(const DeviceAuth& dev, const wire::TxBatch& batch) {
        auto c = pool_.get();
        pg::Tx tx(*c);
        set_tenant(*c, dev.tenant_id);
        std::vector<Param> spool_ids, client_ids;
        for (const auto& it : batch.items) {
            if (auto s = normalize_uuid(it.spool_uuid); !s.empty()) spool_ids.push_back(s);
            if (auto s = normalize_uuid(it.client_id); !s.empty()) client_ids.push_back(s);
        }
        const std::string spool_arr = pg::array_literal(spool_ids), client_arr = pg::array_literal(client_ids);
        std::map<std::string, PlanSpool> spools;
        std::map<std::string, PlanExisting> existing;
        std::map<std::string, int64_t> last_seq;
        // Lock the referenced spools in a fixed order (no deadlocks between batches); once we hold them, any batch
        // that inserted rows for these spools has committed, so the client_id lookup below sees its rows.
        auto sp = c->query("SELECT id, initial_weight_g, current_weight_g, iso_utc(last_weighing_at), last_weighing_device_id "
                           "FROM spools WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE",
                           {P(dev.tenant_id), P(spool_arr)});
        for (int i = 0; i < sp.rows(); ++i) {
            PlanSpool ps{sp.text(i, 0), sp.i32(i, 1), sp.i32(i, 2), false};
            if (!sp.null(i, 3)) ps.last_weighing_ms = parse_iso8601_ms(sp.text(i, 3));
            ps.last_weighing_device = sp.text(i, 4);
            spools[ps.id] = std::move(ps);
        }
        auto ls = c->query("SELECT spool_id, max(device_seq) FROM inventory_transactions WHERE tenant_id = $1 AND device_id = $2 "
                           "AND spool_id = ANY($3::uuid[]) AND measured_net_g IS NOT NULL AND weight_applied GROUP BY spool_id",
                           {P(dev.tenant_id), P(dev.device_id), P(spool_arr)});
        for (int i = 0; i < ls.rows(); ++i) last_seq[ls.text(i, 0)] = ls.i64(i, 1);

        // Optimistic path: assume no item was seen before (the common case) and let the unique (tenant_id,
        // client_id) constraint tell us otherwise; only then look the ids up and plan again.
        auto insert_rows = [&](const BatchPlan& plan, bool optimistic) -> long long {
            std::vector<Param> a_id, a_spool, a_type, a_qty, a_notes, a_cid, a_seq, a_time, a_dq, a_g, a_t, a_n, a_src,
                a_hash, a_applied, a_res, a_occ;
            for (const auto& row : plan.rows) {
                const auto& i = *row.item;
                a_id.push_back(row.id);
                a_spool.push_back(normalize_uuid(i.spool_uuid));
                a_type.push_back(i.type);
                a_qty.push_back(std::to_string(row.quantity_grams));
                a_notes.push_back(PN(i.notes));
                a_cid.push_back(normalize_uuid(i.client_id));
                a_seq.push_back(std::to_string(i.device_seq));
                a_time.push_back(iso8601_utc_ms(*parse_iso8601_ms(i.device_time)));
                a_dq.push_back(std::to_string(i.quantity_grams));
                if (i.measurement) {
                    a_g.push_back(PD(i.measurement->gross_g));
                    a_t.push_back(PD(i.measurement->tare_g));
                    a_n.push_back(PD(i.measurement->net_g));
                    a_src.push_back(i.measurement->tare_source);
                } else {
                    a_g.push_back(Param());
                    a_t.push_back(Param());
                    a_n.push_back(Param());
                    a_src.push_back(Param());
                }
                a_hash.push_back(row.content_hash);
                a_applied.push_back(row.weight_applied ? "t" : "f");
                a_res.push_back(std::to_string(row.resulting_weight_g));
                a_occ.push_back(iso8601_utc_ms(row.occurred_ms));
            }
            auto ins = c->query(
                std::string("INSERT INTO inventory_transactions(id, tenant_id, spool_id, transaction_type, quantity_grams, reference_type, "
                "notes, client_id, device_id, device_seq, device_time, device_quantity_grams, measured_gross_g, measured_tare_g, "
                "measured_net_g, tare_source, content_hash, weight_applied, resulting_weight_g, occurred_at) "
                "SELECT u.id, $1, u.spool, u.type, u.qty, 'station', u.notes, u.cid, $2, u.seq, u.dtime, u.dq, u.g, u.t, u.n, "
                "u.src, u.hash, u.applied, u.res, u.occ FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::int[], $7::text[], "
                "$8::uuid[], $9::bigint[], $10::timestamptz[], $11::int[], $12::numeric[], $13::numeric[], $14::numeric[], "
                "$15::text[], $16::text[], $17::bool[], $18::int[], $19::timestamptz[]) AS u(id, spool, type, qty, notes, cid, "
                "seq, dtime, dq, g, t, n, src, hash, applied, res, occ)") +
                    (optimistic ? " ON CONFLICT (tenant_id, client_id) DO NOTHING" : ""),
                {P(dev.tenant_id), P(dev.device_id), P(pg::array_literal(a_id)), P(pg::array_literal(a_spool)),
                 P(pg::array_literal(a_type)), P(pg::array_literal(a_qty)), P(pg::array_literal(a_notes)),
                 P(pg::array_literal(a_cid)), P(pg::array_literal(a_seq)), P(pg::array_literal(a_time)),
                 P(pg::array_literal(a_dq)), P(pg::array_literal(a_g)), P(pg::array_literal(a_t)),
                 P(pg::array_literal(a_n)), P(pg::array_literal(a_src)), P(pg::array_literal(a_hash)),
                 P(pg::array_literal(a_applied)), P(pg::array_literal(a_res)), P(pg::array_literal(a_occ))});
            return ins.affected();
        };
        const auto spools_before = spools;
        const auto last_seq_before = last_seq;
        const BatchClock clock = batch_clock(batch, now_epoch_ms());
        BatchPlan plan = plan_batch(dev.device_id, batch.items, spools, existing, last_seq, clock);
        c->exec("SAVEPOINT optimistic");
        if (!plan.rows.empty() && insert_rows(plan, true) != static_cast<long long>(plan.rows.size())) {
            c->exec("ROLLBACK TO SAVEPOINT optimistic");
            spools = spools_before;
            last_seq = last_seq_before;
            auto ex = c->query("SELECT client_id, id, content_hash FROM inventory_transactions WHERE tenant_id = $1 AND "
                               "client_id = ANY($2::uuid[])",
                               {P(dev.tenant_id), P(client_arr)});
            for (int i = 0; i < ex.rows(); ++i) existing[ex.text(i, 0)] = PlanExisting{ex.text(i, 1), ex.text(i, 2)};
            plan = plan_batch(dev.device_id, batch.items, spools, existing, last_seq, clock);
            if (!plan.rows.empty()) insert_rows(plan, false);
        }
        {
            std::vector<Param> u_id, u_w, u_lw_at, u_lw_dev;
            for (const auto& [id, s] : spools) {
                if (!s.changed) continue;
                u_id.push_back(id);
                u_w.push_back(std::to_string(s.current_weight_g));
                u_lw_at.push_back(s.last_weighing_ms ? Param(iso8601_utc_ms(*s.last_weighing_ms)) : Param());
                u_lw_dev.push_back(s.last_weighing_device.empty() ? Param() : Param(s.last_weighing_device));
            }
            if (!u_id.empty()) {
                // One counter bump for the whole batch: reserve u_id.size() change numbers, one per spool.
                const long long last = c->query("SELECT bump_catalog_seq_by($1, $2)", {P(dev.tenant_id), PI(static_cast<long long>(u_id.size()))}).i64(0, 0);
                std::vector<Param> u_seq;
                for (size_t k = 0; k < u_id.size(); ++k) u_seq.push_back(std::to_string(last - static_cast<long long>(u_id.size()) + 1 + static_cast<long long>(k)));
                c->query("UPDATE spools s SET current_weight_g = u.w, change_seq = u.seq, last_weighing_at = u.lw_at, "
                         "last_weighing_device_id = u.lw_dev FROM unnest($2::uuid[], $3::int[], $4::bigint[], "
                         "$5::timestamptz[], $6::uuid[]) AS u(id, w, seq, lw_at, lw_dev) WHERE s.tenant_id = $1 AND s.id = u.id",
                         {P(dev.tenant_id), P(pg::array_literal(u_id)), P(pg::array_literal(u_w)), P(pg::array_literal(u_seq)),
                          P(pg::array_literal(u_lw_at)), P(pg::array_literal(u_lw_dev))});
            }
        }
        c->query("UPDATE devices SET last_seen_at = NOW() WHERE tenant_id = $1 AND id = $2", {P(dev.tenant_id), P(dev.device_id)});
        tx.commit();
        return wire::TxBatchResponse{std::move(plan.results)};
    }

    std::vector<Spool> active_spools(const std::string& tenant_id) override {
        auto c = pool_.get();
        pg::Tx tx(*c, "BEGIN READ ONLY");
        set_tenant(*c, tenant_id);
        auto r = c->query(std::string("SELECT ") + kSpoolCols + " FROM spools s LEFT JOIN material_types mt ON "
                              "mt.id = s.material_type_id WHERE s.tenant_id = $1 AND s.is_active ORDER BY s.spool_id",
                          {P(tenant_id)});
        std::vector<Spool> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(read_spool(r, i));
        tx.commit();
        return out;
    }

    std::optional<Spool> get_spool_in(pg::Conn& c, const std::string& tenant_id, const std::string& id) {
        auto r = c.query(std::string("SELECT ") + kSpoolCols + " FROM spools s LEFT JOIN material_types mt ON "
                             "mt.id = s.material_type_id WHERE s.tenant_id = $1 AND s.id = $2",
                         {P(tenant_id), P(id)});
        if (r.rows() == 0) return std::nullopt;
        return read_spool(r, 0);
    }

    std::optional<Spool> get_spool(const std::string& tenant_id, const std::string& spool_uuid) override {
        const std::string id = normalize_uuid(spool_uuid);
        if (id.empty()) return std::nullopt;
        auto c = pool_.get();
        pg::Tx tx(*c, "BEGIN READ ONLY");
        set_tenant(*c, tenant_id);
        auto s = get_spool_in(*c, tenant_id, id);
        tx.commit();
        return s;
    }

    std::vector<TxRecord> spool_transactions(const std::string& tenant_id, const std::string& spool_uuid, int limit) override {
        const std::string id = normalize_uuid(spool_uuid);
        std::vector<TxRecord> out;
        if (id.empty()) return out;
        auto c = pool_.get();
        pg::Tx tx(*c, "BEGIN READ ONLY");
        set_tenant(*c, tenant_id);
        auto r = c->query("SELECT id, tenant_id, spool_id, transaction_type, quantity_grams, reference_type, reference_id, "
                          "user_id, notes, iso_utc(created_at), client_id, device_id, device_seq, iso_utc(device_time), "
                          "measured_gross_g, measured_tare_g, measured_net_g, tare_source, weight_applied, resulting_weight_g, "
                          "iso_utc(occurred_at) FROM inventory_transactions WHERE tenant_id = $1 AND spool_id = $2 "
                          "ORDER BY created_at DESC, id DESC LIMIT $3",
                          {P(tenant_id), P(id), PI(std::clamp(limit, 1, 500))});
        for (int i = 0; i < r.rows(); ++i) {
            TxRecord t;
            t.tx.id = r.text(i, 0);
            t.tx.tenant_id = r.text(i, 1);
            t.tx.spool_id = r.text(i, 2);
            t.tx.type = transaction_type_from_string(r.text(i, 3)).value_or(TransactionType::Adjustment);
            t.tx.quantity_grams = r.i32(i, 4);
            t.tx.reference_type = r.text(i, 5);
            t.tx.reference_id = r.text(i, 6);
            t.tx.user_id = r.text(i, 7);
            t.tx.notes = r.text(i, 8);
            t.tx.created_at = r.text(i, 9);
            t.client_id = r.text(i, 10);
            t.device_id = r.text(i, 11);
            if (!r.null(i, 12)) t.device_seq = r.i64(i, 12);
            t.device_time = r.text(i, 13);
            if (!r.null(i, 16)) t.measurement = wire::WireMeasurement{r.f64(i, 14), r.f64(i, 15), r.text(i, 17), r.f64(i, 16)};
            t.weight_applied = r.boolean(i, 18);
            t.resulting_weight_g = r.opt_i32(i, 19);
            t.occurred_at = r.text(i, 20);
            out.push_back(std::move(t));
        }
        tx.commit();
        return out;
    }

    std::vector<ReorderSetting> reorder_settings(const std::string& tenant_id) override {
        auto c = pool_.get();
        pg::Tx tx(*c, "BEGIN READ ONLY");
        set_tenant(*c, tenant_id);
        auto r = c->query(std::string("SELECT ") + kReorderCols + " FROM reorder_settings r LEFT JOIN material_types mt ON "
                              "mt.id = r.material_type_id WHERE r.tenant_id = $1 ORDER BY mt.name, r.color, r.brand",
                          {P(tenant_id)});
        std::vector<ReorderSetting> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(read_reorder(r, i));
        tx.commit();
        return out;
    }

    Pool pool_;
};

}  // namespace

std::unique_ptr<Store> make_postgres_store(const std::string& conninfo, int pool_size) {
    return std::make_unique<PgStore>(conninfo, pool_size);
}

}  // namespace batchivo::central
