// The station store's intake part: spools created on the station ("spool created" outbox records) and the cached
// open purchases (station_store.hpp has the contract).
#include <cmath>
#include <stdexcept>

#include "sync/domain/text.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/sqlite/sqlite.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo {

OutboxRecord StationStore::create_spool(const NewSpoolRecord& in) {
    if (auto v = validate_new_spool(in.spool); !v) throw std::invalid_argument(v.error().message);
    std::string uuid = in.spool_uuid.empty() ? new_uuid_v7() : normalize_uuid(in.spool_uuid);
    if (uuid.empty()) throw std::invalid_argument("new spool: '" + in.spool_uuid + "' is not a UUID");
    const NewSpool& n = in.spool;

    OutboxRecord r;
    r.id = new_uuid_v7();
    r.device_time_ms = in.device_time_ms.value_or(now_epoch_ms());
    r.spool_uuid = uuid;
    r.spool_label = n.spool_id;
    r.type = TransactionType::Purchase;
    r.quantity_grams = n.initial_weight_g;
    r.notes = in.notes;
    r.updated_ms = now_epoch_ms();
    r.new_spool = n;

    std::lock_guard lk(mu_);
    sql::Transaction tx(*db_);
    {
        sql::Stmt f(*db_, "SELECT 1 FROM spools WHERE id = ?1");
        f.bind(1, uuid);
        if (f.step()) throw std::invalid_argument("new spool: spool " + uuid + " already exists");
    }
    if (!n.spool_id.empty()) {
        sql::Stmt f(*db_, "SELECT 1 FROM spools WHERE spool_id = ?1 COLLATE NOCASE");
        f.bind(1, n.spool_id);
        if (f.step()) throw std::invalid_argument("new spool: spool_id '" + n.spool_id + "' is already used");
    }
    std::string material_type_id, material_name = std::string(trim(n.material));
    {
        sql::Stmt f(*db_, "SELECT id, name FROM material_types WHERE name = ?1 COLLATE NOCASE");
        f.bind(1, material_name);
        if (f.step()) {
            material_type_id = f.text(0);
            material_name = f.text(1);
        }
    }
    std::string tenant_id = in.tenant_id;
    if (tenant_id.empty()) {
        sql::Stmt f(*db_, "SELECT value FROM meta WHERE key = 'tenant_id'");
        if (f.step()) tenant_id = f.text(0);
    }
    r.seq = db_->query_int("SELECT COALESCE(MAX(seq), 0) + 1 FROM transactions").value_or(1);
    {
        sql::Stmt st(*db_, R"SQL(INSERT INTO transactions (seq, id, device_time_ms, spool_uuid, spool_label,
            transaction_type, quantity_grams, notes, state, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, 'purchase', ?6, ?7,
            'pending', ?8))SQL");
        st.bind(1, r.seq).bind(2, r.id).bind(3, r.device_time_ms).bind(4, uuid).bind(5, r.spool_label);
        st.bind(6, r.quantity_grams).bind(7, r.notes).bind(8, r.updated_ms).run();
    }
    {
        sql::Stmt st(*db_, R"SQL(INSERT INTO new_spools (record_id, spool_uuid, spool_id, material, brand, color, color_hex,
            initial_weight_g, empty_spool_weight_g, storage_location, purchase_item_id, gross_g, tare_g, tare_source,
            qr_code_data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15))SQL");
        st.bind(1, r.id).bind(2, uuid).bind(3, n.spool_id).bind(4, n.material).bind(5, n.brand).bind(6, n.color);
        st.bind(7, n.color_hex).bind(8, n.initial_weight_g).bind(9, n.empty_spool_weight_g).bind(10, n.storage_location);
        st.bind(11, normalize_uuid(n.purchase_item_id).empty() ? n.purchase_item_id : normalize_uuid(n.purchase_item_id));
        if (in.measurement) {
            st.bind(12, in.measurement->gross_g).bind(13, in.measurement->tare_g);
            st.bind(14, to_string(in.measurement->tare_source));
        } else {
            st.bind(12, std::nullopt).bind(13, std::nullopt).bind(14, std::nullopt);
        }
        st.bind(15, n.qr_code_data);
        st.run();
    }
    {
        std::string supplier, purchase_date;
        std::optional<double> cost;
        if (!n.purchase_item_id.empty()) {
            sql::Stmt f(*db_, "SELECT supplier, order_date, unit_cost FROM purchase_lines WHERE id = ?1");
            f.bind(1, normalize_uuid(n.purchase_item_id));
            if (f.step()) {
                supplier = f.text(0);
                purchase_date = f.text(1);
                if (!f.is_null(2)) cost = f.f64(2);
            }
        }
        sql::Stmt st(*db_, R"SQL(INSERT INTO spools (id, tenant_id, spool_id, material_type_id, material_name, brand, color,
            color_hex, purchase_date, purchase_cost, supplier, initial_weight_g, current_weight_g, empty_spool_weight_g,
            storage_location, is_active, created_at, updated_at, search_text, qr_code_data)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?14, 1, ?15, ?15, ?16, ?17))SQL");
        const std::string now = iso8601_utc_ms(r.device_time_ms);
        st.bind(1, uuid).bind(2, tenant_id).bind(3, n.spool_id).bind_text_or_null(4, material_type_id);
        st.bind(5, material_name).bind(6, n.brand).bind(7, n.color).bind(8, n.color_hex);
        st.bind_text_or_null(9, purchase_date).bind(10, cost).bind(11, supplier).bind(12, n.initial_weight_g);
        st.bind(13, n.empty_spool_weight_g).bind(14, n.storage_location).bind(15, now);
        st.bind(16, to_lower(n.spool_id + " " + n.brand + " " + n.color + " " + material_name));
        st.bind_text_or_null(17, n.qr_code_data).run();
    }
    // The line's received count moves at once (the pick list stops offering a line that is full).
    if (!n.purchase_item_id.empty()) {
        sql::Stmt st(*db_, "UPDATE purchase_lines SET received = received + 1 WHERE id = ?1");
        st.bind(1, normalize_uuid(n.purchase_item_id)).run();
    }
    tx.commit();
    return r;
}

