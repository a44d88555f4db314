#include "sync/targets/spoolman/spoolman_target.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "sync/domain/time.hpp"
#include "sync/engine/retry_policy.hpp"
#include "sync/targets/spoolman/spoolman_map.hpp"

namespace batchivo::sync {

namespace {

void fill_info(CallInfo& info, const HttpResponse& r, const Classification& cls, bool write) {
    info.reachable = r.error == TransportError::None;
    info.retry_after_ms = cls.retry_after_ms;
    // A GET changes nothing; 401/429 and a failed TLS verification come before anything is applied.
    info.maybe_applied = write && !(r.status == 401 || r.status == 429 || cls.what == Disposition::TlsAlert);
}

Error call_failure(const Classification& cls) {
    if (cls.what == Disposition::Revoked)
        return failure(Disposition::Revoked,
                       "Spoolman refused the API key (401): connect again with `batchivo-station connect spoolman`. "
                       "The queue is kept.");
    return failure(cls.what, "Spoolman: " + cls.message);
}

std::string server_message(const HttpResponse& r) {
    try {
        const auto j = nlohmann::json::parse(r.body);
        if (j.is_object() && j.contains("message") && j["message"].is_string()) return j["message"].get<std::string>();
        if (j.is_object() && j.contains("detail")) return j["detail"].dump();
    } catch (const std::exception&) {
    }
    return "HTTP " + std::to_string(r.status);
}

PushedItem rejected(const OutboxRecord& r, std::string why) {
    PushedItem p;
    p.id = r.id;
    p.outcome = ItemOutcome::Rejected;
    p.reason = std::move(why);
    return p;
}

}  // namespace

SpoolmanTarget::SpoolmanTarget(SpoolmanTargetOptions opts)
    : link_(opts.connection_path, {opts.connect_timeout_ms, opts.total_timeout_ms, opts.lookup_timeout_ms},
            std::move(opts.client_factory),
            [](const std::string& path, std::string& problem) {
                return load_connection_of_kind(path, "spoolman", problem);
            },
            connection_endpoint) {
    refresh(true);
}

bool SpoolmanTarget::refresh(bool force) { return link_.refresh(force); }

TargetIdentity SpoolmanTarget::identity() const {
    return link_.inspect([](const std::optional<TargetConnection>& conn, const std::string& problem) {
        TargetIdentity id;
        id.kind = "spoolman";
        id.problem = problem;
        if (!conn) return id;
        id.paired = true;
        id.server_url = conn->url;
        // Spoolman has no tenants: one stable pseudo-tenant per server address keeps the store's tenant column filled.
        id.tenant_id = spoolman::uuid_v5("spoolman-server:" + conn->url);
        id.tenant_name = "Spoolman";
        return id;
    });
}

Result<PushedItem> SpoolmanTarget::push_one(HttpClient& http, const TargetConnection& c, const OutboxRecord& r,
                                            int64_t now_ms, CallInfo& info) {
    const auto sid = spoolman::spoolman_id_of(r.spool_label, r.spool_uuid);
    if (!sid)
        return rejected(r, "spool " + r.spool_label + " is not a spool of the connected Spoolman (recorded for another "
                           "target?)");
    const std::string path = "/api/v1/spool/" + std::to_string(*sid);
    // Read back first: the guard list tells whether this record was already applied (a lost answer).
    HttpRequest get{"GET", path, "", c.api_key};
    const HttpResponse g = http.perform(get);
    const Classification gc = classify(g, now_ms);
    fill_info(info, g, gc, false);
    if (g.status == 404) return rejected(r, "spool " + spoolman::spool_code(*sid) + " no longer exists in Spoolman");
    if (gc.what != Disposition::Success) return call_failure(gc);
    nlohmann::json spool;
    try {
        spool = nlohmann::json::parse(g.body);
    } catch (const std::exception&) {
        return failure(Disposition::Retry, "Spoolman: the spool's answer is not JSON");
    }
    const auto ids = spoolman::guard_ids(spool);
    const double remaining = spool.value("remaining_weight", nlohmann::json(0.0)).is_number()
                                 ? spool.value("remaining_weight", 0.0)
                                 : 0.0;
    if (std::find(ids.begin(), ids.end(), r.id) != ids.end()) {
        PushedItem p;
        p.id = r.id;
        p.outcome = ItemOutcome::Duplicate;
        p.spool_weight_g = static_cast<int>(std::lround(remaining));
        return p;
    }
    // Absolute target weight: a weighing sets gross - the tare the operator saw; anything else moves the server's
    // current remaining weight (read just now, so edits made meanwhile in Spoolman are kept) by the quantity.
    double target = r.measurement ? r.measurement->gross_g - r.measurement->tare_g : remaining + r.quantity_grams;
    target = std::max(0.0, std::round(target));
    nlohmann::json body{{"remaining_weight", target},
                        {"extra", {{spoolman::kGuardField, spoolman::guard_value(ids, r.id)}}}};
    HttpRequest patch{"PATCH", path, body.dump(), c.api_key};
    const HttpResponse p = http.perform(patch);
    const Classification pc = classify(p, now_ms);
    fill_info(info, p, pc, true);
    if (p.status == 404) return rejected(r, "spool " + spoolman::spool_code(*sid) + " no longer exists in Spoolman");
    if (p.status == 400 || p.status == 422)
        return rejected(r, "Spoolman refused the new weight for " + spoolman::spool_code(*sid) + ": " +
                               server_message(p));
    if (pc.what != Disposition::Success) return call_failure(pc);
    PushedItem out;
    out.id = r.id;
    out.outcome = ItemOutcome::Applied;
    out.spool_weight_g = static_cast<int>(target);
    try {
        const auto j = nlohmann::json::parse(p.body);
        if (j.contains("remaining_weight") && j["remaining_weight"].is_number())
            out.spool_weight_g = static_cast<int>(std::lround(j["remaining_weight"].get<double>()));
    } catch (const std::exception&) {
    }
    return out;
}

Result<std::vector<PushedItem>> SpoolmanTarget::push(const std::vector<OutboxRecord>& records, int64_t now_ms,
                                                     CallInfo& info, const std::atomic<bool>* abort) {
    std::lock_guard el(link_.engine_mutex());
    const auto c = link_.connection();
    if (!c) return failure(Disposition::NotPaired, "not connected: run `batchivo-station connect spoolman --url URL`");
    bool renewed = false;
    auto http = link_.engine_client(*c, abort, &renewed);
    if (!http) return http.error();
    if (renewed) guard_field_ready_ = false;  // another connection: define the field there again
    if (!guard_field_ready_) {
        // The guard's extra field must exist before a PATCH may write it (Spoolman refuses unknown keys).
        nlohmann::json def{{"name", "Batchivo applied records"}, {"field_type", "text"}};
        HttpRequest req{"POST", std::string("/api/v1/field/spool/") + spoolman::kGuardField, def.dump(), c->api_key};
        const HttpResponse r = (*http)->perform(req);
        const Classification cls = classify(r, now_ms);
        fill_info(info, r, cls, false);
        // 2xx: defined (or updated); another 4xx: already defined differently -- the PATCH tells.
        if (cls.what != Disposition::Success && cls.what != Disposition::BadRequest &&
            !(r.status >= 400 && r.status < 500 && r.status != 401 && r.status != 429 && r.status != 408))
            return call_failure(cls);
        guard_field_ready_ = true;
    }
    std::vector<PushedItem> out;
    for (const auto& r : records) {
        CallInfo one;
        auto res = push_one(**http, *c, r, now_ms, one);
        if (!res) {
            info = one;
            if (out.empty()) return res.error();
            return out;  // the answered ones count; the rest are resent with the same ids
        }
        info = one;
        out.push_back(std::move(*res));
    }
    return out;
}

Result<CatalogPage> SpoolmanTarget::pull_catalog(const std::string& cursor, int limit, int64_t now_ms, CallInfo& info,
                                                 const std::atomic<bool>* abort) {
    std::lock_guard el(link_.engine_mutex());
    const auto c = link_.connection();
    if (!c) return failure(Disposition::NotPaired, "not connected: run `batchivo-station connect spoolman --url URL`");
    auto http = link_.engine_client(*c, abort);
    if (!http) return http.error();
    int64_t offset = 0;
    try {
        if (!cursor.empty()) offset = std::max<int64_t>(0, std::stoll(cursor));
    } catch (const std::exception&) {
        offset = 0;
    }
    const int lim = std::clamp(limit, 1, 1000);
    HttpRequest req{"GET",
                    "/api/v1/spool?limit=" + std::to_string(lim) + "&offset=" + std::to_string(offset) +
                        "&sort=id:asc&allow_archived=true",
                    "", c->api_key};
    const HttpResponse r = (*http)->perform(req);
    const Classification cls = classify(r, now_ms);
    fill_info(info, r, cls, false);
    if (cls.what != Disposition::Success) return call_failure(cls);
    CatalogPage page;
    page.full_snapshot = true;
    page.server_time = iso8601_utc_ms(now_ms);
    nlohmann::json arr;
    try {
        arr = nlohmann::json::parse(r.body);
    } catch (const std::exception&) {
        return failure(Disposition::Retry, "Spoolman: the spool list is not JSON");
    }
    if (!arr.is_array()) return failure(Disposition::Retry, "Spoolman: the spool list is not an array");
    for (const auto& e : arr) {
        auto s = spoolman::to_spool(e);
        if (s) page.spools.push_back(std::move(*s));
    }
    int64_t total = offset + static_cast<int64_t>(arr.size());
    try {
        const std::string h = r.header("x-total-count");
        if (!h.empty()) total = std::stoll(h);
    } catch (const std::exception&) {
    }
    const int64_t next = offset + static_cast<int64_t>(arr.size());
    page.has_more = !arr.empty() && next < total;
    page.next_cursor = page.has_more ? std::to_string(next) : std::string();
    return page;
}

Result<SpoolHistory> SpoolmanTarget::history(const std::string&, int, const std::atomic<bool>*) {
    return Error{"unsupported",
                 "Spoolman keeps no history of a spool's weight changes: these are the station's own records."};
}

Result<TargetIdentity> SpoolmanTarget::whoami(const std::atomic<bool>* abort) {
    refresh(false);
    const auto c = link_.connection();
    if (!c) return failure(Disposition::NotPaired, "not connected");
    auto http = link_.lookup_client(*c, abort);
    if (!http) return http.error();
    const HttpResponse r = (*http)->perform({"GET", "/api/v1/info", "", c->api_key});
    const Classification cls = classify(r, now_epoch_ms());
    if (cls.what != Disposition::Success) return call_failure(cls);
    TargetIdentity id = identity();
    try {
        const auto j = nlohmann::json::parse(r.body);
        if (!j.is_object() || !j.contains("version"))
            return Error{"not_spoolman", c->url + " answered /api/v1/info, but not like Spoolman (no version)"};
        id.tenant_name = "Spoolman " + j["version"].get<std::string>();
    } catch (const std::exception&) {
        return Error{"not_spoolman", c->url + "/api/v1/info is not JSON: is this a Spoolman server?"};
    }
    return id;
}

}  // namespace batchivo::sync
