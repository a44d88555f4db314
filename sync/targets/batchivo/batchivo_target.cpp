#include "sync/targets/batchivo/batchivo_target.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/engine/retry_policy.hpp"
#include "sync/targets/batchivo/batchivo_map.hpp"

namespace batchivo::sync {

namespace {

constexpr const char* kSignInAgain =
    "Batchivo: the session has expired: sign in again (Setup > Server, or `batchivo-station connect batchivo`). "
    "Records keep queueing.";
constexpr int64_t kExpirySlackS = 60;  // refresh this long before the access token's exp

void fill_info(CallInfo& info, const HttpResponse& r, const Classification& cls, bool write) {
    info.reachable = r.error == TransportError::None;
    info.retry_after_ms = cls.retry_after_ms;
    info.http_status = r.status;
    // A GET changes nothing; 401/403/429 and a failed TLS verification come before anything is applied.
    info.maybe_applied =
        write && !(r.status == 401 || r.status == 403 || r.status == 429 || cls.what == Disposition::TlsAlert);
}

Error call_failure(const Classification& cls) {
    if (cls.what == Disposition::Revoked) return failure(Disposition::Revoked, kSignInAgain);
    return failure(cls.what, "Batchivo: " + cls.message);
}

PushedItem rejected(const OutboxRecord& r, std::string why) {
    PushedItem p;
    p.id = r.id;
    p.outcome = ItemOutcome::Rejected;
    p.reason = std::move(why);
    return p;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string fmt_g(double g) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f g", g);
    return buf;
}

bool same_g(double a, double b) { return std::fabs(a - b) < 0.05; }

std::vector<std::pair<std::string, std::string>> tenant_header(const std::string& tenant) {
    if (tenant.empty()) return {};
    return {{"X-Tenant-ID", tenant}};
}

std::string default_journal(const BatchivoTargetOptions& o) {
    if (!o.journal_path.empty()) return o.journal_path;
    const std::string dir = std::filesystem::path(o.connection_path).parent_path().string();
    return (dir.empty() ? std::string(".") : dir) + "/batchivo_journal.jsonl";
}

}  // namespace

// ---- sign in (connect) ----

Result<TargetConnection> batchivo_sign_in(TargetConnection conn, const std::string& email, const std::string& password,
                                          const std::string& tenant_id, const HttpClientFactory& factory,
                                          int connect_ms, int total_ms, const std::atomic<bool>* abort) {
    if (email.empty() || password.empty()) return Error{"invalid_input", "an email and a password are required"};
    if (!tenant_id.empty() && !is_uuid(tenant_id))
        return Error{"invalid_input", "--tenant must be the tenant's UUID, not " + tenant_id};
    std::unique_ptr<HttpClient> http;
    try {
        http = make_http_client(transport_options(connection_endpoint(conn), connect_ms, total_ms, abort), factory);
    } catch (const std::exception& e) {
        return Error{"invalid_input", e.what()};
    }
    const int64_t now = now_epoch_ms();
    HttpRequest login{"POST", "/api/v1/auth/login", nlohmann::json{{"email", email}, {"password", password}}.dump(),
                      ""};
    const HttpResponse r = http->perform(login);
    const Classification cls = classify(r, now);
    if (r.status == 401 || r.status == 403)
        return Error{"sign_in_failed", "Batchivo refused the sign-in: " + batchivo_api::error_detail(r.body, r.status)};
    if (r.status == 429)
        return Error{"rate_limited", "too many sign-in attempts (Batchivo allows 5 a minute): wait a minute and try "
                                     "again"};
    if (r.status == 404) return Error{"not_batchivo", conn.url + " has no /api/v1/auth/login: is this a Batchivo server?"};
    if (r.status == 422)
        return Error{"sign_in_failed", "Batchivo refused the sign-in: " + batchivo_api::error_detail(r.body, r.status)};
    if (cls.what != Disposition::Success) return failure(cls.what, "Batchivo: " + cls.message);
    try {
        const auto j = nlohmann::json::parse(r.body);
        conn.access_token = j.at("access_token").get<std::string>();
        conn.refresh_token = j.at("refresh_token").get<std::string>();
    } catch (const std::exception&) {
        return Error{"not_batchivo", conn.url + " answered the sign-in, but not like Batchivo (no tokens)"};
    }
    conn.kind = "batchivo";
    conn.email = email;
    // Who is this, and which tenant did Batchivo pick (the oldest membership) when none is given?
    HttpRequest me{"GET", "/api/v1/users/me", "", conn.access_token};
    const HttpResponse m = http->perform(me);
    const Classification mc = classify(m, now);
    if (mc.what != Disposition::Success) return failure(mc.what, "Batchivo /api/v1/users/me: " + mc.message);
    std::string default_tenant, default_name;
    try {
        const auto j = nlohmann::json::parse(m.body);
        if (j.contains("tenant_id") && j["tenant_id"].is_string()) default_tenant = lower(j["tenant_id"].get<std::string>());
        if (j.contains("tenant_name") && j["tenant_name"].is_string()) default_name = j["tenant_name"].get<std::string>();
    } catch (const std::exception&) {
        return Error{"not_batchivo", conn.url + "/api/v1/users/me is not JSON: is this a Batchivo server?"};
    }
    if (tenant_id.empty()) {
        if (default_tenant.empty())
            return Error{"forbidden_tenant", "the account " + email + " belongs to no tenant in Batchivo"};
        conn.tenant_id = default_tenant;
        conn.tenant_name = default_name;
        conn.tenant_chosen = false;
    } else {
        conn.tenant_id = lower(tenant_id);
        conn.tenant_name = conn.tenant_id == default_tenant ? default_name : std::string();
        conn.tenant_chosen = true;
    }
    // The tenant must answer: one small page of spools with X-Tenant-ID.
    HttpRequest probe{"GET", "/api/v1/spools?page=1&page_size=1", "", conn.access_token, tenant_header(conn.tenant_id)};
    const HttpResponse p = http->perform(probe);
    if (p.status == 403 || p.status == 404)
        return Error{"forbidden_tenant", "Batchivo refused tenant " + conn.tenant_id + " for " + email + ": " +
                                             batchivo_api::error_detail(p.body, p.status)};
    const Classification pc = classify(p, now);
    if (pc.what != Disposition::Success) return failure(pc.what, "Batchivo /api/v1/spools: " + pc.message);
    return conn;
}

// ---- the target ----

BatchivoTarget::BatchivoTarget(BatchivoTargetOptions opts)
    : link_(opts.connection_path, {opts.connect_timeout_ms, opts.total_timeout_ms, opts.lookup_timeout_ms},
            opts.client_factory,
            [](const std::string& path, std::string& problem) {
                return load_connection_of_kind(path, "batchivo", problem);
            },
            connection_endpoint),
      journal_(default_journal(opts)) {
    refresh(true);
}

bool BatchivoTarget::refresh(bool force) { return link_.refresh(force); }

TargetIdentity BatchivoTarget::identity() const {
    return link_.inspect([](const std::optional<TargetConnection>& conn, const std::string& problem) {
        TargetIdentity id;
        id.kind = "batchivo";
        id.problem = problem;
        if (!conn) return id;
        id.paired = true;
        id.server_url = conn->url;
        id.tenant_id = conn->tenant_id;
        id.tenant_name = conn->tenant_name.empty() ? "tenant " + conn->tenant_id.substr(0, 8) : conn->tenant_name;
        id.station_name = conn->email;
        return id;
    });
}

Result<> BatchivoTarget::refresh_session(HttpClient& http, const std::string& failed_access_token, int64_t now_ms) {
    std::lock_guard rl(refresh_mu_);
    auto c = link_.connection();
    if (!c) return failure(Disposition::NotPaired, "not connected");
    if (c->access_token != failed_access_token) return {};  // another thread refreshed meanwhile
    if (c->refresh_token.empty()) return failure(Disposition::Revoked, kSignInAgain);
    HttpRequest req{"POST", "/api/v1/auth/refresh", nlohmann::json{{"refresh_token", c->refresh_token}}.dump(), ""};
    const HttpResponse r = http.perform(req);
    if (r.status == 400 || r.status == 401 || r.status == 403 || r.status == 422)
        return failure(Disposition::Revoked, kSignInAgain);
    const Classification cls = classify(r, now_ms);
    if (cls.what != Disposition::Success) return call_failure(cls);
    try {
        const auto j = nlohmann::json::parse(r.body);
        c->access_token = j.at("access_token").get<std::string>();
        c->refresh_token = j.value("refresh_token", c->refresh_token);
    } catch (const std::exception&) {
        return failure(Disposition::Retry, "Batchivo: the session refresh answer has no tokens");
    }
    // Rotation: the old refresh token is spent, so the new pair must survive a restart.
    if (auto s = link_.store(*c, save_connection); !s)
        return failure(Disposition::Retry, "Batchivo: cannot store the refreshed session: " + s.error().message);
    return {};
}

Result<HttpResponse> BatchivoTarget::call(HttpClient& http, HttpRequest req, int64_t now_ms) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        const auto c = link_.connection();
        if (!c) return failure(Disposition::NotPaired, "not connected: run `batchivo-station connect batchivo`");
        const auto exp = batchivo_api::jwt_expiry(c->access_token);
        if (attempt == 0 && exp && *exp - kExpirySlackS <= now_ms / 1000) {
            if (auto r = refresh_session(http, c->access_token, now_ms); !r) return r.error();
            continue;
        }
        req.bearer_token = c->access_token;
        req.headers = tenant_header(c->tenant_id);
        HttpResponse resp = http.perform(req);
        if (resp.status != 401) return resp;
        if (attempt == 1) return failure(Disposition::Revoked, kSignInAgain);
        if (auto r = refresh_session(http, c->access_token, now_ms); !r) return r.error();
    }
    return failure(Disposition::Revoked, kSignInAgain);
}

