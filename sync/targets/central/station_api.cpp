#include "sync/targets/central/station_api.hpp"

#include "sync/domain/text.hpp"
#include "sync/domain/time.hpp"

namespace batchivo::sync {

std::string api_path(std::string_view endpoint) { return std::string(wire::kApiPrefix) + std::string(endpoint); }

namespace {

template <class T>
ApiResult<T> finish(const HttpResponse& r, int64_t now_ms) {
    ApiResult<T> out;
    out.cls = classify(r, now_ms);
    out.http_status = r.error == TransportError::None ? r.status : 0;
    if (out.cls.what != Disposition::Success) return out;
    try {
        out.value = nlohmann::json::parse(r.body).get<T>();
    } catch (const std::exception& e) {
        // A 2xx we cannot read is a server/proxy problem, not the records' fault: keep everything and retry.
        out.cls.what = Disposition::Retry;
        out.cls.message = std::string("unreadable response from the server: ") + e.what();
        out.value.reset();
    }
    return out;
}

}  // namespace

ApiResult<wire::PairResponse> api_pair(HttpClient& http, const wire::PairRequest& req, int64_t now_ms) {
    HttpRequest r;
    r.method = "POST";
    r.target = api_path("/pair");
    r.body = nlohmann::json(req).dump();
    return finish<wire::PairResponse>(http.perform(r), now_ms);
}

ApiResult<wire::TxBatchResponse> api_post_transactions(HttpClient& http, const std::string& token,
                                                       const wire::TxBatch& batch, int64_t now_ms) {
    HttpRequest r;
    r.method = "POST";
    r.target = api_path("/transactions");
    r.body = nlohmann::json(batch).dump();
    r.bearer_token = token;
    return finish<wire::TxBatchResponse>(http.perform(r), now_ms);
}

ApiResult<wire::CatalogDelta> api_get_catalog(HttpClient& http, const std::string& token, const std::string& since,
                                              int limit, int64_t now_ms, const std::string& if_none_match,
                                              CatalogTag* tag) {
    HttpRequest r;
    r.method = "GET";
    r.target = api_path("/catalog") + "?since=" + percent_encode(since) + "&limit=" + std::to_string(limit);
    r.bearer_token = token;
    if (!if_none_match.empty()) r.headers.emplace_back("If-None-Match", if_none_match);
    const HttpResponse resp = http.perform(r);
    if (tag && resp.error == TransportError::None) tag->etag = resp.header("etag");
    if (resp.error == TransportError::None && resp.status == 304 && !if_none_match.empty()) {
        // Not modified: nothing changed after `since` (only an answer to our tag; any other 3xx stays a retry).
        ApiResult<wire::CatalogDelta> out;
        out.cls.what = Disposition::Success;
        out.http_status = 304;
        wire::CatalogDelta d;
        d.next_cursor = since;
        if (const auto date = parse_http_date(resp.header("date"))) d.server_time = iso8601_utc_ms(*date);
        out.value = std::move(d);
        if (tag) tag->not_modified = true;
        return out;
    }
    return finish<wire::CatalogDelta>(resp, now_ms);
}

wire::TxItem to_wire_item(const OutboxRecord& rec) {
    wire::TxItem it;
    it.client_id = rec.id;
    it.device_seq = rec.seq;
    it.device_time = iso8601_utc_ms(rec.device_time_ms);
    it.spool_uuid = rec.spool_uuid;
    it.type = std::string(to_string(rec.type));
    it.quantity_grams = rec.quantity_grams;
    if (rec.measurement) {
        wire::WireMeasurement m;
        m.gross_g = rec.measurement->gross_g;
        m.tare_g = rec.measurement->tare_g;
        m.tare_source = std::string(to_string(rec.measurement->tare_source));
        m.net_g = rec.measurement->net_g;
        it.measurement = m;
    }
    it.notes = rec.notes;
    it.new_spool = rec.new_spool;  // a "spool created" record
    return it;
}

}  // namespace batchivo::sync
