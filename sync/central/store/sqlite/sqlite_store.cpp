// SQLite implementation of the central store: the same tables as PostgreSQL without RLS; every query is scoped by
// tenant_id explicitly. One connection guarded by a mutex (SQLite serialises writers anyway).
#include <mutex>

#include "sync/central/store.hpp"
#include "sync/central/util.hpp"
#include "sync/domain/stock.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/store/catalog_rows.hpp"
#include "sync/store/sqlite.hpp"

namespace batchivo::central {

namespace {

constexpr const char* kSpoolCols =
    "s.id, s.tenant_id, s.spool_id, s.material_type_id, mt.name, s.brand, s.color, s.color_hex, s.finish_type, "
    "s.purchase_date, s.purchase_cost, s.supplier, s.supplier_id, s.initial_weight_g, s.current_weight_g, "
    "s.empty_spool_weight_g, s.lead_time_days, s.storage_location, s.notes, s.qr_code_data, s.is_active, "
    "s.created_at, s.updated_at, s.change_seq";

Spool read_spool(sql::Stmt& st) { return sql::read_spool_row(st); }

constexpr const char* kReorderCols =
    "r.id, r.tenant_id, r.material_type_id, mt.name, r.color, r.brand, r.avg_daily_usage_grams, r.lead_time_days, "
    "r.safety_stock_days, r.reorder_point_grams, r.reorder_quantity_grams, r.last_calculated_at, r.updated_at, r.change_seq";

ReorderSetting read_reorder(sql::Stmt& st) { return sql::read_reorder_row(st); }

Tenant read_tenant(sql::Stmt& st) { return Tenant{st.text(0), st.text(1), st.text(2), st.i64(3) != 0}; }

class SqliteStore final : public Store {
public:
    explicit SqliteStore(const std::string& path) : db_(path) {
        db_.exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
        db_.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))");
    }
    std::string backend() const override { return "sqlite"; }