Result<PushedItem> BatchivoTarget::push_one(HttpClient& http, const OutboxRecord& r, int64_t now_ms, CallInfo& info) {
    const std::string uuid = lower(r.spool_uuid);
    if (!is_uuid(uuid))
        return rejected(r, "spool " + r.spool_label + " is not a spool of the connected Batchivo (recorded for "
                           "another target?)");
    const std::string path = "/api/v1/spools/" + uuid;
    const std::string name = r.spool_label.empty() ? uuid : r.spool_label;
    auto g = call(http, {"GET", path, "", ""}, now_ms);
    if (!g) return g.error();
    const Classification gc = classify(*g, now_ms);
    fill_info(info, *g, gc, false);
    if (g->status == 404 || g->status == 403)
        return rejected(r, "spool " + name + " does not exist in Batchivo for this tenant (deleted, or another "
                           "tenant's spool)");
    if (gc.what != Disposition::Success) return call_failure(gc);
    double current = 0;
    std::string updated_at;
    try {
        const auto j = nlohmann::json::parse(g->body);
        current = j.at("current_weight").get<double>();
        updated_at = j.value("updated_at", "");
    } catch (const std::exception&) {
        return failure(Disposition::Retry, "Batchivo: the spool's answer has no current_weight");
    }
    double target;
    if (const auto prev = journal_.find(r.id)) {
        if (same_g(current, prev->after_g)) {  // applied before; its answer was lost
            PushedItem p;
            p.id = r.id;
            p.outcome = ItemOutcome::Duplicate;
            p.spool_weight_g = static_cast<int>(std::lround(current));
            return p;
        }
        if (!(same_g(current, prev->before_g) && updated_at == prev->before_updated_at)) {
            // Changed by someone else since this record was sent: whether it was applied cannot be known. Park it;
            // forget the attempt so that an operator's Retry applies it afresh to the weight then.
            (void)journal_.forget(r.id);
            return rejected(r, "spool " + name + " was changed in Batchivo by someone else while this record's answer "
                               "was lost (it was " + fmt_g(prev->before_g) + ", this record sets " +
                               fmt_g(prev->after_g) + ", Batchivo now says " + fmt_g(current) +
                               "). Check the spool: Retry applies it to the current weight, Discard drops it.");
        }
        target = prev->after_g;  // never arrived: the same absolute write again
    } else {
        // A weighing sets gross - the tare the operator saw; anything else moves the weight read just now.
        target = r.measurement ? r.measurement->gross_g - r.measurement->tare_g : current + r.quantity_grams;
        target = std::max(0.0, std::round(target * 100) / 100);
        batchivo_api::Attempt a{r.id, uuid, current, updated_at, target};
        if (auto s = journal_.add(a); !s)
            return failure(Disposition::Retry, "cannot record the attempt before writing to Batchivo: " +
                                                   s.error().message);
    }
    auto p = call(http, {"PUT", path, nlohmann::json{{"current_weight", target}}.dump(), ""}, now_ms);
    if (!p) {
        info.maybe_applied = disposition_of(p.error()) != Disposition::Revoked;
        return p.error();
    }
    const Classification pc = classify(*p, now_ms);
    fill_info(info, *p, pc, true);
    if (p->status == 404 || p->status == 403)
        return rejected(r, "spool " + name + " does not exist in Batchivo for this tenant (deleted, or another "
                           "tenant's spool)");
    if (p->status == 400 || p->status == 422)
        return rejected(r, "Batchivo refused the new weight for " + name + ": " +
                               batchivo_api::error_detail(p->body, p->status));
    if (pc.what != Disposition::Success) return call_failure(pc);
    PushedItem out;
    out.id = r.id;
    out.outcome = ItemOutcome::Applied;
    out.spool_weight_g = static_cast<int>(std::lround(target));
    try {
        const auto j = nlohmann::json::parse(p->body);
        if (j.contains("current_weight") && j["current_weight"].is_number())
            out.spool_weight_g = static_cast<int>(std::lround(j["current_weight"].get<double>()));
    } catch (const std::exception&) {
    }
    return out;
}

