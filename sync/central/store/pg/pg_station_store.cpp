// PostgreSQL store, StationApiStore part: the catalog delta, batches (planned by apply/batch_plan), lookups.
#include "sync/central/store/pg/pg_store.hpp"

namespace batchivo::central::pg_impl {

wire::CatalogDelta PgStore::catalog(const std::string& tenant_id, const std::string& since, int limit) {
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
    // Products travel whole: on the last page of a pull that saw any change (products bump the same counter).
    if (!d.has_more && (cur->tenant_seq == 0 || next.tenant_seq > cur->tenant_seq)) d.products = products_in(*c, tenant_id, false);
    d.next_cursor = format_cursor(next);
    d.server_time = iso8601_utc_ms(now_epoch_ms());
    if (open_purchases_due(d.has_more, d.next_cursor, since)) d.open_purchases = open_purchases_of(list_purchases_on(*c, tenant_id, true));
    tx.commit();
    return d;
}

namespace {
// Several statements without parameters in ONE round trip (the simple-query protocol runs them as one implicit
// transaction); returns the last statement's result. Only for SQL built from values validated by the caller.
pg::Result run_script(pg::Conn& c, const std::string& sql) {
    if (!PQsendQuery(c.raw(), sql.c_str())) throw pg::Error(std::string("SQL failed: ") + PQerrorMessage(c.raw()), "");
    PGresult* last = nullptr;
    std::string error, state;
    while (PGresult* r = PQgetResult(c.raw())) {  // drain every result, so the connection is idle afterwards
        const auto st = PQresultStatus(r);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            if (error.empty()) {
                error = PQresultErrorMessage(r);
                if (const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE)) state = s;
                if (error.empty()) error = "unknown error";
            }
            PQclear(r);
            continue;
        }
        if (last) PQclear(last);
        last = r;
    }
    if (!error.empty()) {
        if (last) PQclear(last);
        while (!error.empty() && (error.back() == '\n' || error.back() == ' ')) error.pop_back();
        throw pg::Error("SQL failed: " + error, state);
    }
    return pg::Result(last);
}
}  // namespace

Cursor PgStore::catalog_version(const std::string& tenant_id) {
    // One round trip: the tenant setting (transaction-local, so RLS scopes the read) and the read run as one
    // implicit transaction. The tenant id comes from the device token and is embedded only as a normalized UUID.
    const std::string t = normalize_uuid(tenant_id);
    if (t.empty()) throw StoreError("internal", "tenant id is not a UUID");
    auto c = pool_.get();
    auto r = run_script(*c, "SELECT set_config('app.current_tenant_id', '" + t + "', true); "
                       "SELECT (SELECT seq FROM catalog_counters WHERE tenant_id = '" + t + "'), "
                       "(SELECT coalesce(max(change_seq), 0) FROM material_types)");
    if (r.rows() != 1) throw StoreError("internal", "catalog version read returned no row");
    return Cursor{r.i64(0, 0), r.i64(0, 1)};
}

std::vector<MaterialType> PgStore::materials_since(pg::Conn& c, int64_t seq) {
    auto r = c.query("SELECT id, name, coalesce(properties, '{}'::jsonb)::text FROM material_types WHERE change_seq > $1 "
                     "ORDER BY name",
                     {PI(static_cast<long long>(seq))});
    std::vector<MaterialType> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2)});
    return out;
}

