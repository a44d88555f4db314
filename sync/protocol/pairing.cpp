#include "sync/protocol/pairing.hpp"

#include <map>
#include <optional>

#include "sync/domain/text.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/protocol/json_helpers.hpp"

namespace batchivo::wire {

using nlohmann::json;
using namespace detail;

namespace {

int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::string> pct_decode(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%') {
            if (i + 2 >= s.size()) return std::nullopt;
            const int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
            if (h < 0 || l < 0) return std::nullopt;
            out += static_cast<char>(h * 16 + l);
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

bool valid_base64url(std::string_view s) {
    for (char c : s) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '='))
            return false;
    }
    return true;
}

bool valid_pin(std::string_view s) {
    if (s.rfind("sha256//", 0) != 0) return false;
    std::string_view b = s.substr(8);
    if (b.size() != 44) return false;  // base64 of 32 bytes
    for (char c : b) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
              c == '='))
            return false;
    }
    return true;
}

constexpr std::string_view kPairPrefix = "batchivo-pair:v1?";
constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

}  // namespace

// --- pairing -------------------------------------------------------------------------------------------------

std::string format_pairing_payload(const PairingPayload& p) {
    std::string out(kPairPrefix);
    out += "url=" + percent_encode(p.server_url);
    out += "&code=" + percent_encode(p.code);
    if (!p.ca_der_base64url.empty()) out += "&ca=" + percent_encode(p.ca_der_base64url);
    if (!p.pin.empty()) out += "&pin=" + percent_encode(p.pin);
    return out;
}

Result<PairingPayload> parse_pairing_payload(std::string_view text) {
    auto invalid = [](const std::string& why) { return Error{"invalid_pairing_payload", why}; };
    text = trim(text);
    if (text.size() < kPairPrefix.size() || !iequals(text.substr(0, kPairPrefix.size()), kPairPrefix))
        return invalid("not a batchivo-pair:v1 payload");
    std::string_view rest = text.substr(kPairPrefix.size());
    std::map<std::string, std::string> kv;
    while (!rest.empty()) {
        const size_t amp = rest.find('&');
        std::string_view part = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        if (part.empty()) continue;
        const size_t eq = part.find('=');
        if (eq == std::string_view::npos) return invalid("parameter without a value");
        auto key = pct_decode(part.substr(0, eq));
        auto val = pct_decode(part.substr(eq + 1));
        if (!key || !val) return invalid("bad percent-encoding");
        if (kv.count(*key)) return invalid("parameter '" + *key + "' appears twice");  // duplicated parameter: ambiguous, refuse
        kv[*key] = *val;
    }
    PairingPayload p;
    if (!kv.count("url") || !kv.count("code")) return invalid("the payload needs url and code");
    p.server_url = kv["url"];
    p.code = kv["code"];
    if (kv.count("ca")) p.ca_der_base64url = kv["ca"];
    if (kv.count("pin")) p.pin = kv["pin"];
    const std::string lower_url = to_lower(p.server_url);
    const bool https = lower_url.rfind("https://", 0) == 0, http = lower_url.rfind("http://", 0) == 0;
    if (!https && !http) return invalid("the server URL is not http(s)");
    if (p.server_url.size() <= (https ? 8u : 7u)) return invalid("the server URL has no host");
    for (char c : p.server_url) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return invalid("the server URL contains spaces or control characters");
    }
    if (!looks_like_pairing_code(p.code)) return invalid("the code is not PAIR-XXXX-XXXX");
    if (!p.ca_der_base64url.empty() && !valid_base64url(p.ca_der_base64url)) return invalid("the CA certificate is not base64url");
    if (!p.pin.empty() && !valid_pin(p.pin)) return invalid("the pin is not sha256//<base64 of 32 bytes>");
    return p;
}

bool looks_like_pairing_code(std::string_view text) {
    // PAIR-XXXX-XXXX
    if (text.size() != 14) return false;
    if (!iequals(text.substr(0, 5), "PAIR-") || text[9] != '-') return false;
    for (size_t i = 5; i < 14; ++i) {
        if (i == 9) continue;
        char c = text[i];
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (kCodeAlphabet.find(c) == std::string_view::npos) return false;
    }
    return true;
}

// --- pairing JSON --------------------------------------------------------------------------------------------

void to_json(json& j, const PairRequest& v) {
    j = json{{"code", v.code}};
    if (!v.device_name.empty()) j["device_name"] = v.device_name;
}
void from_json(const json& j, PairRequest& v) {
    require_object(j, "pair request");
    only_keys(j, {"code", "device_name"}, "pair request");
    v.code = req_str(j, "code");
    v.device_name = opt_str(j, "device_name");
    if (v.code.empty()) bad("field 'code' must not be empty");
    if (v.code.size() > 64) bad("field 'code' is too long");
    if (v.device_name.size() > 100) bad("field 'device_name' is too long (max 100)");
}

void to_json(json& j, const PairResponse& v) {
    j = json{{"device_id", v.device_id},     {"token", v.token},           {"tenant_id", v.tenant_id},
             {"tenant_slug", v.tenant_slug}, {"tenant_name", v.tenant_name}, {"station_name", v.station_name}};
}
void from_json(const json& j, PairResponse& v) {
    require_object(j, "pair response");
    v.device_id = req_str(j, "device_id");
    v.token = req_str(j, "token");
    v.tenant_id = req_str(j, "tenant_id");
    v.tenant_slug = req_str(j, "tenant_slug");
    v.tenant_name = opt_str(j, "tenant_name");
    v.station_name = opt_str(j, "station_name");
    if (!is_uuid(v.device_id)) bad("field 'device_id' must be a UUID");
    if (!is_uuid(v.tenant_id)) bad("field 'tenant_id' must be a UUID");
    if (v.token.empty()) bad("field 'token' must not be empty");
}

}  // namespace batchivo::wire