Result<std::vector<PushedItem>> BatchivoTarget::push(const std::vector<OutboxRecord>& records, int64_t now_ms,
                                                     CallInfo& info, const std::atomic<bool>* abort) {
    std::lock_guard el(link_.engine_mutex());
    const auto c = link_.connection();
    if (!c) return failure(Disposition::NotPaired, "not connected: run `batchivo-station connect batchivo`");
    auto http = link_.engine_client(*c, abort);
    if (!http) return http.error();
    std::vector<PushedItem> out;
    for (const auto& r : records) {
        CallInfo one;
        auto res = push_one(**http, r, now_ms, one);
        info = one;
        if (!res) {
            if (out.empty()) return res.error();
            return out;  // the answered ones count; the rest are resent with the same ids
        }
        out.push_back(std::move(*res));
    }
    return out;
}

Result<CatalogPage> BatchivoTarget::pull_catalog(const std::string& cursor, int, int64_t now_ms, CallInfo& info,
                                                 const std::atomic<bool>* abort) {
    std::lock_guard el(link_.engine_mutex());
    const auto c = link_.connection();
    if (!c) return failure(Disposition::NotPaired, "not connected: run `batchivo-station connect batchivo`");
    auto http = link_.engine_client(*c, abort);
    if (!http) return http.error();
    int64_t page_no = 1;
    try {
        if (!cursor.empty()) page_no = std::max<int64_t>(1, std::stoll(cursor));
    } catch (const std::exception&) {
        page_no = 1;
    }
    auto r = call(**http,
                  {"GET", "/api/v1/spools?page=" + std::to_string(page_no) + "&page_size=" + std::to_string(kPageSize),
                   "", ""},
                  now_ms);
    if (!r) return r.error();
    const Classification cls = classify(*r, now_ms);
    fill_info(info, *r, cls, false);
    if (cls.what != Disposition::Success) return call_failure(cls);
    CatalogPage page;
    page.full_snapshot = true;
    page.server_time = iso8601_utc_ms(now_ms);
    int64_t total = 0;
    size_t n = 0;
    try {
        const auto j = nlohmann::json::parse(r->body);
        const auto& arr = j.at("spools");
        if (!arr.is_array()) return failure(Disposition::Retry, "Batchivo: the spool list is not an array");
        n = arr.size();
        total = j.value("total", static_cast<int64_t>(0));
        for (const auto& e : arr) {
            auto s = batchivo_api::to_spool(e);
            if (s) page.spools.push_back(std::move(*s));
        }
    } catch (const std::exception&) {
        return failure(Disposition::Retry, "Batchivo: the spool list is not {total, spools: [...]}");
    }
    const int64_t seen = (page_no - 1) * kPageSize + static_cast<int64_t>(n);
    page.has_more = n > 0 && seen < total;
    page.next_cursor = page.has_more ? std::to_string(page_no + 1) : std::string();
    return page;
}

