#include "sync/central/api/http.hpp"

#include <atomic>
#include <cstdio>

#include "sync/protocol/api.hpp"
#include "sync/protocol/text_rules.hpp"

namespace batchivo::central {

using nlohmann::json;

void send_json(ServerResponse& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

namespace {
std::atomic<bool> g_log_rejections{true};
}  // namespace

void set_rejection_log(bool on) { g_log_rejections = on; }

void log_rejected(const ServerRequest& req, int status, const std::string& code, const std::string& message) {
    if (!g_log_rejections) return;
    std::fprintf(stderr, "batchivo-central: rejected %s %s from %s: %d %s: %s\n",
                 wire::sanitize_utf8(req.method.substr(0, 16)).c_str(), wire::sanitize_utf8(req.path.substr(0, 200)).c_str(),
                 req.remote_addr.c_str(), status, code.c_str(), wire::sanitize_utf8(message).c_str());
}

void reject_request(const ServerRequest& req, ServerResponse& res, int status, const std::string& code,
                    const std::string& message) {
    log_rejected(req, status, code, message);
    send_error(res, status, code, message);
}

Result<> check_request_text(const ServerRequest& req) {
    auto bad = [](const std::string& what) {
        return Error{"invalid_encoding", what + " is not valid UTF-8"};
    };
    if (!wire::is_valid_utf8(req.path)) return bad("the request path");
    for (const auto& [k, v] : req.params) {
        if (!wire::is_storable_text(k)) return Error{"invalid_encoding", "a query parameter name is not valid UTF-8 or contains NUL"};
        if (!wire::is_storable_text(v))
            return Error{"invalid_encoding", "query parameter '" + k + "' is not valid UTF-8 or contains NUL"};
    }
    if (const size_t at = wire::first_invalid_utf8(req.body); at != std::string_view::npos)
        return bad("the request body (first invalid byte at offset " + std::to_string(at) + ")");
    return {};
}

void send_error(ServerResponse& res, int status, const std::string& code, const std::string& message) {
    if (!is_registered_error(status, code)) {
        std::fprintf(stderr, "batchivo-central: internal error: unregistered error %d %s: %s\n", status, code.c_str(),
                     wire::sanitize_utf8(message).c_str());
        send_json(res, 500, json(wire::ApiError{"internal", "internal server error"}));
        return;
    }
    send_json(res, status, json(wire::ApiError{code, message}));
}

Result<int> query_int(const ServerRequest& req, const char* name, int lo, int hi, int dflt) {
    if (!req.has_param(name)) return dflt;
    const std::string v = req.get_param_value(name);
    if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos)
        return Error{"invalid_request", std::string("query parameter '") + name + "' must be a non-negative integer"};
    const int out = std::stoi(v);
    if (out < lo || out > hi)
        return Error{"invalid_request", std::string("query parameter '") + name + "' must be between " +
                                            std::to_string(lo) + " and " + std::to_string(hi)};
    return out;
}

Result<bool> query_bool(const ServerRequest& req, const char* name) {
    if (!req.has_param(name)) return false;
    const std::string v = req.get_param_value(name);
    if (v == "true" || v == "1") return true;
    if (v == "false" || v == "0" || v.empty()) return false;
    return Error{"invalid_request", std::string("query parameter '") + name + "' must be true or false"};
}

}  // namespace batchivo::central
