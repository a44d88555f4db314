#include "sync/central/api/http.hpp"

#include "sync/protocol/api.hpp"

namespace batchivo::central {

using nlohmann::json;

void send_json(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& code, const std::string& message) {
    send_json(res, status, json(wire::ApiError{code, message}));
}

int status_for(const std::string& code) {
    if (code == "not_found") return 404;
    if (code == "invalid_pairing_code" || code == "unauthorized") return 401;
    if (code == "forbidden") return 403;
    return 400;
}

Result<int> query_int(const httplib::Request& req, const char* name, int lo, int hi, int dflt) {
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

Result<bool> query_bool(const httplib::Request& req, const char* name) {
    if (!req.has_param(name)) return false;
    const std::string v = req.get_param_value(name);
    if (v == "true" || v == "1") return true;
    if (v == "false" || v == "0" || v.empty()) return false;
    return Error{"invalid_request", std::string("query parameter '") + name + "' must be true or false"};
}

}  // namespace batchivo::central
