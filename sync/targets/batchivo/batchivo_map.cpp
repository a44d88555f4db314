#include "sync/targets/batchivo/batchivo_map.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include <nlohmann/json.hpp>

#include "sync/domain/uuid.hpp"

namespace batchivo::sync::batchivo_api {

namespace {

std::string text(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
std::optional<double> number(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
}
int grams(std::optional<double> v) { return v ? static_cast<int>(std::lround(*v)) : 0; }

std::optional<std::string> base64url_decode(std::string s) {
    for (auto& c : s) {
        if (c == '-') c = '+';
        else if (c == '_') c = '/';
    }
    while (s.size() % 4) s.push_back('=');
    std::string out(s.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
    if (n < 0) return std::nullopt;
    size_t len = static_cast<size_t>(n);
    for (size_t i = s.size(); i > 0 && s[i - 1] == '=' && len > 0; --i) --len;  // EVP counts padding as zeros
    out.resize(len);
    return out;
}

}  // namespace

Result<Spool> to_spool(const nlohmann::json& j) {
    if (!j.is_object()) return Error{"invalid_input", "a Batchivo spool that is not an object"};
    const std::string id = text(j, "id");
    if (!is_uuid(id)) return Error{"invalid_input", "a Batchivo spool without a UUID id"};
    const nlohmann::json empty = nlohmann::json::object();
    const auto& ft = j.contains("filament_type") && j["filament_type"].is_object() ? j["filament_type"] : empty;
    Spool s;
    s.id = id;
    std::transform(s.id.begin(), s.id.end(), s.id.begin(), [](unsigned char c) { return std::tolower(c); });
    s.spool_id = text(j, "spool_id");
    if (s.spool_id.empty()) return Error{"invalid_input", "Batchivo spool " + id + " has no spool_id"};
    s.material_type_id = text(ft, "material_type_id");
    s.material_name = text(ft, "material_type_code");
    if (s.material_name.empty()) s.material_name = text(ft, "material_type_name");
    s.brand = text(ft, "brand");
    s.color = text(ft, "color");
    s.finish_type = text(ft, "finish");
    std::string hex = text(ft, "color_hex");
    if (!hex.empty() && hex[0] == '#') hex.erase(0, 1);
    if (hex.size() == 8) hex.erase(0, 2);  // AARRGGBB
    if (hex.size() == 6 && std::all_of(hex.begin(), hex.end(), [](unsigned char c) { return std::isxdigit(c); })) {
        std::transform(hex.begin(), hex.end(), hex.begin(), [](unsigned char c) { return std::toupper(c); });
        s.color_hex = "#" + hex;
    }
    s.initial_weight_g = grams(number(j, "initial_weight"));
    s.current_weight_g = grams(number(j, "current_weight"));
    if (auto e = number(j, "empty_spool_weight")) s.empty_spool_weight_g = grams(e);
    s.purchase_date = text(j, "purchase_date").substr(0, 10);
    s.purchase_cost = number(j, "purchase_price");
    s.supplier = text(j, "supplier");
    s.storage_location = text(j, "storage_location");
    s.qr_code_data = text(j, "qr_code_id");
    s.is_active = j.value("is_active", nlohmann::json(true)).is_boolean() ? j.value("is_active", true) : true;
    s.created_at = text(j, "created_at");
    s.updated_at = text(j, "updated_at");
    return s;
}

std::optional<int64_t> jwt_expiry(const std::string& token) {
    const auto a = token.find('.');
    if (a == std::string::npos) return std::nullopt;
    const auto b = token.find('.', a + 1);
    if (b == std::string::npos) return std::nullopt;
    const auto payload = base64url_decode(token.substr(a + 1, b - a - 1));
    if (!payload) return std::nullopt;
    try {
        const auto j = nlohmann::json::parse(*payload);
        if (j.is_object() && j.contains("exp") && j["exp"].is_number()) return j["exp"].get<int64_t>();
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

std::string spool_label(const std::string& base_url, const std::string& uuid) {
    std::string host = base_url;
    if (auto p = host.find("://"); p != std::string::npos) host.erase(0, p + 3);
    if (auto p = host.find('/'); p != std::string::npos) host.erase(p);
    return "https://" + host + "/filaments/" + uuid + "/update";
}

std::string error_detail(const std::string& body, int status) {
    try {
        const auto j = nlohmann::json::parse(body);
        if (j.is_object() && j.contains("detail")) {
            const auto& d = j["detail"];
            if (d.is_string()) return d.get<std::string>();
            if (d.is_array() && !d.empty() && d[0].is_object() && d[0].contains("msg") && d[0]["msg"].is_string())
                return d[0]["msg"].get<std::string>();
            return d.dump();
        }
    } catch (const std::exception&) {
    }
    return "HTTP " + std::to_string(status);
}

}  // namespace batchivo::sync::batchivo_api
