// The station store's transaction log / outbox: durable records with a gap-free device sequence and their
// sync states (station_store.hpp has the contract).
#include "sync/store/station_store.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sync/domain/text.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/sqlite/catalog_rows.hpp"
#include "sync/sqlite/sqlite.hpp"

namespace batchivo {

namespace {

const char* kRecordCols =
    "seq, id, device_time_ms, spool_uuid, spool_label, transaction_type, quantity_grams, gross_g, tare_g, "
    "tare_source, net_g, notes, state, reason, server_weight_g, attempts, last_attempt_ms, updated_ms";

OutboxRecord read_record(sql::Stmt& st) {
    OutboxRecord r;
    r.seq = st.i64(0);
    r.id = st.text(1);
    r.device_time_ms = st.i64(2);
    r.spool_uuid = st.text(3);
    r.spool_label = st.text(4);
    r.type = transaction_type_from_string(st.text(5)).value_or(TransactionType::Usage);
    r.quantity_grams = st.i32(6);
    if (!st.is_null(7)) {
        Measurement m;
        m.gross_g = st.f64(7);
        m.tare_g = st.f64(8);
        m.tare_source = tare_source_from_string(st.text(9)).value_or(TareSource::Manual);
        m.net_g = st.f64(10);
        r.measurement = m;
    }
    r.notes = st.text(11);
    r.state = record_state_from_string(st.text(12)).value_or(RecordState::Pending);
    r.reason = st.text(13);
    if (auto v = st.opt_i64(14)) r.server_weight_g = static_cast<int>(*v);
    r.attempts = st.i32(15);
    r.last_attempt_ms = st.opt_i64(16);
    r.updated_ms = st.i64(17);
    return r;
}

}  // namespace

OutboxRecord StationStore::record(const NewRecord& in) {
    if (in.spool_uuid.empty()) throw std::invalid_argument("record: spool UUID is required");
    OutboxRecord r;
    r.id = new_uuid_v7();
    r.device_time_ms = in.device_time_ms.value_or(now_epoch_ms());
    r.spool_uuid = normalize_uuid(in.spool_uuid).empty() ? in.spool_uuid : normalize_uuid(in.spool_uuid);
    r.spool_label = in.spool_label;
    r.type = in.type;
    r.quantity_grams = in.quantity_grams;
    r.measurement = in.measurement;
    r.notes = in.notes;
    r.updated_ms = now_epoch_ms();

    std::lock_guard lk(mu_);
    sql::Transaction tx(*db_);
    r.seq = db_->query_int("SELECT COALESCE(MAX(seq), 0) + 1 FROM transactions").value_or(1);
    sql::Stmt st(*db_, R"SQL(INSERT INTO transactions (seq, id, device_time_ms, spool_uuid, spool_label,
        transaction_type, quantity_grams, gross_g, tare_g, tare_source, net_g, notes, state, updated_ms)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'pending', ?13))SQL");
    st.bind(1, r.seq).bind(2, r.id).bind(3, r.device_time_ms).bind(4, r.spool_uuid).bind(5, r.spool_label);
    st.bind(6, to_string(r.type)).bind(7, r.quantity_grams);
    if (r.measurement) {
        st.bind(8, r.measurement->gross_g).bind(9, r.measurement->tare_g);
        st.bind(10, to_string(r.measurement->tare_source)).bind(11, r.measurement->net_g);
    } else {
        st.bind(8, std::nullopt).bind(9, std::nullopt).bind(10, std::nullopt).bind(11, std::nullopt);
    }
    st.bind(12, r.notes).bind(13, r.updated_ms);
    st.run();
    // Optimistic local weight: a weighing sets it to the measured net, anything else adds its quantity. Clamped to
    // the seed's constraints so a stale cache can never make the durable write fail.
    sql::Stmt upd(*db_, r.measurement
                            ? "UPDATE spools SET current_weight_g = MAX(0, MIN(initial_weight_g, ?2)) WHERE id = ?1"
                            : "UPDATE spools SET current_weight_g = MAX(0, MIN(initial_weight_g, current_weight_g + ?2)) "
                              "WHERE id = ?1");
    upd.bind(1, r.spool_uuid)
        .bind(2, r.measurement ? static_cast<int64_t>(std::llround(r.measurement->net_g))
                               : static_cast<int64_t>(r.quantity_grams))
        .run();
    tx.commit();
    return r;
}