Result<SpoolHistory> BatchivoTarget::history(const std::string&, int, const std::atomic<bool>*) {
    return Error{"unsupported",
                 "Batchivo keeps no history of a spool's weight changes (it writes no transaction rows): these are "
                 "the station's own records."};
}

Result<TargetIdentity> BatchivoTarget::whoami(const std::atomic<bool>* abort) {
    refresh(false);
    const auto c = link_.connection();
    if (!c) return failure(Disposition::NotPaired, "not connected");
    auto http = link_.lookup_client(*c, abort);
    if (!http) return http.error();
    auto r = call(**http, {"GET", "/api/v1/users/me", "", ""}, now_epoch_ms());
    if (!r) return r.error();
    const Classification cls = classify(*r, now_epoch_ms());
    if (cls.what != Disposition::Success) return call_failure(cls);
    TargetIdentity id = identity();
    try {
        const auto j = nlohmann::json::parse(r->body);
        if (!j.is_object() || !j.contains("email"))
            return Error{"not_batchivo", c->url + " answered /api/v1/users/me, but not like Batchivo (no email)"};
        id.station_name = j["email"].get<std::string>();
    } catch (const std::exception&) {
        return Error{"not_batchivo", c->url + "/api/v1/users/me is not JSON: is this a Batchivo server?"};
    }
    return id;
}

}  // namespace batchivo::sync
