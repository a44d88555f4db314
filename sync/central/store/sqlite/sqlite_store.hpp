// Internal to central's SQLite store: the class and its row helpers, shared by the files that implement it by
// concern (sqlite_store.cpp: opening, migrations; sqlite_admin_store.cpp, sqlite_auth_store.cpp,
// sqlite_station_store.cpp). The same tables as PostgreSQL without RLS; every query is scoped by tenant_id
// explicitly. One connection guarded by a mutex (SQLite serialises writers anyway), so it is thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <set>

#include "sync/central/store/catalog_version.hpp"
#include "sync/central/apply/batch_plan.hpp"
#include "sync/central/apply/cursor.hpp"
#include "sync/central/common/secrets.hpp"
#include "sync/central/store/store.hpp"
#include "sync/domain/stock.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/sqlite/catalog_rows.hpp"
#include "sync/sqlite/sqlite.hpp"

namespace batchivo::central::sqlite_impl {

constexpr const char* kSpoolCols =
    "s.id, s.tenant_id, s.spool_id, s.material_type_id, mt.name, s.brand, s.color, s.color_hex, s.finish_type, "
    "s.purchase_date, s.purchase_cost, s.supplier, s.supplier_id, s.initial_weight_g, s.current_weight_g, "
    "s.empty_spool_weight_g, s.lead_time_days, s.storage_location, s.notes, s.qr_code_data, s.is_active, "
    "s.created_at, s.updated_at, s.change_seq";

inline Spool read_spool(sql::Stmt& st) { return sql::read_spool_row(st); }

constexpr const char* kReorderCols =
    "r.id, r.tenant_id, r.material_type_id, mt.name, r.color, r.brand, r.avg_daily_usage_grams, r.lead_time_days, "
    "r.safety_stock_days, r.reorder_point_grams, r.reorder_quantity_grams, r.last_calculated_at, r.updated_at, r.change_seq";

inline ReorderSetting read_reorder(sql::Stmt& st) { return sql::read_reorder_row(st); }

inline Tenant read_tenant(sql::Stmt& st) { return Tenant{st.text(0), st.text(1), st.text(2), st.i64(3) != 0}; }

class SqliteStore final : public Store, public CatalogVersionSource {
public:
    explicit SqliteStore(const std::string& path);
    std::string backend() const override { return "sqlite"; }
    int migrate_with(const std::vector<Migration>& migrations) override;
    int schema_version() override;
    Tenant create_tenant(const std::string& slug, const std::string& name) override;
    std::vector<Tenant> list_tenants() override;
    std::optional<Tenant> find_tenant(const std::string& key) override;
    std::string add_user(const std::string& tenant_id, const std::string& email, const std::string& name,
                         const std::string& role) override;
    std::string material_id(const std::string& name);
    Spool upsert_spool(const std::string& tenant_id, const Spool& in) override;
    std::vector<Spool> import_spools(const std::string& tenant_id, const std::vector<Spool>& spools) override;
    // Inserts or updates one spool inside the caller's transaction (mu_ held); returns its id.
    std::string upsert_spool_in_tx(const std::string& tenant_id, const Spool& in);
    static void bind_spool(sql::Stmt& st, const std::string& id, const std::string& tenant_id, const Spool& s);
    bool delete_spool(const std::string& tenant_id, const std::string& spool_uuid) override;
    ReorderSetting set_reorder(const std::string& tenant_id, const ReorderSetting& in) override;
    bool delete_reorder(const std::string& tenant_id, const std::string& id) override;
    std::vector<MaterialType> materials() override;
    std::vector<MaterialType> materials_since(int64_t seq);
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
    std::vector<Spool> active_spools(const std::string& tenant_id) override;
    std::optional<Spool> get_spool_locked(const std::string& tenant_id, const std::string& id);
    std::optional<Spool> get_spool(const std::string& tenant_id, const std::string& id) override;
    std::vector<TxRecord> spool_transactions(const std::string& tenant_id, const std::string& spool_uuid, int limit) override;
    std::vector<ReorderSetting> reorder_settings(const std::string& tenant_id) override;

    // intake (sqlite_intake_store.cpp)
    Supplier add_supplier(const std::string& tenant_id, const Supplier& s) override;
    std::vector<Supplier> list_suppliers(const std::string& tenant_id) override;
    std::vector<PurchaseSummary> add_purchases(const std::string& tenant_id, const std::vector<NewPurchase>& p) override;
    std::vector<PurchaseSummary> list_purchases(const std::string& tenant_id, bool open_only) override;
    std::vector<PurchaseSummary> list_purchases_locked(const std::string& tenant_id, bool open_only);
    // The batch endpoint's spool creator (mu_ held, inside its transaction); created_for_line counts this batch's
    // spools per purchase line.
    SpoolCreation create_spool_in_tx(const std::string& tenant_id, const wire::TxItem& item,
                                     std::map<std::string, int>& created_for_line);
    // Marks the purchases of these lines received when all their lines are in.
    void finish_purchases_in_tx(const std::string& tenant_id, const std::set<std::string>& lines);
    void bump_catalog_in_tx(const std::string& tenant_id);

    // Products and labels (sqlite_product_store.cpp).
    std::vector<Product> products(const std::string& tenant_id, bool include_inactive = false) override;
    std::vector<Product> products_locked(const std::string& tenant_id, bool include_inactive);
    std::vector<Product> save_products(const std::string& tenant_id, const std::vector<Product>& ps, bool replace) override;
    Product add_component(const std::string& tenant_id, const std::string& sku, const ProductComponent& c) override;
    std::vector<Spool> unlabeled_spools(const std::string& tenant_id) override;
    int mark_labeled(const std::string& tenant_id, const std::vector<std::pair<std::string, std::string>>& v) override;
    void bump_catalog_seq(const std::string& tenant_id);
private:
    std::mutex mu_;
    sql::Db db_;
};

}  // namespace batchivo::central::sqlite_impl
