#include "sync/protocol/api.hpp"

#include "sync/protocol/json_helpers.hpp"

namespace batchivo::wire {

using nlohmann::json;
using namespace detail;

void to_json(json& j, const ApiError& v) { j = json{{"error", {{"code", v.code}, {"message", v.message}}}}; }
void from_json(const json& j, ApiError& v) {
    require_object(j, "error response");
    auto it = j.find("error");
    if (it == j.end() || !it->is_object()) bad("error response: missing 'error' object");
    v.code = req_str(*it, "code");
    v.message = opt_str(*it, "message");
    if (v.code.empty()) bad("error response: empty 'code'");
}


}  // namespace batchivo::wire
