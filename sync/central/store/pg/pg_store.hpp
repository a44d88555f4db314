// Internal to central's PostgreSQL store: the class, its connection pool and row helpers, shared by the files that
// implement it by concern (pg_store.cpp: migrations; pg_admin_store.cpp, pg_auth_store.cpp, pg_station_store.cpp).
// Every tenant-scoped operation runs in a transaction that first sets app.current_tenant_id with
// set_config(..., true) (transaction-local), so forced RLS policies scope every statement; queries also filter by
// tenant_id explicitly (defence in depth, and it lets the owner role, which bypasses RLS, run the same code for the
// admin CLI). Thread-safe: each call leases its own connection.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <set>

#include "sync/central/apply/batch_plan.hpp"
#include "sync/central/apply/cursor.hpp"
#include "sync/central/common/secrets.hpp"
#include "sync/central/store/catalog_version.hpp"
#include "sync/central/store/pg/pg.hpp"
#include "sync/central/store/store.hpp"
#include "sync/domain/stock.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"

namespace batchivo::central::pg_impl {

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

    PoolUse use() {
        std::lock_guard lk(mu_);
        return PoolUse{open_ - static_cast<int>(idle_.size()), open_, max_};
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

inline Param P(const std::string& s) { return s; }
inline Param PN(const std::string& s) { return s.empty() ? Param() : Param(s); }
template <class T>
inline Param PI(const std::optional<T>& v) {
    return v ? Param(std::to_string(*v)) : Param();
}
inline Param PI(long long v) { return std::to_string(v); }
inline Param PD(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return std::string(buf);
}

inline void set_tenant(pg::Conn& c, const std::string& tenant_id) {
    c.query("SELECT set_config('app.current_tenant_id', $1, true)", {P(tenant_id)});
}

constexpr const char* kSpoolCols =
    "s.id, s.tenant_id, s.spool_id, s.material_type_id, mt.name, s.brand, s.color, s.color_hex, s.finish_type, "
    "s.purchase_date::text, s.purchase_cost, s.supplier, s.supplier_id, s.initial_weight_g, s.current_weight_g, "
    "s.empty_spool_weight_g, s.lead_time_days, s.storage_location, s.notes, s.qr_code_data, s.is_active, "
    "iso_utc(s.created_at), iso_utc(s.updated_at), s.change_seq";

inline Spool read_spool(const pg::Result& r, int i) {
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

inline ReorderSetting read_reorder(const pg::Result& r, int i) {
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

inline StoreError input_error(const std::string& what, const pg::Error& e) {
    return StoreError("invalid_input", what + ": " + e.what());
}

class PgStore final : public Store, public CatalogVersionSource {
public:
    PgStore(const std::string& conninfo, int pool) : pool_(conninfo, pool) {}
    std::optional<PoolUse> pool_use() override { return pool_.use(); }
    std::string backend() const override { return "postgresql"; }
    int migrate_with(const std::vector<Migration>& migrations) override;
    int schema_version() override;
    Tenant create_tenant(const std::string& slug, const std::string& name) override;
    std::vector<Tenant> list_tenants() override;
    std::optional<Tenant> find_tenant(const std::string& key) override;
    std::string add_user(const std::string& tenant_id, const std::string& email, const std::string& name,
                         const std::string& role) override;
    std::string material_id(pg::Conn& c, const std::string& name);
    Spool upsert_spool(const std::string& tenant_id, const Spool& in) override;
    std::vector<Spool> import_spools(const std::string& tenant_id, const std::vector<Spool>& spools) override;
    // Inserts or updates one spool inside the caller's transaction (tenant already set).
    Spool upsert_spool_in_tx(pg::Conn& conn, const std::string& tenant_id, const Spool& in);
    bool delete_spool(const std::string& tenant_id, const std::string& spool_uuid) override;
    ReorderSetting set_reorder(const std::string& tenant_id, const ReorderSetting& in) override;
    bool delete_reorder(const std::string& tenant_id, const std::string& id) override;
    std::vector<MaterialType> materials() override;
    static std::vector<MaterialType> materials_since(pg::Conn& c, int64_t seq);
    void add_history(const std::string& tenant_id, const std::string& spool_uuid, TransactionType type, int grams,
                     const std::string& notes, const std::string& created_at) override;
    PairingCode create_pairing_code(const std::string& tenant_id, const std::string& station_name, int ttl) override;
    std::vector<DeviceInfo> list_devices(const std::string& tenant_id) override;
    bool revoke_device(const std::string& tenant_id, const std::string& device_id) override;
    wire::PairResponse redeem_pairing(const std::string& code, const std::string& device_name) override;
    std::optional<DeviceAuth> authenticate(const std::string& token) override;
    wire::CatalogDelta catalog(const std::string& tenant_id, const std::string& since, int limit) override;
    Cursor catalog_version(const std::string& tenant_id) override;
    wire::TxBatchResponse apply_batch(const DeviceAuth& dev, const wire::TxBatch& batch) override;
    wire::TxBatchResponse apply_batch_once(const DeviceAuth& dev, const wire::TxBatch& batch);
    std::vector<Spool> active_spools(const std::string& tenant_id) override;
    std::optional<Spool> get_spool_in(pg::Conn& c, const std::string& tenant_id, const std::string& id);
    std::optional<Spool> get_spool(const std::string& tenant_id, const std::string& spool_uuid) override;
    std::vector<TxRecord> spool_transactions(const std::string& tenant_id, const std::string& spool_uuid, int limit) override;
    std::vector<ReorderSetting> reorder_settings(const std::string& tenant_id) override;
    // intake (pg_intake_store.cpp)
    Supplier add_supplier(const std::string& tenant_id, const Supplier& s) override;
    std::vector<Supplier> list_suppliers(const std::string& tenant_id) override;
    std::vector<PurchaseSummary> add_purchases(const std::string& tenant_id, const std::vector<NewPurchase>& p) override;
    std::vector<PurchaseSummary> list_purchases(const std::string& tenant_id, bool open_only) override;
    static std::vector<PurchaseSummary> list_purchases_on(pg::Conn& c, const std::string& tenant_id, bool open_only);
    // The batch endpoint's spool creator, inside its transaction; created_for_line counts this plan's spools per line.
    SpoolCreation create_spool_in_tx(pg::Conn& c, const std::string& tenant_id, const wire::TxItem& item,
                                     std::map<std::string, int>& created_for_line);
    static void finish_purchases_in_tx(pg::Conn& c, const std::string& tenant_id, const std::set<std::string>& lines);
    // Products and labels (pg_product_store.cpp).
    std::vector<Product> products(const std::string& tenant_id, bool include_inactive = false) override;
    static std::vector<Product> products_in(pg::Conn& c, const std::string& tenant_id, bool include_inactive);
    std::vector<Product> save_products(const std::string& tenant_id, const std::vector<Product>& ps, bool replace) override;
    Product add_component(const std::string& tenant_id, const std::string& sku, const ProductComponent& c) override;
    std::vector<Spool> unlabeled_spools(const std::string& tenant_id) override;
    int mark_labeled(const std::string& tenant_id, const std::vector<std::pair<std::string, std::string>>& v) override;
    Pool pool_;
};

}  // namespace batchivo::central::pg_impl
