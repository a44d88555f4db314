// The station API's endpoints (docs/API.md). Each handler authenticates, reads its parameters strictly, calls the
// store with the token's tenant and answers with a sync/protocol wire type.
#include "sync/central/api/server_impl.hpp"

#include "sync/central/api/catalog_cache.hpp"

#include <cstdio>
#include <ctime>

#include "sync/domain/stock.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/protocol/text_rules.hpp"
#include "sync/protocol/wire.hpp"

namespace batchivo::central {

using nlohmann::json;

std::optional<DeviceAuth> CentralServer::Impl::auth(const ServerRequest& req, ServerResponse& res) {
    const std::string h = req.get_header_value("Authorization");
    if (h.size() <= 7 || h.compare(0, 7, "Bearer ") != 0) {
        send_error(res, 401, "unauthorized", "missing bearer token");
        return std::nullopt;
    }
    auto dev = auth_store->authenticate(h.substr(7));
    if (!dev) {
        if (int wait = auth_fail_limiter->take("ip:" + req.remote_addr)) {
            res.set_header("Retry-After", std::to_string(wait));
            send_error(res, 429, "rate_limited",
                       "too many requests with invalid tokens; retry after " + std::to_string(wait) + " s");
            return std::nullopt;
        }
        send_error(res, 401, "unauthorized", "unknown or revoked device token");
        return std::nullopt;
    }
    req.note.tenant_id = dev->tenant_id;
    req.note.device_id = dev->device_id;
    if (int wait = device_limiter->take(dev->device_id)) {
        res.set_header("Retry-After", std::to_string(wait));
        send_error(res, 429, "rate_limited",
                   "too many requests from this device; retry after " + std::to_string(wait) + " s");
        return std::nullopt;
    }
    return dev;
}

void CentralServer::Impl::dispatch(ServerRequest& req, ServerResponse& res) {
    // Before any handler: the path, query and body must be valid UTF-8 (docs/API.md "invalid_encoding").
    if (auto ok = check_request_text(req); !ok) return reject_request(req, res, 400, ok.error().code, ok.error().message);
    for (const auto& r : routes_) {
        if (r.method != req.method || !std::regex_match(req.path, req.matches, r.pattern)) continue;
        try {
            req.note.route = r.label;
        r.handler(req, res);
        } catch (const std::exception& e) {
            log_rejected(req, 500, "internal", e.what());
            send_error(res, 500, "internal", "internal server error");
        } catch (...) {
            log_rejected(req, 500, "internal", "unknown exception");
            send_error(res, 500, "internal", "internal server error");
        }
        return;
    }
    req.note.route = "unmatched";
    send_error(res, 404, "not_found", "no such endpoint");
}

namespace {
// "/api/station/v1/spools/([^/]+)/transactions" -> "/api/station/v1/spools/{id}/transactions"
std::string route_label(const std::string& pattern) {
    std::string out;
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '(') {
            const size_t close = pattern.find(')', i);
            if (close == std::string::npos) break;
            out += "{id}";
            i = close;
        } else {
            out += pattern[i];
        }
    }
    return out;
}

// An IMF-fixdate (RFC 9110 HTTP-date), e.g. "Sun, 06 Nov 1994 08:49:37 GMT"; independent of the locale.
std::string http_date(int64_t epoch_ms) {
    static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const time_t t = static_cast<time_t>(epoch_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday % 7], tm.tm_mday,
                  kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}
}  // namespace

void CentralServer::Impl::add_route(const char* method, const std::string& pattern, Handler h) {
    routes_.push_back(Route{method, std::regex(pattern), route_label(pattern), std::move(h)});
}