    int migrate_with(const std::vector<Migration>& migrations) override {
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

    int schema_version() override {
        std::lock_guard lk(mu_);
        return static_cast<int>(db_.query_int("SELECT coalesce(max(version), 0) FROM schema_migrations").value_or(0));
    }

    Tenant create_tenant(const std::string& slug, const std::string& name) override {
        std::lock_guard lk(mu_);
        Tenant t{new_uuid_v7(), name, slug, true};
        try {
            sql::Stmt st(db_, "INSERT INTO tenants(id, name, slug) VALUES (?, ?, ?)");
            st.bind(1, t.id).bind(2, name).bind(3, slug).run();
        } catch (const sql::Error& e) {
            throw StoreError("invalid_input", std::string("cannot create tenant: ") + e.what());
        }
        return t;
    }

    std::vector<Tenant> list_tenants() override {
        std::lock_guard lk(mu_);
        std::vector<Tenant> out;
        sql::Stmt st(db_, "SELECT id, name, slug, is_active FROM tenants ORDER BY slug");
        while (st.step()) out.push_back(read_tenant(st));
        return out;
    }

    std::optional<Tenant> find_tenant(const std::string& key) override {
        std::lock_guard lk(mu_);
        sql::Stmt st(db_, "SELECT id, name, slug, is_active FROM tenants WHERE slug = ? OR id = ?");
        st.bind(1, key).bind(2, normalize_uuid(key));
        if (!st.step()) return std::nullopt;
        return read_tenant(st);
    }

    std::string add_user(const std::string& tenant_id, const std::string& email, const std::string& name,
                         const std::string& role) override {
        std::lock_guard lk(mu_);
        sql::Transaction tx(db_);
        std::string uid;
        {
            sql::Stmt f(db_, "SELECT id FROM users WHERE email = ?");
            f.bind(1, email);
            if (f.step()) uid = f.text(0);
        }
        try {
            if (uid.empty()) {
                uid = new_uuid_v7();
                sql::Stmt st(db_, "INSERT INTO users(id, email, name) VALUES (?, ?, ?)");
                st.bind(1, uid).bind(2, email).bind_text_or_null(3, name).run();
            }
            sql::Stmt m(db_, "INSERT INTO user_tenants(id, user_id, tenant_id, role) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT(user_id, tenant_id) DO UPDATE SET role = excluded.role");
            m.bind(1, new_uuid_v7()).bind(2, uid).bind(3, tenant_id).bind(4, role).run();
        } catch (const sql::Error& e) {
            throw StoreError("invalid_input", std::string("cannot add user: ") + e.what());
        }
        tx.commit();
        return uid;
    }

    std::string material_id(const std::string& name) {
        if (name.empty()) return {};
        sql::Stmt st(db_, "SELECT id FROM material_types WHERE lower(name) = lower(?)");
        st.bind(1, name);
        if (!st.step()) throw StoreError("invalid_input", "unknown material type '" + name + "'");
        return st.text(0);
    }

    Spool upsert_spool(const std::string& tenant_id, const Spool& in) override {
        std::lock_guard lk(mu_);
        sql::Transaction tx(db_);
        const std::string id = upsert_spool_in_tx(tenant_id, in);
        tx.commit();
        auto out = get_spool_locked(tenant_id, id);
        return *out;
    }

    std::vector<Spool> import_spools(const std::string& tenant_id, const std::vector<Spool>& spools) override {
        require_distinct_spool_ids(spools);
        std::lock_guard lk(mu_);
        sql::Transaction tx(db_);  // rolled back by its destructor when a row throws
        std::vector<std::string> ids;
        ids.reserve(spools.size());
        for (const auto& s : spools) ids.push_back(upsert_spool_in_tx(tenant_id, s));
        std::vector<Spool> out;
        out.reserve(ids.size());
        for (const auto& id : ids) out.push_back(*get_spool_locked(tenant_id, id));
        tx.commit();
        return out;
    }

    // Inserts or updates one spool inside the caller's transaction (mu_ held); returns its id.
    std::string upsert_spool_in_tx(const std::string& tenant_id, const Spool& in) {
        Spool s = in;
        if (s.material_type_id.empty()) s.material_type_id = material_id(s.material_name);
        std::string id;
        {
            sql::Stmt f(db_, "SELECT id FROM spools WHERE tenant_id = ? AND spool_id = ?");
            f.bind(1, tenant_id).bind(2, s.spool_id);
            if (f.step()) id = f.text(0);
        }
        try {
            if (id.empty()) {
                id = s.id.empty() ? new_uuid_v7() : normalize_uuid(s.id);
                sql::Stmt st(db_, "INSERT INTO spools(id, tenant_id, spool_id, material_type_id, brand, color, color_hex, "
                                  "finish_type, purchase_date, purchase_cost, supplier, initial_weight_g, current_weight_g, "
                                  "empty_spool_weight_g, lead_time_days, storage_location, notes, qr_code_data, is_active) "
                                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
                bind_spool(st, id, tenant_id, s);
                st.run();
            } else {
                sql::Stmt st(db_, "UPDATE spools SET id = ?, tenant_id = ?, spool_id = ?, material_type_id = ?, brand = ?, "
                                  "color = ?, color_hex = ?, finish_type = ?, purchase_date = ?, purchase_cost = ?, "
                                  "supplier = ?, initial_weight_g = ?, current_weight_g = ?, empty_spool_weight_g = ?, "
                                  "lead_time_days = ?, storage_location = ?, notes = ?, qr_code_data = ?, is_active = ? "
                                  "WHERE id = ?1 AND tenant_id = ?2");
                bind_spool(st, id, tenant_id, s);
                st.run();
            }
        } catch (const sql::Error& e) {
            throw StoreError("invalid_input", std::string("cannot save spool ") + s.spool_id + ": " + e.what());
        }
        return id;
    }

    static void bind_spool(sql::Stmt& st, const std::string& id, const std::string& tenant_id, const Spool& s) {
        st.bind(1, id).bind(2, tenant_id).bind(3, s.spool_id).bind_text_or_null(4, s.material_type_id);
        st.bind_text_or_null(5, s.brand).bind_text_or_null(6, s.color).bind_text_or_null(7, s.color_hex);
        st.bind_text_or_null(8, s.finish_type).bind_text_or_null(9, s.purchase_date).bind(10, s.purchase_cost);
        st.bind_text_or_null(11, s.supplier).bind(12, s.initial_weight_g).bind(13, s.current_weight_g);
        st.bind(14, s.empty_spool_weight_g).bind(15, s.lead_time_days).bind_text_or_null(16, s.storage_location);
        st.bind_text_or_null(17, s.notes).bind_text_or_null(18, s.qr_code_data).bind(19, s.is_active);
    }

    bool delete_spool(const std::string& tenant_id, const std::string& spool_uuid) override {
        std::lock_guard lk(mu_);
        sql::Stmt st(db_, "DELETE FROM spools WHERE tenant_id = ? AND id = ?");
        st.bind(1, tenant_id).bind(2, normalize_uuid(spool_uuid)).run();
        return db_.changes() > 0;
    }

    ReorderSetting set_reorder(const std::string& tenant_id, const ReorderSetting& in) override {
        std::lock_guard lk(mu_);
        sql::Transaction tx(db_);
        ReorderSetting r = in;
        if (r.material_type_id.empty()) r.material_type_id = material_id(r.material_name);
        std::string id;
        {
            sql::Stmt f(db_, "SELECT id FROM reorder_settings WHERE tenant_id = ? AND ifnull(material_type_id,'') = ? "
                             "AND ifnull(color,'') = ? AND ifnull(brand,'') = ?");
            f.bind(1, tenant_id).bind(2, r.material_type_id).bind(3, r.color).bind(4, r.brand);
            if (f.step()) id = f.text(0);
        }
        const bool insert = id.empty();
        if (insert) id = new_uuid_v7();
        sql::Stmt st(db_, insert ? "INSERT INTO reorder_settings(id, tenant_id, material_type_id, color, brand, avg_daily_usage_grams, "
                                   "lead_time_days, safety_stock_days, reorder_point_grams, reorder_quantity_grams, last_calculated_at) "
                                   "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"
                                 : "UPDATE reorder_settings SET material_type_id=?3, color=?4, brand=?5, avg_daily_usage_grams=?6, "
                                   "lead_time_days=?7, safety_stock_days=?8, reorder_point_grams=?9, reorder_quantity_grams=?10, "
                                   "last_calculated_at=?11 WHERE id=?1 AND tenant_id=?2");
        st.bind(1, id).bind(2, tenant_id).bind_text_or_null(3, r.material_type_id).bind_text_or_null(4, r.color);
        st.bind_text_or_null(5, r.brand).bind(6, r.avg_daily_usage_grams).bind(7, r.lead_time_days);
        st.bind(8, r.safety_stock_days).bind(9, r.reorder_point_grams).bind(10, r.reorder_quantity_grams);
        st.bind_text_or_null(11, r.last_calculated_at);
        try {
            st.run();
        } catch (const sql::Error& e) {
            throw StoreError("invalid_input", std::string("cannot save reorder setting: ") + e.what());
        }
        tx.commit();
        sql::Stmt g(db_, std::string("SELECT ") + kReorderCols +
                             " FROM reorder_settings r LEFT JOIN material_types mt ON mt.id = r.material_type_id WHERE r.id = ?");
        g.bind(1, id);
        g.step();
        return read_reorder(g);
    }

    bool delete_reorder(const std::string& tenant_id, const std::string& id) override {
        std::lock_guard lk(mu_);
        sql::Stmt st(db_, "DELETE FROM reorder_settings WHERE tenant_id = ? AND id = ?");
        st.bind(1, tenant_id).bind(2, normalize_uuid(id)).run();
        return db_.changes() > 0;
    }

    std::vector<MaterialType> materials() override {
        std::lock_guard lk(mu_);
        return materials_since(0);
    }

    std::vector<MaterialType> materials_since(int64_t seq) {
        std::vector<MaterialType> out;
        sql::Stmt st(db_, "SELECT id, name, ifnull(properties, '{}') FROM material_types WHERE change_seq > ? ORDER BY name");
        st.bind(1, seq);
        while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2)});
        return out;
    }

    void add_history(const std::string& tenant_id, const std::string& spool_uuid, TransactionType type, int grams,
                     const std::string& notes, const std::string& created_at) override {
        std::lock_guard lk(mu_);
        sql::Stmt st(db_, "INSERT INTO inventory_transactions(id, tenant_id, spool_id, transaction_type, quantity_grams, "
                          "reference_type, notes, created_at) SELECT ?, tenant_id, id, ?, ?, 'manual', ?, ? FROM spools "
                          "WHERE tenant_id = ? AND id = ?");
        st.bind(1, new_uuid_v7()).bind(2, std::string(to_string(type))).bind(3, grams).bind_text_or_null(4, notes);
        st.bind(5, created_at).bind(6, tenant_id).bind(7, normalize_uuid(spool_uuid)).run();
        if (db_.changes() == 0) throw StoreError("not_found", "no such spool in this tenant");
    }

    PairingCode create_pairing_code(const std::string& tenant_id, const std::string& station_name, int ttl) override {
        std::lock_guard lk(mu_);
        PairingCode pc{new_pairing_code(), tenant_id, station_name, iso8601_utc_ms(now_epoch_ms() + ttl * 1000LL)};
        sql::Stmt st(db_, "INSERT INTO pairing_codes(id, tenant_id, code_hash, station_name, expires_at) VALUES (?,?,?,?,?)");
        st.bind(1, new_uuid_v7()).bind(2, tenant_id).bind(3, sha256_hex(pc.code)).bind(4, station_name).bind(5, pc.expires_at);
        try {
            st.run();
        } catch (const sql::Error& e) {
            throw StoreError("invalid_input", std::string("cannot create pairing code: ") + e.what());
        }
        return pc;
    }

    std::vector<DeviceInfo> list_devices(const std::string& tenant_id) override {
        std::lock_guard lk(mu_);
        std::vector<DeviceInfo> out;
        sql::Stmt st(db_, "SELECT id, tenant_id, name, created_at, last_seen_at, revoked_at FROM devices WHERE tenant_id = ? "
                          "ORDER BY created_at");
        st.bind(1, tenant_id);
        while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)});
        return out;
    }

    bool revoke_device(const std::string& tenant_id, const std::string& device_id) override {
        std::lock_guard lk(mu_);
        sql::Stmt st(db_, "UPDATE devices SET revoked_at = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL");
        st.bind(1, iso8601_utc_ms(now_epoch_ms())).bind(2, tenant_id).bind(3, normalize_uuid(device_id)).run();
        return db_.changes() > 0;
    }

    wire::PairResponse redeem_pairing(const std::string& code, const std::string& device_name) override {
        std::lock_guard lk(mu_);
        sql::Transaction tx(db_);
        sql::Stmt f(db_, "SELECT p.id, p.tenant_id, p.station_name, t.slug, t.name FROM pairing_codes p JOIN tenants t ON "
                         "t.id = p.tenant_id WHERE p.code_hash = ? AND p.used_at IS NULL AND p.expires_at > ? AND t.is_active = 1");
        f.bind(1, sha256_hex(normalize_pairing_code(code))).bind(2, iso8601_utc_ms(now_epoch_ms()));
        if (!f.step()) throw StoreError("invalid_pairing_code", "the pairing code is unknown, already used or expired");
        wire::PairResponse r;
        const std::string code_id = f.text(0);
        r.tenant_id = f.text(1);
        r.station_name = f.text(2);
        r.tenant_slug = f.text(3);
        r.tenant_name = f.text(4);
        r.device_id = new_uuid_v7();
        r.token = new_device_token();
        const std::string name = device_name.empty() ? r.station_name : r.station_name + " (" + device_name + ")";
        sql::Stmt d(db_, "INSERT INTO devices(id, tenant_id, name, token_hash, last_seen_at) VALUES (?,?,?,?,?)");
        d.bind(1, r.device_id).bind(2, r.tenant_id).bind(3, name).bind(4, sha256_hex(r.token)).bind(5, iso8601_utc_ms(now_epoch_ms())).run();
        sql::Stmt u(db_, "UPDATE pairing_codes SET used_at = ?, device_id = ? WHERE id = ?");
        u.bind(1, iso8601_utc_ms(now_epoch_ms())).bind(2, r.device_id).bind(3, code_id).run();
        tx.commit();
        return r;
    }

    std::optional<DeviceAuth> authenticate(const std::string& token) override {
        std::lock_guard lk(mu_);
        sql::Stmt st(db_, "SELECT d.id, d.tenant_id, t.slug, d.name FROM devices d JOIN tenants t ON t.id = d.tenant_id "
                          "WHERE d.token_hash = ? AND d.revoked_at IS NULL AND t.is_active = 1");
        st.bind(1, sha256_hex(token));
        if (!st.step()) return std::nullopt;
        return DeviceAuth{st.text(0), st.text(1), st.text(2), st.text(3)};
    }

    wire::CatalogDelta catalog(const std::string& tenant_id, const std::string& since, int limit) override {
        auto cur = parse_cursor(since);
        if (!cur) throw StoreError("invalid_cursor", "the 'since' cursor is not one this server issued");
        limit = std::clamp(limit, 1, wire::kMaxCatalogPage);
        std::lock_guard lk(mu_);
        sql::Transaction tx(db_, false);  // one consistent snapshot
        struct Entry {
            int64_t seq;
            int kind;  // 0 spool, 1 reorder, 2 tombstone
            size_t idx;
        };
        std::vector<Entry> entries;
        std::vector<Spool> spools;
        std::vector<ReorderSetting> rs;
        std::vector<std::pair<std::string, std::string>> tombs;
        {
            sql::Stmt st(db_, std::string("SELECT ") + kSpoolCols + " FROM spools s LEFT JOIN material_types mt ON "
                              "mt.id = s.material_type_id WHERE s.tenant_id = ? AND s.change_seq > ? ORDER BY s.change_seq LIMIT ?");
            st.bind(1, tenant_id).bind(2, cur->tenant_seq).bind(3, limit + 1);
            while (st.step()) {
                entries.push_back({st.i64(23), 0, spools.size()});
                spools.push_back(read_spool(st));
            }
        }
        {
            sql::Stmt st(db_, std::string("SELECT ") + kReorderCols + " FROM reorder_settings r LEFT JOIN material_types mt ON "
                              "mt.id = r.material_type_id WHERE r.tenant_id = ? AND r.change_seq > ? ORDER BY r.change_seq LIMIT ?");
            st.bind(1, tenant_id).bind(2, cur->tenant_seq).bind(3, limit + 1);
            while (st.step()) {
                entries.push_back({st.i64(13), 1, rs.size()});
                rs.push_back(read_reorder(st));
            }
        }
        {
            sql::Stmt st(db_, "SELECT kind, object_id, change_seq FROM catalog_tombstones WHERE tenant_id = ? AND change_seq > ? "
                              "ORDER BY change_seq LIMIT ?");
            st.bind(1, tenant_id).bind(2, cur->tenant_seq).bind(3, limit + 1);
            while (st.step()) {
                entries.push_back({st.i64(2), 2, tombs.size()});
                tombs.emplace_back(st.text(0), st.text(1));
            }
        }
        wire::CatalogDelta d;
        Cursor next = *cur;
        {
            sql::Stmt st(db_, "SELECT coalesce(max(change_seq), 0) FROM material_types");
            st.step();
            next.material_seq = st.i64(0);
            d.material_types = materials_since(cur->material_seq);
        }
        std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.seq < b.seq; });
        d.has_more = entries.size() > static_cast<size_t>(limit);
        if (d.has_more) entries.resize(static_cast<size_t>(limit));
        for (const auto& e : entries) {
            next.tenant_seq = std::max(next.tenant_seq, e.seq);
            if (e.kind == 0) d.spools.push_back({spools[e.idx], stock_info(spools[e.idx])});
            else if (e.kind == 1) d.reorder_settings.push_back(rs[e.idx]);
            else if (tombs[e.idx].first == "spool") d.deleted_spools.push_back(tombs[e.idx].second);
            else d.deleted_reorder_settings.push_back(tombs[e.idx].second);
        }
        if (!d.has_more) {
            sql::Stmt st(db_, "SELECT seq FROM catalog_counters WHERE tenant_id = ?");
            st.bind(1, tenant_id);
            if (st.step()) next.tenant_seq = std::max(next.tenant_seq, st.i64(0));
        }
        d.next_cursor = format_cursor(next);
        d.server_time = iso8601_utc_ms(now_epoch_ms());
        tx.commit();
        return d;
    }

    wire::TxBatchResponse apply_batch(const DeviceAuth& dev, const wire::TxBatch& batch) override {
        std::lock_guard lk(mu_);
        sql::Transaction tx(db_);
        std::map<std::string, PlanSpool> spools;
        std::map<std::string, PlanExisting> existing;
        std::map<std::string, int64_t> last_seq;
        {
            sql::Stmt sp(db_, "SELECT id, initial_weight_g, current_weight_g, last_weighing_at, last_weighing_device_id "
                              "FROM spools WHERE tenant_id = ? AND id = ?");
            sql::Stmt ex(db_, "SELECT id, content_hash FROM inventory_transactions WHERE tenant_id = ? AND client_id = ?");
            sql::Stmt ls(db_, "SELECT max(device_seq) FROM inventory_transactions WHERE tenant_id = ? AND spool_id = ? AND "
                              "device_id = ? AND measured_net_g IS NOT NULL AND weight_applied = 1");
            for (const auto& it : batch.items) {
                const std::string sid = normalize_uuid(it.spool_uuid);
                if (!sid.empty() && !spools.count(sid)) {
                    sp.reset();
                    sp.bind(1, dev.tenant_id).bind(2, sid);
                    if (sp.step()) {
                        PlanSpool ps{sid, sp.i32(1), sp.i32(2), false};
                        if (!sp.is_null(3)) ps.last_weighing_ms = parse_iso8601_ms(sp.text(3));
                        ps.last_weighing_device = sp.text(4);
                        spools[sid] = std::move(ps);
                        ls.reset();
                        ls.bind(1, dev.tenant_id).bind(2, sid).bind(3, dev.device_id);
                        if (ls.step() && !ls.is_null(0)) last_seq[sid] = ls.i64(0);
                    }
                }
                const std::string cid = normalize_uuid(it.client_id);
                if (!cid.empty() && !existing.count(cid)) {
                    ex.reset();
                    ex.bind(1, dev.tenant_id).bind(2, cid);
                    if (ex.step()) existing[cid] = PlanExisting{ex.text(0), ex.text(1)};
                }
            }
        }
        const int64_t now_ms = now_epoch_ms();
        BatchPlan plan = plan_batch(dev.device_id, batch.items, spools, existing, last_seq, batch_clock(batch, now_ms));
        const std::string now = iso8601_utc_ms(now_ms);
        sql::Stmt ins(db_, "INSERT INTO inventory_transactions(id, tenant_id, spool_id, transaction_type, quantity_grams, "
                           "reference_type, notes, created_at, client_id, device_id, device_seq, device_time, device_quantity_grams, "
                           "measured_gross_g, measured_tare_g, measured_net_g, tare_source, content_hash, weight_applied, "
                           "resulting_weight_g, occurred_at) VALUES (?,?,?,?,?,'station',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        for (const auto& row : plan.rows) {
            const auto& i = *row.item;
            ins.reset();
            ins.bind(1, row.id).bind(2, dev.tenant_id).bind(3, normalize_uuid(i.spool_uuid)).bind(4, i.type);
            ins.bind(5, row.quantity_grams).bind_text_or_null(6, i.notes).bind(7, now).bind(8, normalize_uuid(i.client_id));
            ins.bind(9, dev.device_id).bind(10, i.device_seq).bind(11, iso8601_utc_ms(*parse_iso8601_ms(i.device_time)));
            ins.bind(12, i.quantity_grams);
            if (i.measurement) {
                ins.bind(13, i.measurement->gross_g).bind(14, i.measurement->tare_g).bind(15, i.measurement->net_g);
                ins.bind(16, i.measurement->tare_source);
            } else {
                ins.bind(13, std::nullopt).bind(14, std::nullopt).bind(15, std::nullopt).bind(16, std::nullopt);
            }
            ins.bind(17, row.content_hash).bind(18, row.weight_applied).bind(19, row.resulting_weight_g);
            ins.bind(20, iso8601_utc_ms(row.occurred_ms));
            ins.run();
        }
        sql::Stmt up(db_, "UPDATE spools SET current_weight_g = ?, last_weighing_at = ?, last_weighing_device_id = ? "
                          "WHERE tenant_id = ? AND id = ?");
        for (const auto& [id, s] : spools) {
            if (!s.changed) continue;
            up.reset();
            up.bind(1, s.current_weight_g);
            if (s.last_weighing_ms) up.bind(2, iso8601_utc_ms(*s.last_weighing_ms));
            else up.bind(2, std::nullopt);
            up.bind_text_or_null(3, s.last_weighing_device);
            up.bind(4, dev.tenant_id).bind(5, id).run();
        }
        sql::Stmt seen(db_, "UPDATE devices SET last_seen_at = ? WHERE tenant_id = ? AND id = ?");
        seen.bind(1, now).bind(2, dev.tenant_id).bind(3, dev.device_id).run();
        tx.commit();
        return wire::TxBatchResponse{std::move(plan.results)};
    }

    std::vector<Spool> active_spools(const std::string& tenant_id) override {
        std::lock_guard lk(mu_);
        std::vector<Spool> out;
        sql::Stmt st(db_, std::string("SELECT ") + kSpoolCols + " FROM spools s LEFT JOIN material_types mt ON "
                          "mt.id = s.material_type_id WHERE s.tenant_id = ? AND s.is_active = 1 ORDER BY s.spool_id");
        st.bind(1, tenant_id);
        while (st.step()) out.push_back(read_spool(st));
        return out;
    }

    std::optional<Spool> get_spool_locked(const std::string& tenant_id, const std::string& id) {
        sql::Stmt st(db_, std::string("SELECT ") + kSpoolCols + " FROM spools s LEFT JOIN material_types mt ON "
                          "mt.id = s.material_type_id WHERE s.tenant_id = ? AND s.id = ?");
        st.bind(1, tenant_id).bind(2, normalize_uuid(id));
        if (!st.step()) return std::nullopt;
        return read_spool(st);
    }

    std::optional<Spool> get_spool(const std::string& tenant_id, const std::string& id) override {
        std::lock_guard lk(mu_);
        return get_spool_locked(tenant_id, id);
    }

    std::vector<TxRecord> spool_transactions(const std::string& tenant_id, const std::string& spool_uuid, int limit) override {
        std::lock_guard lk(mu_);
        std::vector<TxRecord> out;
        sql::Stmt st(db_, "SELECT id, tenant_id, spool_id, transaction_type, quantity_grams, reference_type, reference_id, "
                          "user_id, notes, created_at, client_id, device_id, device_seq, device_time, measured_gross_g, "
                          "measured_tare_g, measured_net_g, tare_source, weight_applied, resulting_weight_g, occurred_at "
                          "FROM inventory_transactions WHERE tenant_id = ? AND spool_id = ? ORDER BY created_at DESC, id DESC LIMIT ?");
        st.bind(1, tenant_id).bind(2, normalize_uuid(spool_uuid)).bind(3, std::clamp(limit, 1, 500));
        while (st.step()) {
            TxRecord r;
            r.tx.id = st.text(0);
            r.tx.tenant_id = st.text(1);
            r.tx.spool_id = st.text(2);
            r.tx.type = transaction_type_from_string(st.text(3)).value_or(TransactionType::Adjustment);
            r.tx.quantity_grams = st.i32(4);
            r.tx.reference_type = st.text(5);
            r.tx.reference_id = st.text(6);
            r.tx.user_id = st.text(7);
            r.tx.notes = st.text(8);
            r.tx.created_at = st.text(9);
            r.client_id = st.text(10);
            r.device_id = st.text(11);
            r.device_seq = st.opt_i64(12);
            r.device_time = st.text(13);
            if (!st.is_null(16)) r.measurement = wire::WireMeasurement{st.f64(14), st.f64(15), st.text(17), st.f64(16)};
            r.weight_applied = st.i64(18) != 0;
            if (auto v = st.opt_i64(19)) r.resulting_weight_g = static_cast<int>(*v);
            r.occurred_at = st.text(20);
            out.push_back(std::move(r));
        }
        return out;
    }

    std::vector<ReorderSetting> reorder_settings(const std::string& tenant_id) override {
        std::lock_guard lk(mu_);
        std::vector<ReorderSetting> out;
        sql::Stmt st(db_, std::string("SELECT ") + kReorderCols + " FROM reorder_settings r LEFT JOIN material_types mt ON "
                          "mt.id = r.material_type_id WHERE r.tenant_id = ? ORDER BY mt.name, r.color, r.brand");
        st.bind(1, tenant_id);
        while (st.step()) out.push_back(read_reorder(st));
        return out;
    }

private:
    std::mutex mu_;
    sql::Db db_;
};

}  // namespace

std::unique_ptr<Store> make_sqlite_store(const std::string& path) { return std::make_unique<SqliteStore>(path); }

}  // namespace batchivo::central
