#include "sync/targets/central/lookup_api.hpp"

#include "sync/domain/text.hpp"
#include "sync/domain/time.hpp"
#include "sync/protocol/api.hpp"
#include "sync/protocol/lookup.hpp"
#include "sync/targets/central/station_api.hpp"

namespace batchivo::sync {

Result<SpoolHistory> parse_spool_history(const std::string& body) {
    auto r = wire::parse<wire::SpoolHistoryResponse>(body, "spool history from the server");
    if (!r) return r.error();
    SpoolHistory h;
    h.current_weight_g = r->spool.spool.current_weight_g;
    for (const auto& t : r->transactions) {
        RemoteTransaction x;
        x.id = t.tx.id;
        x.client_id = t.client_id;
        x.type = t.tx.type;
        x.quantity_grams = t.tx.quantity_grams;
        auto ms = parse_iso8601_ms(t.occurred_at.empty() ? t.tx.created_at : t.occurred_at);
        if (!ms) return Error{"invalid_body", "spool history from the server: transaction " + t.tx.id + " has no valid time"};
        x.at_ms = *ms;
        x.resulting_weight_g = t.resulting_weight_g;
        x.notes = t.tx.notes;
        h.transactions.push_back(std::move(x));
    }
    return h;
}

Result<SpoolHistory> get_spool_history(HttpClient& http, const std::string& token, const std::string& spool_uuid,
                                       int limit, int64_t now_ms) {
    HttpRequest req;
    req.method = "GET";
    req.target = api_path("/spools/") + percent_encode(spool_uuid) + "/transactions?limit=" + std::to_string(limit);
    req.bearer_token = token;
    const HttpResponse resp = http.perform(req);
    if (resp.error == TransportError::None && resp.status == 404)
        return Error{"not_found", "the server does not know this spool"};
    const Classification cls = classify(resp, now_ms);
    if (cls.what != Disposition::Success)
        return failure(cls.what, cls.message.empty() ? std::string("server unreachable") : cls.message);
    return parse_spool_history(resp.body);
}

Result<TargetIdentity> get_whoami(HttpClient& http, const std::string& token, int64_t now_ms) {
    HttpRequest req;
    req.method = "GET";
    req.target = api_path("/whoami");
    req.bearer_token = token;
    const HttpResponse resp = http.perform(req);
    const Classification cls = classify(resp, now_ms);
    if (cls.what != Disposition::Success) return failure(cls.what, cls.message);
    auto w = wire::parse<wire::WhoAmIResponse>(resp.body, "whoami answer from the server");
    if (!w) return failure(Disposition::Retry, w.error().message);
    TargetIdentity id;
    id.paired = true;
    id.kind = "central";
    id.device_id = w->device_id;
    id.tenant_id = w->tenant_id;
    id.tenant_slug = w->tenant_slug;
    id.station_name = w->device_name;
    return id;
}

}  // namespace batchivo::sync
