#include "sync/targets/central/lookup_api.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "sync/targets/central/credentials.hpp"
#include "sync/targets/central/station_api.hpp"
#include "sync/domain/text.hpp"
#include "sync/domain/time.hpp"

namespace batchivo::sync {

namespace {

std::string str_or_empty(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return {};
    if (!it->is_string()) throw std::invalid_argument(std::string("'") + key + "' is not a string");
    return it->get<std::string>();
}

}  // namespace

std::optional<SpoolHistory> parse_spool_history(const std::string& body, std::string& error) {
    try {
        auto j = nlohmann::json::parse(body);
        if (!j.is_object()) throw std::invalid_argument("not an object");
        SpoolHistory h;
        if (auto sp = j.find("spool"); sp != j.end() && sp->is_object()) {
            if (auto w = sp->find("current_weight_g"); w != sp->end() && w->is_number())
                h.current_weight_g = static_cast<int>(w->get<double>());
        }
        const auto& arr = j.at("transactions");
        if (!arr.is_array()) throw std::invalid_argument("'transactions' is not an array");
        for (const auto& t : arr) {
            RemoteTransaction r;
            r.id = t.at("id").get<std::string>();
            r.client_id = str_or_empty(t, "client_id");
            auto type = transaction_type_from_string(t.at("type").get<std::string>());
            if (!type) throw std::invalid_argument("unknown transaction type");
            r.type = *type;
            r.quantity_grams = t.at("quantity_grams").get<int>();
            std::string when = str_or_empty(t, "occurred_at");
            if (when.empty()) when = str_or_empty(t, "created_at");
            auto ms = parse_iso8601_ms(when);
            if (!ms) throw std::invalid_argument("transaction " + r.id + " has no valid time");
            r.at_ms = *ms;
            if (auto w = t.find("resulting_weight_g"); w != t.end() && w->is_number_integer())
                r.resulting_weight_g = w->get<int>();
            r.notes = str_or_empty(t, "notes");
            h.transactions.push_back(std::move(r));
        }
        return h;
    } catch (const std::exception& e) {
        error = std::string("unreadable spool history from the server: ") + e.what();
        return std::nullopt;
    }
}

HistoryResult get_spool_history(HttpClient& http, const std::string& token, const std::string& spool_uuid, int limit,
                                int64_t now_ms) {
    HttpRequest req;
    req.method = "GET";
    req.target = api_path("/spools/") + percent_encode(spool_uuid) + "/transactions?limit=" + std::to_string(limit);
    req.bearer_token = token;
    HttpResponse resp = http.perform(req);
    HistoryResult out;
    out.http_status = resp.error == TransportError::None ? resp.status : 0;
    if (out.http_status == 404) {
        out.error = "the server does not know this spool";
        return out;
    }
    Classification cls = classify(resp, now_ms);
    if (cls.what != Disposition::Success) {
        out.error = cls.message.empty() ? std::string("server unreachable") : cls.message;
        return out;
    }
    auto h = parse_spool_history(resp.body, out.error);
    if (!h) return out;
    out.history = std::move(*h);
    out.ok = true;
    return out;
}

Result<TargetIdentity> get_whoami(HttpClient& http, const std::string& token, int64_t now_ms) {
    HttpRequest req;
    req.method = "GET";
    req.target = api_path("/whoami");
    req.bearer_token = token;
    const HttpResponse resp = http.perform(req);
    const Classification cls = classify(resp, now_ms);
    if (cls.what != Disposition::Success) return failure(cls.what, cls.message);
    try {
        const auto j = nlohmann::json::parse(resp.body);
        TargetIdentity id;
        id.paired = true;
        id.kind = "central";
        id.device_id = str_or_empty(j, "device_id");
        id.tenant_id = str_or_empty(j, "tenant_id");
        id.tenant_slug = str_or_empty(j, "tenant_slug");
        id.station_name = str_or_empty(j, "device_name");
        return id;
    } catch (const std::exception& e) {
        return failure(Disposition::Retry, std::string("unreadable whoami answer from the server: ") + e.what());
    }
}

HistoryResult fetch_spool_history(const std::string& data_dir, const std::string& spool_uuid, int limit,
                                  const std::atomic<bool>* abort_flag,
                                  std::function<std::unique_ptr<HttpClient>(const CurlOptions&)> client_factory,
                                  int total_timeout_ms) {
    HistoryResult out;
    std::string err;
    auto cred = load_credentials(credentials_path(data_dir), err);
    if (!cred) {
        out.not_paired = err.empty();
        out.error = err.empty() ? std::string("not paired") : err;
        return out;
    }
    CurlOptions o;
    o.base_url = cred->server_url;
    o.trust = cred->trust();
    o.connect_timeout_ms = std::min(5000, total_timeout_ms);
    o.total_timeout_ms = total_timeout_ms;
    o.abort_flag = abort_flag;
    std::unique_ptr<HttpClient> http;
    try {
        http = make_http_client(o, client_factory);
    } catch (const std::exception& e) {
        out.error = e.what();
        return out;
    }
    return get_spool_history(*http, cred->device_token, spool_uuid, limit, now_epoch_ms());
}

}  // namespace batchivo::sync
