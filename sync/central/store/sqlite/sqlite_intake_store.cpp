// SQLite store, intake part: suppliers, purchases, the open purchases of the catalog, and the spool creator the
// batch endpoint calls for "spool created" items (apply/batch_plan.hpp SpoolCreation).
#include <set>

#include "sync/central/store/sqlite/sqlite_store.hpp"
#include "sync/domain/text.hpp"

namespace batchivo::central::sqlite_impl {

namespace {

std::string today_utc() { return iso8601_utc_ms(now_epoch_ms()).substr(0, 10); }

Supplier read_supplier(sql::Stmt& st) {
    Supplier s;
    s.id = st.text(0);
    s.name = st.text(1);
    s.contact_name = st.text(2);
    s.email = st.text(3);
    s.phone = st.text(4);
    s.website = st.text(5);
    if (auto v = st.opt_i64(6)) s.average_lead_time_days = static_cast<int>(*v);
    s.notes = st.text(7);
    s.is_active = st.is_null(8) || st.i64(8) != 0;
    return s;
}

constexpr const char* kReceivedExpr =
    "(SELECT count(*) FROM inventory_transactions t WHERE t.tenant_id = pi.tenant_id AND t.reference_type = "
    "'purchase_item' AND t.reference_id = pi.id AND t.transaction_type = 'purchase')";

}  // namespace

void SqliteStore::bump_catalog_in_tx(const std::string& tenant_id) {
    sql::Stmt a(db_, "INSERT OR IGNORE INTO catalog_counters(tenant_id, seq) VALUES (?, 0)");
    a.bind(1, tenant_id).run();
    sql::Stmt b(db_, "UPDATE catalog_counters SET seq = seq + 1 WHERE tenant_id = ?");
    b.bind(1, tenant_id).run();
}

Supplier SqliteStore::add_supplier(const std::string& tenant_id, const Supplier& in) {
    if (trim(in.name).empty()) throw StoreError("invalid_input", "a supplier needs a name");
    if (in.average_lead_time_days && (*in.average_lead_time_days < 0 || *in.average_lead_time_days > 365))
        throw StoreError("invalid_input", "lead time must be between 0 and 365 days");
    std::lock_guard lk(mu_);
    Supplier s = in;
    s.id = new_uuid_v7();
    s.name = std::string(trim(in.name));
    {
        sql::Stmt f(db_, "SELECT 1 FROM suppliers WHERE tenant_id = ? AND lower(name) = lower(?)");
        f.bind(1, tenant_id).bind(2, s.name);
        if (f.step()) throw StoreError("invalid_input", "supplier '" + s.name + "' already exists");
    }
    sql::Stmt st(db_, "INSERT INTO suppliers(id, tenant_id, name, contact_name, email, phone, website, "
                      "average_lead_time_days, notes, is_active) VALUES (?,?,?,?,?,?,?,?,?,1)");
    st.bind(1, s.id).bind(2, tenant_id).bind(3, s.name).bind_text_or_null(4, s.contact_name);
    st.bind_text_or_null(5, s.email).bind_text_or_null(6, s.phone).bind_text_or_null(7, s.website);
    st.bind(8, s.average_lead_time_days).bind_text_or_null(9, s.notes).run();
    return s;
}

std::vector<Supplier> SqliteStore::list_suppliers(const std::string& tenant_id) {
    std::lock_guard lk(mu_);
    std::vector<Supplier> out;
    sql::Stmt st(db_, "SELECT id, name, contact_name, email, phone, website, average_lead_time_days, notes, is_active "
                      "FROM suppliers WHERE tenant_id = ? ORDER BY name COLLATE NOCASE");
    st.bind(1, tenant_id);
    while (st.step()) out.push_back(read_supplier(st));
    return out;
}

std::vector<PurchaseSummary> SqliteStore::add_purchases(const std::string& tenant_id,
                                                        const std::vector<NewPurchase>& purchases) {
    for (size_t i = 0; i < purchases.size(); ++i)
        validate_new_purchase(purchases[i], purchases.size() == 1 ? "purchase" : "purchase " + std::to_string(i + 1));
    std::lock_guard lk(mu_);
    sql::Transaction tx(db_);  // all or nothing
    std::vector<std::string> ids;
    for (size_t n = 0; n < purchases.size(); ++n) {
        const auto& p = purchases[n];
        const std::string what = purchases.size() == 1 ? "purchase" : "purchase " + std::to_string(n + 1);
        std::string supplier_id;
        if (!trim(p.supplier).empty()) {
            sql::Stmt f(db_, "SELECT id FROM suppliers WHERE tenant_id = ? AND (lower(name) = lower(?) OR id = ?)");
            f.bind(1, tenant_id).bind(2, std::string(trim(p.supplier))).bind(3, normalize_uuid(p.supplier));
            if (!f.step()) throw StoreError("invalid_input", what + ": no supplier '" + p.supplier + "' (add it with 'supplier add')");
            supplier_id = f.text(0);
        }
        if (!p.po_number.empty()) {
            sql::Stmt f(db_, "SELECT 1 FROM purchases WHERE tenant_id = ? AND po_number = ?");
            f.bind(1, tenant_id).bind(2, p.po_number);
            if (f.step()) throw StoreError("invalid_input", what + ": PO number '" + p.po_number + "' already exists");
        }
        double subtotal = 0;
        for (const auto& i : p.items) subtotal += i.unit_cost * i.quantity;
        const std::string id = new_uuid_v7();
        sql::Stmt st(db_, "INSERT INTO purchases(id, tenant_id, po_number, supplier_id, order_date, subtotal, shipping_cost, "
                          "tax, total_cost, status, notes) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
        st.bind(1, id).bind(2, tenant_id).bind_text_or_null(3, p.po_number).bind_text_or_null(4, supplier_id);
        st.bind(5, p.order_date.empty() ? today_utc() : p.order_date).bind(6, subtotal).bind(7, p.shipping_cost);
        st.bind(8, p.tax).bind(9, subtotal + p.shipping_cost.value_or(0) + p.tax.value_or(0)).bind(10, p.status);
        st.bind_text_or_null(11, p.notes).run();
        int k = 0;
        for (const auto& i : p.items) {
            ++k;
            std::string mt;
            try {
                mt = material_id(std::string(trim(i.material)));
            } catch (const StoreError& e) {
                throw StoreError("invalid_input", what + ", item " + std::to_string(k) + ": " + e.what());
            }
            sql::Stmt it(db_, "INSERT INTO purchase_items(id, tenant_id, purchase_id, material_type_id, color, brand, quantity, "
                              "weight_per_spool_g, unit_cost, total_cost) VALUES (?,?,?,?,?,?,?,?,?,?)");
            it.bind(1, new_uuid_v7()).bind(2, tenant_id).bind(3, id).bind(4, mt).bind_text_or_null(5, i.color);
            it.bind_text_or_null(6, i.brand).bind(7, i.quantity).bind(8, i.weight_per_spool_g).bind(9, i.unit_cost);
            it.bind(10, i.unit_cost * i.quantity).run();
        }
        ids.push_back(id);
    }
    bump_catalog_in_tx(tenant_id);
    tx.commit();
    std::vector<PurchaseSummary> out;
    auto all = list_purchases_locked(tenant_id, false);
    for (const auto& id : ids)
        for (const auto& s : all)
            if (s.purchase.id == id) out.push_back(s);
    return out;
}

std::vector<PurchaseSummary> SqliteStore::list_purchases(const std::string& tenant_id, bool open_only) {
    std::lock_guard lk(mu_);
    return list_purchases_locked(tenant_id, open_only);
}

std::vector<PurchaseSummary> SqliteStore::list_purchases_locked(const std::string& tenant_id, bool open_only) {
    std::vector<PurchaseSummary> out;
    std::map<std::string, size_t> by_id;
    {
        sql::Stmt st(db_, std::string("SELECT p.id, ifnull(p.po_number, ''), ifnull(s.name, ''), p.order_date, p.status, "
                                      "ifnull(p.received_date, ''), ifnull(p.total_cost, 0) FROM purchases p LEFT JOIN "
                                      "suppliers s ON s.id = p.supplier_id WHERE p.tenant_id = ?") +
                              (open_only ? " AND p.status IN ('ordered', 'shipped')" : "") +
                              " ORDER BY p.order_date DESC, p.id DESC");
        st.bind(1, tenant_id);
        while (st.step()) {
            PurchaseSummary s;
            s.purchase.id = st.text(0);
            s.purchase.po_number = st.text(1);
            s.purchase.supplier = st.text(2);
            s.purchase.order_date = st.text(3).substr(0, 10);
            s.purchase.status = st.text(4);
            s.received_date = st.text(5).substr(0, 10);
            s.total_cost = st.f64(6);
            by_id[s.purchase.id] = out.size();
            out.push_back(std::move(s));
        }
    }
    sql::Stmt st(db_, std::string("SELECT pi.purchase_id, pi.id, ifnull(mt.name, ''), ifnull(pi.brand, ''), "
                                  "ifnull(pi.color, ''), pi.quantity, pi.weight_per_spool_g, pi.unit_cost, ") +
                          kReceivedExpr + " FROM purchase_items pi LEFT JOIN material_types mt ON mt.id = "
                          "pi.material_type_id WHERE pi.tenant_id = ? ORDER BY pi.purchase_id, pi.id");
    st.bind(1, tenant_id);
    while (st.step()) {
        auto it = by_id.find(st.text(0));
        if (it == by_id.end()) continue;
        wire::OpenPurchaseItem i;
        i.id = st.text(1);
        i.material = st.text(2);
        i.brand = st.text(3);
        i.color = st.text(4);
        i.quantity = st.i32(5);
        if (auto v = st.opt_i64(6)) i.weight_per_spool_g = static_cast<int>(*v);
        if (!st.is_null(7)) i.unit_cost = st.f64(7);
        i.received = st.i32(8);
        auto& s = out[it->second];
        s.spools_ordered += i.quantity;
        s.spools_received += std::min(i.received, i.quantity);
        s.purchase.items.push_back(std::move(i));
    }
    return out;
}

SpoolCreation SqliteStore::create_spool_in_tx(const std::string& tenant_id, const wire::TxItem& item,
                                              std::map<std::string, int>& created_for_line) {
    const NewSpool& n = *item.new_spool;
    const std::string uuid = normalize_uuid(item.spool_uuid);
    SpoolCreation out;
    out.reference_type = "station";
    const auto fail = [&](const char* code, std::string reason) {
        out.error_code = code;
        out.reason = std::move(reason);
        return out;
    };
    {
        sql::Stmt f(db_, "SELECT 1 FROM spools WHERE id = ?");  // any tenant: the UUID is the primary key
        f.bind(1, uuid);
        if (f.step()) return fail("conflict", "spool " + uuid + " already exists");
    }
    std::string material_type_id, material_name;
    {
        sql::Stmt f(db_, "SELECT id, name FROM material_types WHERE lower(name) = lower(?)");
        f.bind(1, std::string(trim(n.material)));
        if (!f.step()) return fail("unknown_material", "no material type '" + n.material + "' on this server");
        material_type_id = f.text(0);
        material_name = f.text(1);
    }
    Spool s;
    s.id = uuid;
    s.tenant_id = tenant_id;
    s.material_type_id = material_type_id;
    s.brand = n.brand;
    s.color = n.color;
    s.color_hex = n.color_hex;
    s.initial_weight_g = n.initial_weight_g;
    s.current_weight_g = n.initial_weight_g;
    s.empty_spool_weight_g = n.empty_spool_weight_g;
    s.storage_location = n.storage_location;
    if (!n.purchase_item_id.empty()) {
        const std::string line = normalize_uuid(n.purchase_item_id);
        sql::Stmt f(db_, std::string("SELECT pi.purchase_id, pi.quantity, p.status, p.order_date, pi.unit_cost, "
                                     "ifnull(sup.name, ''), ifnull(p.supplier_id, ''), ") + kReceivedExpr +
                             " FROM purchase_items pi JOIN purchases p ON p.id = pi.purchase_id LEFT JOIN suppliers sup "
                             "ON sup.id = p.supplier_id WHERE pi.tenant_id = ? AND pi.id = ?");
        f.bind(1, tenant_id).bind(2, line);
        if (!f.step()) return fail("unknown_purchase_item", "no purchase line " + line + " in this tenant");
        if (f.text(2) == "cancelled") return fail("purchase_cancelled", "the purchase of line " + line + " was cancelled");
        const int quantity = f.i32(1);
        const int received = f.i32(7) + created_for_line[line];
        if (received >= quantity)
            return fail("purchase_item_complete", "all " + std::to_string(quantity) + " spools of purchase line " + line +
                                                      " are already in");
        s.purchase_date = f.text(3).substr(0, 10);
        s.purchase_cost = f.f64(4);
        s.supplier = f.text(5);
        s.supplier_id = f.text(6);
        out.reference_type = "purchase_item";
        out.reference_id = line;
    }
    // A spool_id typed at the station that another spool took first (another station, the admin CLI) is not a
    // rejection: the spool exists on the shelf and later records need it. It gets a fresh id from the pattern, as
    // if none had been given; the batch result says so (code spool_id_reassigned, apply/batch_plan.cpp).
    bool taken = false;
    if (!n.spool_id.empty()) {
        sql::Stmt f(db_, "SELECT 1 FROM spools WHERE tenant_id = ? AND spool_id = ?");
        f.bind(1, tenant_id).bind(2, n.spool_id);
        taken = f.step();
    }
    if (!n.spool_id.empty() && !taken) {
        s.spool_id = n.spool_id;
    } else {
        const std::string prefix = spool_id_prefix(material_name, n.color);
        long long max_n = 0;
        sql::Stmt f(db_, "SELECT spool_id FROM spools WHERE tenant_id = ? AND spool_id LIKE ? ESCAPE '\\'");
        std::string like;
        for (char c : prefix) {
            if (c == '%' || c == '_' || c == '\\') like += '\\';
            like += c;
        }
        f.bind(1, tenant_id).bind(2, like + "-%");
        while (f.step())
            if (auto v = spool_id_number(f.text(0), prefix)) max_n = std::max(max_n, *v);
        s.spool_id = format_spool_id(prefix, max_n + 1);
    }
    sql::Stmt ins(db_, "INSERT INTO spools(id, tenant_id, spool_id, material_type_id, brand, color, color_hex, purchase_date, "
                       "purchase_cost, supplier, supplier_id, initial_weight_g, current_weight_g, empty_spool_weight_g, "
                       "storage_location, is_active, qr_code_data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?)");
    ins.bind(1, s.id).bind(2, tenant_id).bind(3, s.spool_id).bind(4, s.material_type_id).bind_text_or_null(5, s.brand);
    ins.bind_text_or_null(6, s.color).bind_text_or_null(7, s.color_hex).bind_text_or_null(8, s.purchase_date);
    ins.bind(9, s.purchase_cost).bind_text_or_null(10, s.supplier).bind_text_or_null(11, s.supplier_id);
    ins.bind(12, s.initial_weight_g).bind(13, s.current_weight_g).bind(14, s.empty_spool_weight_g);
    // A label printed at the station before sync: the spool is labelled already (spool label --unlabeled skips it).
    ins.bind_text_or_null(15, s.storage_location).bind_text_or_null(16, n.qr_code_data).run();
    if (out.reference_type == "purchase_item") {  // after the insert: purchase_items.spool_id references spools
        ++created_for_line[out.reference_id];
        sql::Stmt link(db_, "UPDATE purchase_items SET spool_id = ? WHERE tenant_id = ? AND id = ? AND spool_id IS NULL");
        link.bind(1, s.id).bind(2, tenant_id).bind(3, out.reference_id).run();
    }
    out.spool_id = s.spool_id;
    return out;
}

void SqliteStore::finish_purchases_in_tx(const std::string& tenant_id, const std::set<std::string>& lines) {
    if (lines.empty()) return;
    sql::Stmt st(db_, std::string("UPDATE purchases SET status = 'received', received_date = ? WHERE tenant_id = ? AND "
                                  "status IN ('ordered', 'shipped') AND id = (SELECT purchase_id FROM purchase_items WHERE "
                                  "tenant_id = ? AND id = ?) AND NOT EXISTS (SELECT 1 FROM purchase_items pi WHERE "
                                  "pi.purchase_id = purchases.id AND ") + kReceivedExpr + " < pi.quantity)");
    for (const auto& line : lines) {
        st.reset();
        st.bind(1, today_utc()).bind(2, tenant_id).bind(3, tenant_id).bind(4, line).run();
    }
}

}  // namespace batchivo::central::sqlite_impl
