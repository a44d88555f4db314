// SQLite store, StationApiStore part: the catalog delta, batches (planned by apply/batch_plan), lookups.
#include "sync/central/store/sqlite/sqlite_store.hpp"

namespace batchivo::central::sqlite_impl {

wire::CatalogDelta SqliteStore::catalog(const std::string& tenant_id, const std::string& since, int limit) {
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
    // Products travel whole: on the last page of a pull that saw any change (products bump the same counter).
    if (!d.has_more && (cur->tenant_seq == 0 || next.tenant_seq > cur->tenant_seq)) d.products = products_locked(tenant_id, false);
    d.next_cursor = format_cursor(next);
    d.server_time = iso8601_utc_ms(now_epoch_ms());
    if (open_purchases_due(d.has_more, d.next_cursor, since)) d.open_purchases = open_purchases_of(list_purchases_locked(tenant_id, true));
    tx.commit();
    return d;
}

Cursor SqliteStore::catalog_version(const std::string& tenant_id) {
    std::lock_guard lk(mu_);
    sql::Stmt st(db_, "SELECT (SELECT seq FROM catalog_counters WHERE tenant_id = ?), "
                      "(SELECT coalesce(max(change_seq), 0) FROM material_types)");
    st.bind(1, tenant_id);
    st.step();
    return Cursor{st.i64(0), st.i64(1)};
}

std::vector<MaterialType> SqliteStore::materials_since(int64_t seq) {
    std::vector<MaterialType> out;
    sql::Stmt st(db_, "SELECT id, name, ifnull(properties, '{}') FROM material_types WHERE change_seq > ? ORDER BY name");
    st.bind(1, seq);
    while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2)});
    return out;
}

wire::TxBatchResponse SqliteStore::apply_batch(const DeviceAuth& dev, const wire::TxBatch& batch) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(db_);
    std::map<std::string, PlanSpool> spools;
    std::map<std::string, PlanExisting> existing;
    std::map<std::string, int64_t> last_seq;
    {
        sql::Stmt sp(db_, "SELECT id, initial_weight_g, current_weight_g, last_weighing_at, last_weighing_device_id "
                          "FROM spools WHERE tenant_id = ? AND id = ?");
        sql::Stmt ex(db_, "SELECT t.id, t.content_hash, ifnull(s.spool_id, '') FROM inventory_transactions t LEFT JOIN "
                          "spools s ON s.id = t.spool_id WHERE t.tenant_id = ? AND t.client_id = ?");
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
                if (ex.step()) existing[cid] = PlanExisting{ex.text(0), ex.text(1), ex.text(2)};
            }
        }
    }
    const int64_t now_ms = now_epoch_ms();
    std::map<std::string, int> created_for_line;
    const SpoolCreator creator = [&](const wire::TxItem& item) {
        return create_spool_in_tx(dev.tenant_id, item, created_for_line);
    };
    BatchPlan plan =
        plan_batch(dev.device_id, batch.items, spools, existing, last_seq, batch_clock(batch, now_ms), creator);
    const std::string now = iso8601_utc_ms(now_ms);
    sql::Stmt ins(db_, "INSERT INTO inventory_transactions(id, tenant_id, spool_id, transaction_type, quantity_grams, "
                       "notes, created_at, client_id, device_id, device_seq, device_time, device_quantity_grams, "
                       "measured_gross_g, measured_tare_g, measured_net_g, tare_source, content_hash, weight_applied, "
                       "resulting_weight_g, occurred_at, reference_type, reference_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
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
        ins.bind(21, row.reference_type).bind_text_or_null(22, row.reference_id);
        ins.run();
    }
    std::set<std::string> lines;
    for (const auto& row : plan.rows)
        if (row.reference_type == "purchase_item") lines.insert(row.reference_id);
    finish_purchases_in_tx(dev.tenant_id, lines);
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

std::vector<Spool> SqliteStore::active_spools(const std::string& tenant_id) {
    std::lock_guard lk(mu_);
    std::vector<Spool> out;
    sql::Stmt st(db_, std::string("SELECT ") + kSpoolCols + " FROM spools s LEFT JOIN material_types mt ON "
                      "mt.id = s.material_type_id WHERE s.tenant_id = ? AND s.is_active = 1 ORDER BY s.spool_id");
    st.bind(1, tenant_id);
    while (st.step()) out.push_back(read_spool(st));
    return out;
}

std::optional<Spool> SqliteStore::get_spool_locked(const std::string& tenant_id, const std::string& id) {
    sql::Stmt st(db_, std::string("SELECT ") + kSpoolCols + " FROM spools s LEFT JOIN material_types mt ON "
                      "mt.id = s.material_type_id WHERE s.tenant_id = ? AND s.id = ?");
    st.bind(1, tenant_id).bind(2, normalize_uuid(id));
    if (!st.step()) return std::nullopt;
    return read_spool(st);
}

std::optional<Spool> SqliteStore::get_spool(const std::string& tenant_id, const std::string& id) {
    std::lock_guard lk(mu_);
    return get_spool_locked(tenant_id, id);
}

std::vector<TxRecord> SqliteStore::spool_transactions(const std::string& tenant_id, const std::string& spool_uuid, int limit) {
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

std::vector<ReorderSetting> SqliteStore::reorder_settings(const std::string& tenant_id) {
    std::lock_guard lk(mu_);
    std::vector<ReorderSetting> out;
    sql::Stmt st(db_, std::string("SELECT ") + kReorderCols + " FROM reorder_settings r LEFT JOIN material_types mt ON "
                      "mt.id = r.material_type_id WHERE r.tenant_id = ? ORDER BY mt.name, r.color, r.brand");
    st.bind(1, tenant_id);
    while (st.step()) out.push_back(read_reorder(st));
    return out;
}

}  // namespace batchivo::central::sqlite_impl
