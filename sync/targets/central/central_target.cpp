#include "sync/targets/central/central_target.hpp"

#include <algorithm>

#include "sync/domain/time.hpp"
#include "sync/protocol/wire.hpp"
#include "sync/targets/central/lookup_api.hpp"
#include "sync/targets/central/station_api.hpp"

namespace batchivo::sync {

namespace {

// The batch's send time on the device clock lets central cancel a constant device clock error (wire.hpp
// TxBatch::sent_at). Written so it compiles whether or not this protocol version has the field.
template <class Batch>
void stamp_sent_at(Batch& b, const std::string& iso) {
    if constexpr (requires { b.sent_at; }) b.sent_at = iso;
}

template <class T>
void fill_info(CallInfo& info, const ApiResult<T>& r) {
    info.reachable = r.http_status != 0;
    info.http_status = r.http_status;
    info.retry_after_ms = r.cls.retry_after_ms;
    // 401 and 429 come from central before it looks at the items, and a failed TLS verification means nothing was
    // sent at all: known not applied. Anything else (5xx, network, timeout) may have been applied.
    info.maybe_applied = !(r.http_status == 401 || r.http_status == 429 || r.cls.what == Disposition::TlsAlert);
}

// A failed call as the engine's Error. A revoked token gets the operator's next step.
template <class T>
Error call_failure(const ApiResult<T>& r) {
    if (r.cls.what == Disposition::Revoked)
        return failure(Disposition::Revoked,
                       "Central no longer accepts this station's token (revoked or unknown): pair the station again. "
                       "Its queue is kept and will be sent after pairing.");
    return failure(r.cls.what, r.cls.message);
}

PushedItem to_pushed(const wire::TxResult& r) {
    PushedItem p;
    p.id = r.client_id;
    if (r.status == "applied" || r.status == "duplicate") {
        p.outcome = r.status == "applied" ? ItemOutcome::Applied : ItemOutcome::Duplicate;
        p.spool_weight_g = r.spool_weight_g;
        p.spool_id = r.spool_id;
        return p;
    }
    p.outcome = ItemOutcome::Rejected;
    p.reason = r.reason.empty() ? r.code : r.reason;
    if (!r.code.empty() && !r.reason.empty()) p.reason = r.reason + " (" + r.code + ")";
    if (p.reason.empty()) p.reason = "rejected by central";
    return p;
}

}  // namespace

CentralTarget::CentralTarget(CentralTargetOptions opts)
    : link_(opts.credentials_path, {opts.connect_timeout_ms, opts.total_timeout_ms, opts.lookup_timeout_ms},
            std::move(opts.client_factory),
            [](const std::string& path, std::string& problem) { return load_credentials(path, problem); },
            [](const Credentials& c) {
                CurlOptions co;
                co.base_url = c.server_url;
                co.trust = c.trust();  // the CA and key pin from pairing
                return co;
            }) {
    refresh(true);
}

bool CentralTarget::refresh(bool force) { return link_.refresh(force); }

std::optional<Credentials> CentralTarget::credentials() const { return link_.connection(); }

TargetIdentity CentralTarget::identity() const {
    return link_.inspect([](const std::optional<Credentials>& creds, const std::string& problem) {
        TargetIdentity id;
        id.kind = "central";
        id.problem = problem;
        if (!creds) return id;
        id.paired = true;
        id.server_url = creds->server_url;
        id.tenant_id = creds->tenant_id;
        id.tenant_slug = creds->tenant_slug;
        id.tenant_name = creds->tenant_name;
        id.device_id = creds->device_id;
        id.station_name = creds->station_name;
        return id;
    });
}

int CentralTarget::max_batch_items() const { return wire::kMaxBatchItems; }

Result<std::vector<PushedItem>> CentralTarget::push(const std::vector<OutboxRecord>& records, int64_t now_ms,
                                                    CallInfo& info, const std::atomic<bool>* abort) {
    std::lock_guard el(link_.engine_mutex());
    const auto c = credentials();
    if (!c) return failure(Disposition::NotPaired, "not paired: scan a pairing code");
    auto http = link_.engine_client(*c, abort);
    if (!http) return http.error();
    wire::TxBatch batch;
    batch.items.reserve(records.size());
    for (const auto& r : records) batch.items.push_back(to_wire_item(r));
    stamp_sent_at(batch, iso8601_utc_ms(now_ms));  // set anew on every attempt
    auto res = api_post_transactions(**http, c->device_token, batch, now_ms);
    fill_info(info, res);
    if (res.cls.what != Disposition::Success) return call_failure(res);
    std::vector<PushedItem> out;
    out.reserve(res.value->results.size());
    for (const auto& r : res.value->results) {
        if (r.status != "applied" && r.status != "duplicate" && r.status != "rejected") continue;  // resent
        out.push_back(to_pushed(r));
    }
    return out;
}

Result<CatalogPage> CentralTarget::pull_catalog(const std::string& cursor, int limit, int64_t now_ms, CallInfo& info,
                                                const std::atomic<bool>* abort) {
    std::lock_guard el(link_.engine_mutex());
    const auto c = credentials();
    if (!c) return failure(Disposition::NotPaired, "not paired: scan a pairing code");
    auto http = link_.engine_client(*c, abort);
    if (!http) return http.error();
    CatalogTag tag;
    auto res = api_get_catalog(**http, c->device_token, cursor, std::clamp(limit, 1, wire::kMaxCatalogPage), now_ms,
                               info.if_none_match, &tag);
    fill_info(info, res);
    if (res.cls.what != Disposition::Success) return call_failure(res);
    auto& d = *res.value;
    CatalogPage page;
    page.material_types = std::move(d.material_types);
    page.spools.reserve(d.spools.size());
    for (auto& cs : d.spools) page.spools.push_back(std::move(cs.spool));
    page.reorder_settings = std::move(d.reorder_settings);
    page.deleted_spools = std::move(d.deleted_spools);
    page.deleted_reorder_settings = std::move(d.deleted_reorder_settings);
    page.next_cursor = std::move(d.next_cursor);
    page.has_more = d.has_more;
    page.server_time = std::move(d.server_time);
    if (d.open_purchases) page.open_purchases = wire::purchase_lines_of(*d.open_purchases);
    page.products = std::move(d.products);
    page.etag = std::move(tag.etag);
    page.not_modified = tag.not_modified;
    return page;
}

Result<SpoolHistory> CentralTarget::history(const std::string& spool_uuid, int limit, const std::atomic<bool>* abort) {
    refresh(false);  // paired from another process meanwhile
    const auto c = credentials();
    if (!c) {
        const auto id = identity();
        return Error{std::string(to_string(Disposition::NotPaired)), id.problem.empty() ? "not paired" : id.problem};
    }
    auto http = link_.lookup_client(*c, abort);
    if (!http) return http.error();
    return get_spool_history(**http, c->device_token, spool_uuid, limit, now_epoch_ms());
}

Result<TargetIdentity> CentralTarget::whoami(const std::atomic<bool>* abort) {
    refresh(false);
    const auto c = credentials();
    if (!c) return failure(Disposition::NotPaired, "not paired");
    auto http = link_.lookup_client(*c, abort);
    if (!http) return http.error();
    auto r = get_whoami(**http, c->device_token, now_epoch_ms());
    if (!r) return r;
    TargetIdentity id = identity();  // what central answers wins; the tenant's name is only known from pairing
    if (!r->device_id.empty()) id.device_id = r->device_id;
    if (!r->tenant_id.empty()) id.tenant_id = r->tenant_id;
    if (!r->tenant_slug.empty()) id.tenant_slug = r->tenant_slug;
    if (!r->station_name.empty()) id.station_name = r->station_name;
    return id;
}

}  // namespace batchivo::sync
