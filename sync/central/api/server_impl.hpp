// Internal to the HTTP layer: CentralServer's state, shared by server.cpp (lifecycle, transport, access log,
// metrics) and routes.cpp (handlers).
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "sync/central/api/http.hpp"
#include "sync/central/api/metrics.hpp"
#include "sync/central/api/rate_limiter.hpp"
#include "sync/central/api/request.hpp"
#include "sync/central/api/server.hpp"
#include "sync/central/api/transport/http_transport.hpp"

namespace batchivo::central {

struct CentralServer::Impl {
    std::shared_ptr<StationApiStore> api;
    std::shared_ptr<AuthStore> auth_store;
    std::unique_ptr<transport::HttpTransport> transport;          // the station API listener
    std::unique_ptr<transport::HttpTransport> metrics_transport;  // GET /metrics (plain HTTP), optional
    ServerOptions opts;
    int port = 0;
    std::unique_ptr<RateLimiter> device_limiter, pair_limiter, auth_fail_limiter;
    Metrics metrics;

    // The device behind the request's bearer token, after rate limiting; nullopt when the response (401/429) has
    // been sent already. Notes the tenant and device on the request (access log).
    std::optional<DeviceAuth> auth(const ServerRequest& req, ServerResponse& res);

    // Runs a handler; every exception becomes an error response (StoreError by its code, malformed JSON 400,
    // anything else 500, logged).
    template <class F>
    void guarded(const ServerRequest& req, ServerResponse& res, F&& f) {
        try {
            f();
        } catch (const StoreError& e) {
            const ApiErrorSpec api = api_error_for_store_code(e.code);
            if (api.status >= 500) log_rejected(req, 500, "internal", e.code + ": " + e.what());
            send_error(res, api.status, api.code, api.status >= 500 ? "internal server error" : e.what());
        } catch (const nlohmann::json::exception& e) {
            reject_request(req, res, 400, "invalid_request", std::string("malformed JSON body: ") + e.what());
        } catch (const std::invalid_argument& e) {
            reject_request(req, res, 400, "invalid_request", e.what());
        } catch (const std::exception& e) {
            log_rejected(req, 500, "internal", e.what());
            send_error(res, 500, "internal", "internal server error");
        }
    }

    using Handler = std::function<void(const ServerRequest&, ServerResponse&)>;
    struct Route {
        std::string method;
        std::regex pattern;
        std::string label;  // the pattern with each capture group as {id}: the access log's and metrics' route
        Handler handler;
    };
    std::vector<Route> routes_;
    void add_route(const char* method, const std::string& pattern, Handler h);

    void configure(const ServerOptions& o);  // options and rate limiters (server.cpp)
    void routes();                           // fills routes_ with every endpoint (routes.cpp)
    // The whole request handling without sockets: text check, routing, handler, errors. Sets req.matches.
    void dispatch(ServerRequest& req, ServerResponse& res);
    // What every request goes through, from a socket or from handle(): transport errors and the body limit,
    // dispatch, X-Request-Id, metrics and the access-log line (server.cpp).
    void serve(ServerRequest& req, ServerResponse& res);
    void serve_metrics(ServerRequest& req, ServerResponse& res);  // the metrics listener's only endpoint
    std::string render_metrics() const;
};

}  // namespace batchivo::central