bool StationStore::mark_label_printed(const std::string& spool_uuid, const std::string& payload) {
    const std::string uuid = normalize_uuid(spool_uuid).empty() ? spool_uuid : normalize_uuid(spool_uuid);
    std::lock_guard lk(mu_);
    sql::Transaction tx(*db_);
    {
        sql::Stmt st(*db_, "UPDATE spools SET qr_code_data = ?2 WHERE id = ?1 AND (qr_code_data IS NULL OR qr_code_data = '')");
        st.bind(1, uuid).bind(2, payload).run();
    }
    // Only a record never handed to the server (pending, not sent): a sent one may already be applied as it was.
    sql::Stmt st(*db_, "UPDATE new_spools SET qr_code_data = ?2 WHERE spool_uuid = ?1 AND qr_code_data = '' AND "
                       "record_id IN (SELECT id FROM transactions WHERE state = 'pending' AND attempts = 0)");
    st.bind(1, uuid).bind(2, payload).run();
    const bool travels = db_->changes() > 0;
    bool already = false;
    if (!travels) {
        sql::Stmt f(*db_, "SELECT 1 FROM new_spools WHERE spool_uuid = ?1 AND qr_code_data <> ''");
        f.bind(1, uuid);
        already = f.step();
    }
    tx.commit();
    return travels || already;
}

void StationStore::attach_new_spools_locked(std::vector<OutboxRecord>& records) {
    sql::Stmt st(*db_, "SELECT spool_id, material, brand, color, color_hex, initial_weight_g, empty_spool_weight_g, "
                       "storage_location, purchase_item_id, qr_code_data FROM new_spools WHERE record_id = ?1");
    for (auto& r : records) {
        if (r.type != TransactionType::Purchase) continue;
        st.reset();
        st.bind(1, r.id);
        if (!st.step()) continue;
        NewSpool n;
        n.spool_id = st.text(0);
        n.material = st.text(1);
        n.brand = st.text(2);
        n.color = st.text(3);
        n.color_hex = st.text(4);
        n.initial_weight_g = st.i32(5);
        if (auto v = st.opt_i64(6)) n.empty_spool_weight_g = static_cast<int>(*v);
        n.storage_location = st.text(7);
        n.purchase_item_id = st.text(8);
        n.qr_code_data = st.text(9);
        r.new_spool = std::move(n);
    }
}

void StationStore::replace_open_purchases(const std::vector<PurchaseLine>& lines) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(*db_);
    db_->exec("DELETE FROM purchase_lines");
    sql::Stmt st(*db_, R"SQL(INSERT OR REPLACE INTO purchase_lines (id, purchase_id, po_number, supplier, order_date, status,
        material, brand, color, quantity, received, weight_per_spool_g, unit_cost, ord)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14))SQL");
    int ord = 0;
    for (const auto& l : lines) {
        st.reset();
        st.bind(1, normalize_uuid(l.id).empty() ? l.id : normalize_uuid(l.id)).bind(2, l.purchase_id).bind(3, l.po_number);
        st.bind(4, l.supplier).bind(5, l.order_date).bind(6, l.status).bind(7, l.material).bind(8, l.brand);
        st.bind(9, l.color).bind(10, l.quantity).bind(11, l.received).bind(12, l.weight_per_spool_g);
        st.bind(13, l.unit_cost).bind(14, ord++).run();
    }
    // Spools created here but not yet applied by central are not in the server's received counts yet.
    db_->exec("UPDATE purchase_lines SET received = received + (SELECT COUNT(*) FROM new_spools n JOIN transactions t ON "
              "t.id = n.record_id WHERE n.purchase_item_id = purchase_lines.id AND t.state IN ('pending', 'sent'))");
    tx.commit();
}

namespace {
PurchaseLine read_line(sql::Stmt& st) {
    PurchaseLine l;
    l.id = st.text(0);
    l.purchase_id = st.text(1);
    l.po_number = st.text(2);
    l.supplier = st.text(3);
    l.order_date = st.text(4);
    l.status = st.text(5);
    l.material = st.text(6);
    l.brand = st.text(7);
    l.color = st.text(8);
    l.quantity = st.i32(9);
    l.received = st.i32(10);
    if (auto v = st.opt_i64(11)) l.weight_per_spool_g = static_cast<int>(*v);
    if (!st.is_null(12)) l.unit_cost = st.f64(12);
    return l;
}
constexpr const char* kLineCols =
    "id, purchase_id, po_number, supplier, order_date, status, material, brand, color, quantity, received, "
    "weight_per_spool_g, unit_cost";
}  // namespace

std::vector<PurchaseLine> StationStore::open_purchase_lines(bool only_remaining) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, std::string("SELECT ") + kLineCols + " FROM purchase_lines" +
                           (only_remaining ? " WHERE received < quantity" : "") + " ORDER BY ord");
    std::vector<PurchaseLine> out;
    while (st.step()) out.push_back(read_line(st));
    return out;
}

std::optional<PurchaseLine> StationStore::purchase_line(const std::string& id) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, std::string("SELECT ") + kLineCols + " FROM purchase_lines WHERE id = ?1");
    st.bind(1, normalize_uuid(id).empty() ? to_lower(trim(id)) : normalize_uuid(id));
    if (!st.step()) return std::nullopt;
    return read_line(st);
}

}  // namespace batchivo