wire::TxBatchResponse PgStore::apply_batch(const DeviceAuth& dev, const wire::TxBatch& batch) {
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

wire::TxBatchResponse PgStore::apply_batch_once(const DeviceAuth& dev, const wire::TxBatch& batch) {
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
    // last_weighing_at as epoch ms (truncated, as iso_utc() would print it): no text formatting per row.
    auto sp = c->query("SELECT id, initial_weight_g, current_weight_g, floor(extract(epoch FROM last_weighing_at) * 1000)::bigint, "
                       "last_weighing_device_id FROM spools WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE",
                       {P(dev.tenant_id), P(spool_arr)});
    for (int i = 0; i < sp.rows(); ++i) {
        PlanSpool ps{sp.text(i, 0), sp.i32(i, 1), sp.i32(i, 2), false};
        if (!sp.null(i, 3)) ps.last_weighing_ms = static_cast<int64_t>(sp.i64(i, 3));
        ps.last_weighing_device = sp.text(i, 4);
        spools[ps.id] = std::move(ps);
    }
    // A statement of its own, so its snapshot is taken after the locks are held (sees every committed weighing).
    // Per spool the newest applied weighing of this device: one backward step in the partial index
    // idx_inventory_transactions_weighing_seq (spool_id, device_id, device_seq) per locked spool, whatever the
    // size of the tenant's history.
    if (!spools.empty()) {
        std::vector<Param> locked;
        for (const auto& [id, s] : spools) locked.push_back(id);
        auto ls = c->query("SELECT u.id, (SELECT t.device_seq FROM inventory_transactions t WHERE t.spool_id = u.id AND "
                           "t.device_id = $2 AND t.tenant_id = $1 AND t.measured_net_g IS NOT NULL AND t.weight_applied "
                           "ORDER BY t.device_seq DESC LIMIT 1) FROM unnest($3::uuid[]) AS u(id)",
                           {P(dev.tenant_id), P(dev.device_id), P(pg::array_literal(locked))});
        for (int i = 0; i < ls.rows(); ++i)
            if (!ls.null(i, 1)) last_seq[ls.text(i, 0)] = ls.i64(i, 1);
    }
    // A "spool created" item that is rejected inserts no row, so the optimistic path below would not notice a replay
    // of it: with such items, look the client ids up first.
    auto load_existing = [&] {
        auto ex = c->query("SELECT t.client_id, t.id, t.content_hash, s.spool_id FROM inventory_transactions t LEFT JOIN "
                           "spools s ON s.id = t.spool_id WHERE t.tenant_id = $1 AND t.client_id = ANY($2::uuid[])",
                           {P(dev.tenant_id), P(client_arr)});
        for (int i = 0; i < ex.rows(); ++i)
            existing[ex.text(i, 0)] = PlanExisting{ex.text(i, 1), ex.text(i, 2), ex.text(i, 3)};
    };
    if (std::any_of(batch.items.begin(), batch.items.end(), [](const wire::TxItem& it) { return it.new_spool.has_value(); }))
        load_existing();

    // Optimistic path: assume no item was seen before (the common case) and let the unique (tenant_id,
    // client_id) constraint tell us otherwise (a plain INSERT fails with 23505 under the savepoint: cheaper per row
    // than ON CONFLICT's speculative insertion); only then look the ids up and plan again.
    auto insert_rows = [&](const BatchPlan& plan) {
        std::vector<Param> a_id, a_spool, a_type, a_qty, a_notes, a_cid, a_seq, a_time, a_dq, a_g, a_t, a_n, a_src,
            a_hash, a_applied, a_res, a_occ, a_rt, a_rid;
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
            a_rt.push_back(row.reference_type);
            a_rid.push_back(PN(row.reference_id));
        }
        auto ins = c->query(
            std::string("INSERT INTO inventory_transactions(id, tenant_id, spool_id, transaction_type, quantity_grams, reference_type, "
            "notes, client_id, device_id, device_seq, device_time, device_quantity_grams, measured_gross_g, measured_tare_g, "
            "measured_net_g, tare_source, content_hash, weight_applied, resulting_weight_g, occurred_at, reference_id) "
            "SELECT u.id, $1, u.spool, u.type, u.qty, u.rt, u.notes, u.cid, $2, u.seq, u.dtime, u.dq, u.g, u.t, u.n, "
            "u.src, u.hash, u.applied, u.res, u.occ, u.rid FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::int[], $7::text[], "
            "$8::uuid[], $9::bigint[], $10::timestamptz[], $11::int[], $12::numeric[], $13::numeric[], $14::numeric[], "
            "$15::text[], $16::text[], $17::bool[], $18::int[], $19::timestamptz[], $20::text[], $21::uuid[]) AS u(id, spool, "
            "type, qty, notes, cid, seq, dtime, dq, g, t, n, src, hash, applied, res, occ, rt, rid)"),
            {P(dev.tenant_id), P(dev.device_id), P(pg::array_literal(a_id)), P(pg::array_literal(a_spool)),
             P(pg::array_literal(a_type)), P(pg::array_literal(a_qty)), P(pg::array_literal(a_notes)),
             P(pg::array_literal(a_cid)), P(pg::array_literal(a_seq)), P(pg::array_literal(a_time)),
             P(pg::array_literal(a_dq)), P(pg::array_literal(a_g)), P(pg::array_literal(a_t)),
             P(pg::array_literal(a_n)), P(pg::array_literal(a_src)), P(pg::array_literal(a_hash)),
             P(pg::array_literal(a_applied)), P(pg::array_literal(a_res)), P(pg::array_literal(a_occ)),
             P(pg::array_literal(a_rt)), P(pg::array_literal(a_rid))});
        if (ins.affected() != static_cast<long long>(plan.rows.size()))
            throw StoreError("internal", "batch insert wrote " + std::to_string(ins.affected()) + " of " +
                                             std::to_string(plan.rows.size()) + " rows");
    };
    const auto spools_before = spools;
    const auto last_seq_before = last_seq;
    const BatchClock clock = batch_clock(batch, now_epoch_ms());
    // The savepoint comes before planning: the spool creator writes (new spools, purchase links) while planning,
    // and a replan after the rollback below must start from the same rows.
    c->exec("SAVEPOINT optimistic");
    std::map<std::string, int> created_for_line;
    const SpoolCreator creator = [&](const wire::TxItem& item) {
        return create_spool_in_tx(*c, dev.tenant_id, item, created_for_line);
    };
    BatchPlan plan = plan_batch(dev.device_id, batch.items, spools, existing, last_seq, clock, creator);
    bool replay = false;
    if (!plan.rows.empty()) {
        try {
            insert_rows(plan);
        } catch (const pg::Error& e) {
            // 23505 on (tenant_id, client_id): an item was stored before (a resent batch) or by a concurrent batch
            // that has committed meanwhile. Any other failure aborts the whole batch.
            if (e.sqlstate != "23505") throw;
            replay = true;
        }
    }
    if (replay) {
        c->exec("ROLLBACK TO SAVEPOINT optimistic");
        spools = spools_before;
        last_seq = last_seq_before;
        created_for_line.clear();
        existing.clear();
        load_existing();
        plan = plan_batch(dev.device_id, batch.items, spools, existing, last_seq, clock, creator);
        // A 23505 here (a batch with the same ids committed between the lookup and this insert) leaves the
        // transaction; apply_batch() then runs the whole batch again.
        if (!plan.rows.empty()) insert_rows(plan);
    }
    bool touched_device = false;
    {
        std::set<std::string> lines;
        for (const auto& row : plan.rows)
            if (row.reference_type == "purchase_item") lines.insert(row.reference_id);
        finish_purchases_in_tx(*c, dev.tenant_id, lines);
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
            // The device's last_seen_at in the same round trip (a data-modifying CTE; devices has no trigger).
            c->query("WITH seen AS (UPDATE devices SET last_seen_at = NOW() WHERE tenant_id = $1 AND id = $7) "
                     "UPDATE spools s SET current_weight_g = u.w, change_seq = u.seq, last_weighing_at = u.lw_at, "
                     "last_weighing_device_id = u.lw_dev FROM unnest($2::uuid[], $3::int[], $4::bigint[], "
                     "$5::timestamptz[], $6::uuid[]) AS u(id, w, seq, lw_at, lw_dev) WHERE s.tenant_id = $1 AND s.id = u.id",
                     {P(dev.tenant_id), P(pg::array_literal(u_id)), P(pg::array_literal(u_w)), P(pg::array_literal(u_seq)),
                      P(pg::array_literal(u_lw_at)), P(pg::array_literal(u_lw_dev)), P(dev.device_id)});
            touched_device = true;
        }
    }
    if (!touched_device)
        c->query("UPDATE devices SET last_seen_at = NOW() WHERE tenant_id = $1 AND id = $2", {P(dev.tenant_id), P(dev.device_id)});
    tx.commit();
    return wire::TxBatchResponse{std::move(plan.results)};
}