std::optional<OutboxRecord> StationStore::get_record(const std::string& id_or_prefix) {
    std::lock_guard lk(mu_);
    const std::string key = to_lower(trim(id_or_prefix));
    if (key.empty()) return std::nullopt;
    // A full id, a unique id prefix (as `queue list` prints), or a sequence number "#42"/"42".
    {
        sql::Stmt st(*db_, std::string("SELECT ") + kRecordCols + " FROM transactions WHERE id = ?1");
        st.bind(1, key);
        if (st.step()) {
            std::vector<OutboxRecord> one{read_record(st)};
            attach_new_spools_locked(one);
            return one.front();
        }
    }
    if (key.find_first_not_of("#0123456789") == std::string::npos) {
        sql::Stmt st(*db_, std::string("SELECT ") + kRecordCols + " FROM transactions WHERE seq = ?1");
        st.bind(1, static_cast<int64_t>(std::stoll(key[0] == '#' ? key.substr(1) : key)));
        if (!st.step()) return std::nullopt;
        std::vector<OutboxRecord> one{read_record(st)};
        attach_new_spools_locked(one);
        return one.front();
    }
    sql::Stmt st(*db_, std::string("SELECT ") + kRecordCols + " FROM transactions WHERE id LIKE ?1 LIMIT 2");
    st.bind(1, key + "%");
    if (!st.step()) return std::nullopt;
    std::vector<OutboxRecord> one{read_record(st)};
    if (st.step()) return std::nullopt;  // ambiguous prefix
    st.reset();
    attach_new_spools_locked(one);
    return one.front();
}

std::vector<OutboxRecord> StationStore::unsent(int limit) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, std::string("SELECT ") + kRecordCols +
                           " FROM transactions WHERE state IN ('pending', 'sent') ORDER BY seq LIMIT ?1");
    st.bind(1, limit);
    std::vector<OutboxRecord> out;
    while (st.step()) out.push_back(read_record(st));
    st.reset();
    attach_new_spools_locked(out);  // "spool created" records carry the spool to the server
    return out;
}

std::vector<OutboxRecord> StationStore::list_records(std::optional<RecordState> state, int limit) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, std::string("SELECT ") + kRecordCols + " FROM transactions" +
                           (state ? " WHERE state = ?1" : "") + " ORDER BY seq DESC LIMIT ?2");
    if (state) st.bind(1, to_string(*state));
    st.bind(2, limit);
    std::vector<OutboxRecord> out;
    while (st.step()) out.push_back(read_record(st));
    return out;
}

std::vector<OutboxRecord> StationStore::records_for_spool(const std::string& spool_uuid, int limit) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, std::string("SELECT ") + kRecordCols +
                           " FROM transactions WHERE spool_uuid = ?1 ORDER BY seq DESC LIMIT ?2");
    st.bind(1, to_lower(spool_uuid)).bind(2, limit);
    std::vector<OutboxRecord> out;
    while (st.step()) out.push_back(read_record(st));
    return out;
}

OutboxCounts StationStore::counts() {
    std::lock_guard lk(mu_);
    OutboxCounts c;
    sql::Stmt st(*db_, "SELECT state, COUNT(*), MIN(device_time_ms) FROM transactions GROUP BY state");
    while (st.step()) {
        auto s = record_state_from_string(st.text(0));
        if (!s) continue;
        const int64_t n = st.i64(1);
        switch (*s) {
            case RecordState::Pending:
            case RecordState::Sent:
                c.pending += n;
                if (!c.oldest_pending_device_time_ms || st.i64(2) < *c.oldest_pending_device_time_ms)
                    c.oldest_pending_device_time_ms = st.i64(2);
                break;
            case RecordState::Applied: c.applied += n; break;
            case RecordState::Rejected: c.rejected += n; break;
            case RecordState::Discarded: c.discarded += n; break;
        }
    }
    return c;
}

