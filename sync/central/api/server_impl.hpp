// Internal to the HTTP layer: CentralServer's state, shared by server.cpp (lifecycle) and routes.cpp (handlers).
#pragma once

#include <httplib.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <thread>

#include "sync/central/api/http.hpp"
#include "sync/central/api/rate_limiter.hpp"
#include "sync/central/api/server.hpp"

namespace batchivo::central {

struct CentralServer::Impl {
    std::shared_ptr<StationApiStore> api;
    std::shared_ptr<AuthStore> auth_store;
    std::unique_ptr<httplib::Server> svr;
    std::thread thread;
    ServerOptions opts;
    int port = 0;
    std::unique_ptr<RateLimiter> device_limiter, pair_limiter, auth_fail_limiter;

    // The device behind the request's bearer token, after rate limiting; nullopt when the response (401/429) has
    // been sent already.
    std::optional<DeviceAuth> auth(const httplib::Request& req, httplib::Response& res);

    // Runs a handler after check_request_text; every exception becomes an error response (StoreError by its code, malformed JSON 400,
    // anything else 500, logged).
    template <class F>
    void guarded(const httplib::Request& req, httplib::Response& res, F&& f) {
        // The body is read after the pre-routing check (routes.cpp), so it is checked here, before any handler
        // parses it.
        if (auto ok = check_request_text(req); !ok) return reject_request(req, res, 400, ok.error().code, ok.error().message);
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

    void routes();  // registers every endpoint (routes.cpp)
};

}  // namespace batchivo::central