std::vector<Spool> PgStore::active_spools(const std::string& tenant_id) {
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

std::optional<Spool> PgStore::get_spool_in(pg::Conn& c, const std::string& tenant_id, const std::string& id) {
    auto r = c.query(std::string("SELECT ") + kSpoolCols + " FROM spools s LEFT JOIN material_types mt ON "
                         "mt.id = s.material_type_id WHERE s.tenant_id = $1 AND s.id = $2",
                     {P(tenant_id), P(id)});
    if (r.rows() == 0) return std::nullopt;
    return read_spool(r, 0);
}

std::optional<Spool> PgStore::get_spool(const std::string& tenant_id, const std::string& spool_uuid) {
    const std::string id = normalize_uuid(spool_uuid);
    if (id.empty()) return std::nullopt;
    auto c = pool_.get();
    pg::Tx tx(*c, "BEGIN READ ONLY");
    set_tenant(*c, tenant_id);
    auto s = get_spool_in(*c, tenant_id, id);
    tx.commit();
    return s;
}

std::vector<TxRecord> PgStore::spool_transactions(const std::string& tenant_id, const std::string& spool_uuid, int limit) {
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

std::vector<ReorderSetting> PgStore::reorder_settings(const std::string& tenant_id) {
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

}  // namespace batchivo::central::pg_impl