void StationStore::mark_sent(const std::vector<std::string>& ids, int64_t now_ms) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(*db_);
    sql::Stmt st(*db_, "UPDATE transactions SET state = 'sent', attempts = attempts + 1, last_attempt_ms = ?2, "
                       "updated_ms = ?2 WHERE id = ?1 AND state IN ('pending', 'sent')");
    for (const auto& id : ids) {
        st.reset();
        st.bind(1, id).bind(2, now_ms).run();
    }
    tx.commit();
}

void StationStore::mark_unsent(const std::vector<std::string>& ids) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(*db_);
    sql::Stmt st(*db_, "UPDATE transactions SET state = 'pending', updated_ms = ?2 WHERE id = ?1 AND state = 'sent'");
    const int64_t now = now_epoch_ms();
    for (const auto& id : ids) {
        st.reset();
        st.bind(1, id).bind(2, now).run();
    }
    tx.commit();
}

void StationStore::mark_applied(const std::string& id, std::optional<int> server_weight_g) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(*db_);
    sql::Stmt st(*db_, "UPDATE transactions SET state = 'applied', reason = '', server_weight_g = ?2, updated_ms = ?3 "
                       "WHERE id = ?1 AND state IN ('pending', 'sent', 'rejected', 'discarded')");
    st.bind(1, id).bind(2, server_weight_g).bind(3, now_epoch_ms()).run();
    tx.commit();
}

void StationStore::mark_rejected(const std::string& id, const std::string& reason) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, "UPDATE transactions SET state = 'rejected', reason = ?2, updated_ms = ?3 "
                       "WHERE id = ?1 AND state IN ('pending', 'sent')");
    st.bind(1, id).bind(2, reason).bind(3, now_epoch_ms()).run();
}

void StationStore::apply_server_results(const std::vector<ServerResult>& results,
                                        const std::vector<std::pair<std::string, int>>& spool_weights) {
    std::lock_guard lk(mu_);
    const int64_t now = now_epoch_ms();
    sql::Transaction tx(*db_);
    sql::Stmt ap(*db_, "UPDATE transactions SET state = 'applied', reason = ?4, server_weight_g = ?2, updated_ms = ?3 "
                       "WHERE id = ?1 AND state IN ('pending', 'sent', 'rejected', 'discarded')");
    // OR IGNORE: a stale cached spool holding the same id (renamed on the server since) must not fail the batch.
    sql::Stmt sid(*db_, "UPDATE OR IGNORE spools SET spool_id = ?2 WHERE id = (SELECT spool_uuid FROM transactions "
                        "WHERE id = ?1) AND spool_id <> ?2");
    sql::Stmt rj(*db_, "UPDATE transactions SET state = 'rejected', reason = ?2, updated_ms = ?3 "
                       "WHERE id = ?1 AND state IN ('pending', 'sent')");
    for (const auto& r : results) {
        if (r.applied) {
            ap.reset();
            ap.bind(1, r.id).bind(2, r.server_weight_g).bind(3, now).bind(4, r.reason).run();
            if (!r.spool_id.empty()) {
                sid.reset();
                sid.bind(1, r.id).bind(2, r.spool_id).run();
            }
        } else {
            rj.reset();
            rj.bind(1, r.id).bind(2, r.reason).bind(3, now).run();
        }
    }
    sql::Stmt w(*db_,
                "UPDATE spools SET current_weight_g = MAX(0, MIN(initial_weight_g, ?2)) WHERE id = ?1 AND NOT EXISTS "
                "(SELECT 1 FROM transactions t WHERE t.spool_uuid = ?1 AND t.state IN ('pending', 'sent'))");
    for (const auto& [uuid, g] : spool_weights) {
        w.reset();
        w.bind(1, to_lower(uuid)).bind(2, g).run();
    }
    tx.commit();
}

bool StationStore::retry(const std::string& id) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, "UPDATE transactions SET state = 'pending', reason = '', updated_ms = ?2 "
                       "WHERE id = ?1 AND state IN ('rejected', 'pending', 'sent')");
    st.bind(1, id).bind(2, now_epoch_ms()).run();
    return db_->changes() > 0;
}

bool StationStore::discard(const std::string& id) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, "UPDATE transactions SET state = 'discarded', updated_ms = ?2 "
                       "WHERE id = ?1 AND state IN ('rejected', 'pending')");
    st.bind(1, id).bind(2, now_epoch_ms()).run();
    return db_->changes() > 0;
}

}  // namespace batchivo