void CentralServer::Impl::routes() {
    const std::string p = wire::kApiPrefix;
    routes_.clear();
    add_route("GET", p + "/health", [](const ServerRequest&, ServerResponse& res) {
        send_json(res, 200, json{{"status", "ok"}, {"server_time", iso8601_utc_ms(now_epoch_ms())}});
    });

    add_route("POST", p + "/pair", [this](const ServerRequest& req, ServerResponse& res) {
        if (int wait = pair_limiter->take("ip:" + req.remote_addr)) {
            res.set_header("Retry-After", std::to_string(wait));
            send_error(res, 429, "rate_limited", "too many pairing attempts; retry after " + std::to_string(wait) + " s");
            return;
        }
        guarded(req, res, [&] {
            const auto body = json::parse(req.body).get<wire::PairRequest>();
            if (!wire::is_storable_text(body.code) || !wire::is_storable_text(body.device_name))
                return reject_request(req, res, 400, "invalid_request",
                                      "code and device_name must be text without NUL characters");
            send_json(res, 200, json(auth_store->redeem_pairing(body.code, body.device_name)));
        });
    });

    add_route("GET", p + "/whoami", [this](const ServerRequest& req, ServerResponse& res) {
        guarded(req, res, [&] {
            auto dev = auth(req, res);
            if (!dev) return;
            const wire::WhoAmIResponse who{dev->device_id, dev->name, dev->tenant_id, dev->tenant_slug,
                                           iso8601_utc_ms(now_epoch_ms())};
            send_json(res, 200, json(who));
        });
    });

    // ETag / If-None-Match -> 304 and cached bodies per (tenant, since, limit, catalog version): api/catalog_cache.
    add_route("GET", p + "/catalog", [this, cache = std::make_shared<CatalogCache>()](const ServerRequest& req, ServerResponse& res) {
        guarded(req, res, [&] {
            auto dev = auth(req, res);
            if (!dev) return;
            const auto limit = query_int(req, "limit", 1, wire::kMaxCatalogPage, 500);
            if (!limit) return send_error(res, 400, limit.error().code, limit.error().message);
            CatalogAnswer a = cache->answer(*api, dynamic_cast<CatalogVersionSource*>(api.get()), dev->tenant_id,
                                            req.get_param_value("since"), *limit, req.get_header_value("If-None-Match"));
            if (!a.etag.empty()) res.set_header("ETag", a.etag);
            res.set_header("Date", http_date(now_epoch_ms()));  // a 304 has no body: its time for "catalog as of"
            res.status = a.status;
            if (a.status == 200) res.set_content(std::move(a.body), "application/json");
        });
    });

    add_route("POST", p + "/transactions", [this](const ServerRequest& req, ServerResponse& res) {
        guarded(req, res, [&] {
            auto dev = auth(req, res);
            if (!dev) return;
            const json body = json::parse(req.body);
            if (body.is_object() && body.contains("items") && body["items"].is_array() &&
                body["items"].size() > static_cast<size_t>(wire::kMaxBatchItems)) {
                send_error(res, 413, "batch_too_large",
                           "a batch holds at most " + std::to_string(wire::kMaxBatchItems) + " items");
                return;
            }
            const wire::TxBatchResponse result = api->apply_batch(*dev, body.get<wire::TxBatch>());
            metrics.count_batch(result);
            send_json(res, 200, json(result));
        });
    });

    add_route("GET", p + "/spools", [this](const ServerRequest& req, ServerResponse& res) {
        guarded(req, res, [&] {
            auto dev = auth(req, res);
            if (!dev) return;
            const auto limit = query_int(req, "limit", 1, 500, 50);
            const auto offset = query_int(req, "offset", 0, 1000000, 0);
            const auto low_stock = query_bool(req, "low_stock");
            for (const Error* e : {limit ? nullptr : &limit.error(), offset ? nullptr : &offset.error(),
                                   low_stock ? nullptr : &low_stock.error()}) {
                if (e) return send_error(res, 400, e->code, e->message);
            }
            SpoolQuery q;
            q.limit = *limit;
            q.offset = *offset;
            q.low_stock = *low_stock;
            q.q = req.get_param_value("q");
            q.material = req.get_param_value("material");
            q.status = req.get_param_value("status");
            if (StockStatus st{}; !q.status.empty() && !stock_status_from_string(q.status, st))
                return send_error(res, 400, "invalid_request", "query parameter 'status' must be ok, low, critical or depleted");
            if (q.q.size() > 200) return send_error(res, 400, "invalid_request", "query parameter 'q' is too long");
            SpoolPage page = api->search_spools(dev->tenant_id, q);
            const wire::SpoolsPageResponse out{std::move(page.spools), page.total, q.limit, q.offset};
            send_json(res, 200, json(out));
        });
    });

    add_route("GET", p + R"(/spools/([^/]+)/transactions)", [this](const ServerRequest& req, ServerResponse& res) {
        guarded(req, res, [&] {
            auto dev = auth(req, res);
            if (!dev) return;
            const std::string id = req.matches[1];
            if (!is_uuid(id)) return send_error(res, 400, "invalid_request", "spool id must be a UUID");
            const auto limit = query_int(req, "limit", 1, 500, 50);
            if (!limit) return send_error(res, 400, limit.error().code, limit.error().message);
            auto spool = api->get_spool(dev->tenant_id, id);
            if (!spool) return send_error(res, 404, "not_found", "no spool " + normalize_uuid(id) + " in this tenant");
            wire::SpoolHistoryResponse out;
            out.spool = wire::CatalogSpool{*spool, stock_info(*spool)};
            out.transactions = api->spool_transactions(dev->tenant_id, id, *limit);
            send_json(res, 200, json(out));
        });
    });

    add_route("GET", p + "/reorder", [this](const ServerRequest& req, ServerResponse& res) {
        guarded(req, res, [&] {
            auto dev = auth(req, res);
            if (!dev) return;
            send_json(res, 200, json(wire::ReorderResponse{api->reorder(dev->tenant_id)}));
        });
    });
}

}  // namespace batchivo::central
