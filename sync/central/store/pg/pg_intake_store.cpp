// PostgreSQL store, intake part: suppliers, purchases, the open purchases of the catalog, and the spool creator the
// batch endpoint calls for "spool created" items (apply/batch_plan.hpp SpoolCreation). Forced RLS scopes every
// row; the tenant is set per transaction.
#include <set>

#include "sync/central/store/pg/pg_store.hpp"
#include "sync/domain/text.hpp"
#include "sync/protocol/text_rules.hpp"

namespace batchivo::central::pg_impl {

namespace {

constexpr const char* kReceivedExpr =
    "(SELECT count(*) FROM inventory_transactions t WHERE t.tenant_id = pi.tenant_id AND t.reference_type = "
    "'purchase_item' AND t.reference_id = pi.id AND t.transaction_type = 'purchase')";

Supplier read_supplier(const pg::Result& r, int i) {
    Supplier s;
    s.id = r.text(i, 0);
    s.name = r.text(i, 1);
    s.contact_name = r.text(i, 2);
    s.email = r.text(i, 3);
    s.phone = r.text(i, 4);
    s.website = r.text(i, 5);
    s.average_lead_time_days = r.opt_i32(i, 6);
    s.notes = r.text(i, 7);
    s.is_active = r.null(i, 8) || r.boolean(i, 8);
    return s;
}

std::string like_escaped(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

Supplier PgStore::add_supplier(const std::string& tenant_id, const Supplier& in) {
    if (trim(in.name).empty()) throw StoreError("invalid_input", "a supplier needs a name");
    if (in.average_lead_time_days && (*in.average_lead_time_days < 0 || *in.average_lead_time_days > 365))
        throw StoreError("invalid_input", "lead time must be between 0 and 365 days");
    for (const std::string* t : {&in.name, &in.contact_name, &in.email, &in.website})
        if (t->size() > 255 || !wire::is_storable_text(*t))
            throw StoreError("invalid_input", "supplier fields must be valid UTF-8 of at most 255 bytes");
    if (in.phone.size() > 50) throw StoreError("invalid_input", "phone is longer than 50 characters");
    auto c = pool_.get();
    pg::Tx tx(*c);
    set_tenant(*c, tenant_id);
    Supplier s = in;
    s.id = new_uuid_v7();
    s.name = std::string(trim(in.name));
    if (c->query("SELECT 1 FROM suppliers WHERE tenant_id = $1 AND lower(name) = lower($2)", {P(tenant_id), P(s.name)}).rows())
        throw StoreError("invalid_input", "supplier '" + s.name + "' already exists");
    try {
        c->query("INSERT INTO suppliers(id, tenant_id, name, contact_name, email, phone, website, average_lead_time_days, "
                 "notes, is_active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, true)",
                 {P(s.id), P(tenant_id), P(s.name), PN(s.contact_name), PN(s.email), PN(s.phone), PN(s.website),
                  PI(s.average_lead_time_days), PN(s.notes)});
    } catch (const pg::Error& e) {
        throw input_error("cannot add supplier", e);
    }
    tx.commit();
    return s;
}

std::vector<Supplier> PgStore::list_suppliers(const std::string& tenant_id) {
    auto c = pool_.get();
    pg::Tx tx(*c, "BEGIN READ ONLY");
    set_tenant(*c, tenant_id);
    auto r = c->query("SELECT id, name, contact_name, email, phone, website, average_lead_time_days, notes, is_active "
                      "FROM suppliers WHERE tenant_id = $1 ORDER BY lower(name), name",
                      {P(tenant_id)});
    std::vector<Supplier> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_supplier(r, i));
    tx.commit();
    return out;
}

std::vector<PurchaseSummary> PgStore::add_purchases(const std::string& tenant_id, const std::vector<NewPurchase>& purchases) {
    for (size_t i = 0; i < purchases.size(); ++i)
        validate_new_purchase(purchases[i], purchases.size() == 1 ? "purchase" : "purchase " + std::to_string(i + 1));
    auto c = pool_.get();
    pg::Tx tx(*c);  // all or nothing
    set_tenant(*c, tenant_id);
    std::vector<std::string> ids;
    for (size_t n = 0; n < purchases.size(); ++n) {
        const auto& p = purchases[n];
        const std::string what = purchases.size() == 1 ? "purchase" : "purchase " + std::to_string(n + 1);
        std::string supplier_id;
        if (!trim(p.supplier).empty()) {
            const std::string sid = normalize_uuid(p.supplier);
            auto r = sid.empty() ? c->query("SELECT id FROM suppliers WHERE tenant_id = $1 AND lower(name) = lower($2)",
                                            {P(tenant_id), P(std::string(trim(p.supplier)))})
                                 : c->query("SELECT id FROM suppliers WHERE tenant_id = $1 AND id = $2::uuid",
                                            {P(tenant_id), P(sid)});
            if (r.rows() == 0) throw StoreError("invalid_input", what + ": no supplier '" + p.supplier + "' (add it with 'supplier add')");
            supplier_id = r.text(0, 0);
        }
        if (!p.po_number.empty() &&
            c->query("SELECT 1 FROM purchases WHERE tenant_id = $1 AND po_number = $2", {P(tenant_id), P(p.po_number)}).rows())
            throw StoreError("invalid_input", what + ": PO number '" + p.po_number + "' already exists");
        double subtotal = 0;
        for (const auto& i : p.items) subtotal += i.unit_cost * i.quantity;
        const std::string id = new_uuid_v7();
        const double total = subtotal + p.shipping_cost.value_or(0) + p.tax.value_or(0);
        if (total >= 1e8) throw StoreError("invalid_input", what + ": the total cost is too large");
        try {
            c->query("INSERT INTO purchases(id, tenant_id, po_number, supplier_id, order_date, subtotal, shipping_cost, tax, "
                     "total_cost, status, notes) VALUES ($1, $2, $3, $4, coalesce($5::date, (now() AT TIME ZONE 'UTC')::date), "
                     "$6, $7, $8, $9, $10, $11)",
                     {P(id), P(tenant_id), PN(p.po_number), PN(supplier_id), PN(p.order_date), PD(subtotal),
                      p.shipping_cost ? PD(*p.shipping_cost) : Param(), p.tax ? PD(*p.tax) : Param(), PD(total), P(p.status),
                      PN(p.notes)});
            int k = 0;
            for (const auto& i : p.items) {
                ++k;
                std::string mt;
                try {
                    mt = material_id(*c, std::string(trim(i.material)));
                } catch (const StoreError& e) {
                    throw StoreError("invalid_input", what + ", item " + std::to_string(k) + ": " + e.what());
                }
                c->query("INSERT INTO purchase_items(id, tenant_id, purchase_id, material_type_id, color, brand, quantity, "
                         "weight_per_spool_g, unit_cost, total_cost) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                         {P(new_uuid_v7()), P(tenant_id), P(id), P(mt), PN(i.color), PN(i.brand), PI(i.quantity),
                          PI(i.weight_per_spool_g), PD(i.unit_cost), PD(i.unit_cost * i.quantity)});
            }
        } catch (const pg::Error& e) {
            throw input_error(what, e);
        }
        ids.push_back(id);
    }
    c->query("SELECT bump_catalog_seq($1)", {P(tenant_id)});
    auto all = list_purchases_on(*c, tenant_id, false);
    tx.commit();
    std::vector<PurchaseSummary> out;
    for (const auto& id : ids)
        for (const auto& s : all)
            if (s.purchase.id == id) out.push_back(s);
    return out;
}

std::vector<PurchaseSummary> PgStore::list_purchases(const std::string& tenant_id, bool open_only) {
    auto c = pool_.get();
    pg::Tx tx(*c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    set_tenant(*c, tenant_id);
    auto out = list_purchases_on(*c, tenant_id, open_only);
    tx.commit();
    return out;
}

std::vector<PurchaseSummary> PgStore::list_purchases_on(pg::Conn& c, const std::string& tenant_id, bool open_only) {
    std::vector<PurchaseSummary> out;
    std::map<std::string, size_t> by_id;
    auto p = c.query(std::string("SELECT p.id, coalesce(p.po_number, ''), coalesce(s.name, ''), p.order_date::text, "
                                 "p.status, coalesce(p.received_date::text, ''), coalesce(p.total_cost, 0) FROM purchases p "
                                 "LEFT JOIN suppliers s ON s.id = p.supplier_id WHERE p.tenant_id = $1") +
                         (open_only ? " AND p.status IN ('ordered', 'shipped')" : "") +
                         " ORDER BY p.order_date DESC, p.id DESC",
                     {P(tenant_id)});
    for (int i = 0; i < p.rows(); ++i) {
        PurchaseSummary s;
        s.purchase.id = p.text(i, 0);
        s.purchase.po_number = p.text(i, 1);
        s.purchase.supplier = p.text(i, 2);
        s.purchase.order_date = p.text(i, 3);
        s.purchase.status = p.text(i, 4);
        s.received_date = p.text(i, 5);
        s.total_cost = p.f64(i, 6);
        by_id[s.purchase.id] = out.size();
        out.push_back(std::move(s));
    }
    auto r = c.query(std::string("SELECT pi.purchase_id, pi.id, coalesce(mt.name, ''), coalesce(pi.brand, ''), "
                                 "coalesce(pi.color, ''), pi.quantity, pi.weight_per_spool_g, pi.unit_cost, ") +
                         kReceivedExpr + " FROM purchase_items pi LEFT JOIN material_types mt ON mt.id = "
                         "pi.material_type_id WHERE pi.tenant_id = $1 ORDER BY pi.purchase_id, pi.id",
                     {P(tenant_id)});
    for (int i = 0; i < r.rows(); ++i) {
        auto it = by_id.find(r.text(i, 0));
        if (it == by_id.end()) continue;
        wire::OpenPurchaseItem item;
        item.id = r.text(i, 1);
        item.material = r.text(i, 2);
        item.brand = r.text(i, 3);
        item.color = r.text(i, 4);
        item.quantity = r.i32(i, 5);
        item.weight_per_spool_g = r.opt_i32(i, 6);
        item.unit_cost = r.opt_f64(i, 7);
        item.received = r.i32(i, 8);
        auto& s = out[it->second];
        s.spools_ordered += item.quantity;
        s.spools_received += std::min(item.received, item.quantity);
        s.purchase.items.push_back(std::move(item));
    }
    return out;
}

SpoolCreation PgStore::create_spool_in_tx(pg::Conn& c, const std::string& tenant_id, const wire::TxItem& item,
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
    auto mt = c.query("SELECT id, name FROM material_types WHERE lower(name) = lower($1)", {P(std::string(trim(n.material)))});
    if (mt.rows() == 0) return fail("unknown_material", "no material type '" + n.material + "' on this server");
    const std::string material_type_id = mt.text(0, 0), material_name = mt.text(0, 1);
    Param purchase_date, purchase_cost, supplier, supplier_id;
    std::string line;
    if (!n.purchase_item_id.empty()) {
        line = normalize_uuid(n.purchase_item_id);
        // Lock the line: two batches filling the same line count its received spools one after the other.
        auto f = c.query(std::string("SELECT pi.purchase_id, pi.quantity, p.status, p.order_date::text, pi.unit_cost, "
                                     "sup.name, p.supplier_id, ") + kReceivedExpr +
                             " FROM purchase_items pi JOIN purchases p ON p.id = pi.purchase_id LEFT JOIN suppliers sup "
                             "ON sup.id = p.supplier_id WHERE pi.tenant_id = $1 AND pi.id = $2::uuid FOR UPDATE OF pi",
                         {P(tenant_id), P(line)});
        if (f.rows() == 0) return fail("unknown_purchase_item", "no purchase line " + line + " in this tenant");
        if (f.text(0, 2) == "cancelled") return fail("purchase_cancelled", "the purchase of line " + line + " was cancelled");
        const int quantity = f.i32(0, 1);
        if (f.i32(0, 7) + created_for_line[line] >= quantity)
            return fail("purchase_item_complete", "all " + std::to_string(quantity) + " spools of purchase line " + line +
                                                      " are already in");
        purchase_date = f.opt_text(0, 3);
        purchase_cost = f.opt_text(0, 4);
        supplier = f.opt_text(0, 5);
        supplier_id = f.opt_text(0, 6);
    }
    // Assigns the next id of the tenant's pattern (PLA-BLK-003). One assigner per tenant at a time (the lock is
    // released at commit): concurrent batches get distinct numbers.
    const auto assign = [&]() {
        c.query("SELECT pg_advisory_xact_lock(hashtextextended('batchivo-spool-id:' || $1, 0))", {P(tenant_id)});
        const std::string prefix = spool_id_prefix(material_name, n.color);
        auto ex = c.query("SELECT spool_id FROM spools WHERE tenant_id = $1 AND spool_id ILIKE $2",
                          {P(tenant_id), P(like_escaped(prefix) + "-%")});
        long long max_n = 0;
        for (int i = 0; i < ex.rows(); ++i)
            if (auto v = spool_id_number(ex.text(i, 0), prefix)) max_n = std::max(max_n, *v);
        return format_spool_id(prefix, max_n + 1);
    };
    const auto id_taken = [&](const std::string& id) {
        return c.query("SELECT 1 FROM spools WHERE tenant_id = $1 AND spool_id = $2", {P(tenant_id), P(id)}).rows() > 0;
    };
    // A spool_id typed at the station that another spool took first (another station, the admin CLI) is not a
    // rejection: the spool exists on the shelf and later records need it. It gets a fresh id from the pattern, as
    // if none had been given; the batch result says so (code spool_id_reassigned, apply/batch_plan.cpp).
    std::string spool_id = n.spool_id;
    if (spool_id.empty() || id_taken(spool_id)) spool_id = assign();
    // ON CONFLICT DO NOTHING: a spool UUID taken in any tenant, or a spool_id taken in this one, is a per-item
    // rejection (never an aborted transaction).
    const auto insert = [&]() {
        return c.query("INSERT INTO spools(id, tenant_id, spool_id, material_type_id, brand, color, color_hex, purchase_date, "
                       "purchase_cost, supplier, supplier_id, initial_weight_g, current_weight_g, empty_spool_weight_g, "
                       "storage_location, is_active, qr_code_data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, $9::numeric, $10, "
                       "$11::uuid, $12, $12, $13, $14, true, $15) ON CONFLICT DO NOTHING RETURNING id",
                       {P(uuid), P(tenant_id), P(spool_id), P(material_type_id), PN(n.brand), PN(n.color), PN(n.color_hex),
                        purchase_date, purchase_cost, supplier, supplier_id, PI(n.initial_weight_g),
                        PI(n.empty_spool_weight_g), PN(n.storage_location), PN(n.qr_code_data)});
    };
    auto ins = insert();
    if (ins.rows() == 0 && !n.spool_id.empty() && spool_id == n.spool_id && id_taken(spool_id)) {
        // Another batch committed the same typed id between the check and the insert: a fresh one, as above.
        spool_id = assign();
        ins = insert();
    }
    if (ins.rows() == 0) {
        if (id_taken(spool_id)) return fail("conflict", "spool_id '" + spool_id + "' is already used in this tenant");
        return fail("conflict", "spool " + uuid + " already exists");
    }
    if (!line.empty()) {
        ++created_for_line[line];
        c.query("UPDATE purchase_items SET spool_id = $1 WHERE tenant_id = $2 AND id = $3::uuid AND spool_id IS NULL",
                {P(uuid), P(tenant_id), P(line)});
        out.reference_type = "purchase_item";
        out.reference_id = line;
    }
    out.spool_id = spool_id;
    return out;
}

void PgStore::finish_purchases_in_tx(pg::Conn& c, const std::string& tenant_id, const std::set<std::string>& lines) {
    for (const auto& line : lines)
        c.query(std::string("UPDATE purchases SET status = 'received', received_date = (now() AT TIME ZONE 'UTC')::date "
                            "WHERE tenant_id = $1 AND status IN ('ordered', 'shipped') AND id = (SELECT purchase_id FROM "
                            "purchase_items WHERE tenant_id = $1 AND id = $2::uuid) AND NOT EXISTS (SELECT 1 FROM "
                            "purchase_items pi WHERE pi.purchase_id = purchases.id AND ") + kReceivedExpr + " < pi.quantity)",
                {P(tenant_id), P(line)});
}

}  // namespace batchivo::central::pg_impl
