#include "sync/central/apply/batch_plan.hpp"

#include <cmath>
#include <cstdio>

#include "sync/central/common/secrets.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/protocol/text_rules.hpp"

namespace batchivo::central {

std::string item_content_hash(const std::string& device_id, const wire::TxItem& i) {
    char buf[128];
    std::string s = device_id + "|" + normalize_uuid(i.client_id) + "|" + std::to_string(i.device_seq) + "|";
    const auto t = parse_iso8601_ms(i.device_time);
    s += (t ? std::to_string(*t) : i.device_time) + "|" + normalize_uuid(i.spool_uuid) + "|" + i.type + "|" +
         std::to_string(i.quantity_grams) + "|";
    if (i.measurement) {
        std::snprintf(buf, sizeof buf, "%.2f|%.2f|%.2f|", i.measurement->gross_g, i.measurement->tare_g,
                      i.measurement->net_g);
        s += buf + i.measurement->tare_source + "|";
    } else {
        s += "-|";
    }
    s += i.notes;
    if (i.new_spool) {  // only then, so hashes of items stored before new spools existed stay the same
        const auto& n = *i.new_spool;
        s += "|new|" + n.spool_id + "|" + n.material + "|" + n.brand + "|" + n.color + "|" + n.color_hex + "|" +
             std::to_string(n.initial_weight_g) + "|" +
             (n.empty_spool_weight_g ? std::to_string(*n.empty_spool_weight_g) : std::string("-")) + "|" +
             n.storage_location + "|" + normalize_uuid(n.purchase_item_id);
    }
    return sha256_hex(s);
}

BatchClock batch_clock(const wire::TxBatch& batch, int64_t server_now_ms) {
    BatchClock c;
    c.server_now_ms = server_now_ms;
    if (batch.sent_at) {
        if (const auto sent = parse_iso8601_ms(*batch.sent_at)) {
            if (wire::wire_time_in_range(*sent))
                c.offset_ms = server_now_ms - *sent;
            else
                c.sent_at_error = "sent_at must be from 1970-01-01T00:00:00.000Z up to (not including) "
                                  "2200-01-01T00:00:00.000Z";
        }
    }
    return c;
}

int64_t corrected_time_ms(const BatchClock& clock, const wire::TxItem& item) {
    if (!clock.offset_ms) return clock.server_now_ms;
    const auto t = parse_iso8601_ms(item.device_time);
    if (!t) return clock.server_now_ms;  // validate_item rejects such items before this matters
    // Both times are within wire_time_in_range (validate_item, batch_clock), so this cannot overflow.
    const int64_t at = *t + *clock.offset_ms;
    if (at < wire::kMinWireTimeMs) return wire::kMinWireTimeMs;  // clamp: both stores hold 1970 onwards
    return at < clock.server_now_ms ? at : clock.server_now_ms;  // nothing was measured in the server's future
}

namespace {
// A "spool created" item whose typed spool_id another spool had taken first got a fresh one (the stores assign it):
// the applied/duplicate result says so, so the station adopts it and tells the operator.
void note_reassigned(wire::TxResult& r, const NewSpool& sent) {
    if (sent.spool_id.empty() || r.spool_id.empty() || r.spool_id == sent.spool_id) return;
    r.code = "spool_id_reassigned";
    r.reason = "spool_id '" + sent.spool_id + "' was already used in this tenant; this spool is '" + r.spool_id + "'";
}
}  // namespace

BatchPlan plan_batch(const std::string& device_id, const std::vector<wire::TxItem>& items,
                     std::map<std::string, PlanSpool>& spools, std::map<std::string, PlanExisting>& existing,
                     std::map<std::string, int64_t>& last_weighing_seq, const BatchClock& clock,
                     const SpoolCreator& create_spool) {
    BatchPlan plan;
    plan.results.reserve(items.size());
    for (const auto& item : items) {
        wire::TxResult r;
        r.client_id = item.client_id;
        auto reject = [&](const std::string& code, const std::string& reason) {
            r.status = "rejected";
            r.code = code;
            r.reason = reason;
            plan.results.push_back(r);
        };
        if (const auto valid = wire::validate_item(item); !valid) {
            reject(valid.error().code, valid.error().message);
            continue;
        }
        if (!clock.sent_at_error.empty()) {
            reject("invalid_item", clock.sent_at_error);
            continue;
        }
        const std::string cid = normalize_uuid(item.client_id);
        const std::string sid = normalize_uuid(item.spool_uuid);
        const std::string hash = item_content_hash(device_id, item);
        if (auto ex = existing.find(cid); ex != existing.end()) {
            if (ex->second.content_hash == hash) {
                r.status = "duplicate";
                r.transaction_id = ex->second.id;
                if (item.new_spool) {
                    r.spool_id = ex->second.spool_id;
                    note_reassigned(r, *item.new_spool);
                }
                if (auto sp = spools.find(sid); sp != spools.end()) r.spool_weight_g = sp->second.current_weight_g;
                plan.results.push_back(r);
            } else {
                reject("conflict", "client_id " + cid + " was already used for a different transaction");
            }
            continue;
        }
        auto sp = spools.find(sid);
        if (item.new_spool) {
            // "spool created": the spool must not exist yet; the store creates it (spool_id, purchase line) in the
            // same database transaction, and this item becomes its purchase transaction.
            if (sp != spools.end()) {
                reject("conflict", "spool " + sid + " already exists");
                continue;
            }
            if (!create_spool) {
                reject("unsupported", "this server cannot create spools");
                continue;
            }
            const SpoolCreation made = create_spool(item);
            if (!made.error_code.empty()) {
                reject(made.error_code, made.reason);
                continue;
            }
            PlanSpool ps;
            ps.id = sid;
            ps.initial_weight_g = item.new_spool->initial_weight_g;
            ps.current_weight_g = item.new_spool->initial_weight_g;
            spools[sid] = ps;
            PlannedRow row;
            row.id = new_uuid_v7();
            row.item = &item;
            row.content_hash = hash;
            row.occurred_ms = corrected_time_ms(clock, item);
            row.quantity_grams = item.quantity_grams;
            row.resulting_weight_g = ps.current_weight_g;
            row.reference_type = made.reference_type;
            row.reference_id = made.reference_id;
            r.status = "applied";
            r.transaction_id = row.id;
            r.spool_weight_g = ps.current_weight_g;
            r.spool_id = made.spool_id;
            note_reassigned(r, *item.new_spool);
            existing[cid] = PlanExisting{row.id, hash, made.spool_id};
            plan.rows.push_back(std::move(row));
            plan.results.push_back(r);
            continue;
        }
        if (sp == spools.end()) {
            reject("unknown_spool", "no spool " + sid + " in this tenant");
            continue;
        }
        PlanSpool& spool = sp->second;
        PlannedRow row;
        row.id = new_uuid_v7();
        row.item = &item;
        row.content_hash = hash;
        row.occurred_ms = corrected_time_ms(clock, item);
        // Ordering rule (docs/CENTRAL.md): within one device its device_seq decides; across devices the measured
        // times on the server's clock do. An item older than the spool's latest applied weighing from another
        // device was measured by that weighing already.
        const auto lw = last_weighing_seq.find(sid);
        const bool seq_superseded = lw != last_weighing_seq.end() && lw->second > item.device_seq;
        const bool time_superseded = !seq_superseded && spool.last_weighing_ms &&
                                     spool.last_weighing_device != device_id && row.occurred_ms < *spool.last_weighing_ms;
        auto later_weighing = [&]() -> std::string {
            if (seq_superseded) return "a later weighing (device_seq " + std::to_string(lw->second) + ") from this device";
            return "a weighing taken later by another device (at " + iso8601_utc_ms(*spool.last_weighing_ms) +
                   " server time; this item at " + iso8601_utc_ms(row.occurred_ms) + ")";
        };
        if (item.measurement) {
            const long long net = std::llround(item.measurement->net_g);
            if (net > spool.initial_weight_g) {
                reject("weight_constraint", "measured net " + std::to_string(net) + " g exceeds the spool's initial weight " +
                                                std::to_string(spool.initial_weight_g) + " g");
                continue;
            }
            if (seq_superseded || time_superseded) {
                row.weight_applied = false;
                row.quantity_grams = 0;
                r.code = "stale_weighing";
                r.reason = "recorded in history; " + later_weighing() + " already set the weight";
            } else {
                row.quantity_grams = static_cast<int>(net) - spool.current_weight_g;
                spool.current_weight_g = static_cast<int>(net);
                spool.changed = true;
                spool.last_weighing_ms = row.occurred_ms;
                spool.last_weighing_device = device_id;
                last_weighing_seq[sid] = item.device_seq;
            }
        } else if (seq_superseded || time_superseded) {
            row.weight_applied = false;
            row.quantity_grams = 0;
            r.code = "superseded";
            r.reason = "recorded in history; " + later_weighing() + " already includes it";
        } else {
            const long long next = static_cast<long long>(spool.current_weight_g) + item.quantity_grams;
            if (next < 0) {
                reject("weight_constraint", "spool has " + std::to_string(spool.current_weight_g) + " g; cannot remove " +
                                                std::to_string(-item.quantity_grams) + " g");
                continue;
            }
            if (next > spool.initial_weight_g) {
                reject("weight_constraint", "resulting weight " + std::to_string(next) +
                                                " g would exceed the spool's initial weight " +
                                                std::to_string(spool.initial_weight_g) + " g");
                continue;
            }
            row.quantity_grams = item.quantity_grams;
            spool.current_weight_g = static_cast<int>(next);
            spool.changed = true;
        }
        row.resulting_weight_g = spool.current_weight_g;
        r.status = "applied";
        r.transaction_id = row.id;
        r.spool_weight_g = spool.current_weight_g;
        existing[cid] = PlanExisting{row.id, hash};
        plan.rows.push_back(std::move(row));
        plan.results.push_back(r);
    }
    return plan;
}

}  // namespace batchivo::central
