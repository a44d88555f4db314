#include "sync/targets/spoolman/spoolman_map.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace batchivo::sync::spoolman {

namespace {
// The Batchivo namespace for Spoolman names (a fixed random UUID, chosen once for this scheme).
constexpr unsigned char kNamespace[16] = {0x6b, 0x2f, 0x0e, 0x51, 0x9c, 0x4d, 0x4a, 0x7e,
                                          0x8f, 0x31, 0x52, 0xd0, 0x93, 0x1a, 0xc4, 0x77};

int grams(const nlohmann::json& v) {
    if (!v.is_number()) return 0;
    return static_cast<int>(std::lround(v.get<double>()));
}
std::string text(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
}  // namespace

std::string uuid_v5(const std::string& name) {
    std::string in(reinterpret_cast<const char*>(kNamespace), 16);
    in += name;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(in.data(), in.size(), md, &len, EVP_sha1(), nullptr);
    md[6] = static_cast<unsigned char>((md[6] & 0x0f) | 0x50);
    md[8] = static_cast<unsigned char>((md[8] & 0x3f) | 0x80);
    char out[37];
    std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", md[0],
                  md[1], md[2], md[3], md[4], md[5], md[6], md[7], md[8], md[9], md[10], md[11], md[12], md[13],
                  md[14], md[15]);
    return out;
}

std::string spool_uuid(int64_t id) { return uuid_v5("spoolman-spool:" + std::to_string(id)); }
std::string spool_code(int64_t id) { return "S-" + std::to_string(id); }
std::string spool_label(int64_t id) { return "web+spoolman:s-" + std::to_string(id); }

std::optional<int64_t> spoolman_id_of(const std::string& label, const std::string& uuid) {
    if (label.size() < 3 || (label[0] != 'S' && label[0] != 's') || label[1] != '-') return std::nullopt;
    int64_t id = 0;
    for (size_t i = 2; i < label.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(label[i])) || i > 18) return std::nullopt;
        id = id * 10 + (label[i] - '0');
    }
    std::string u = uuid;
    std::transform(u.begin(), u.end(), u.begin(), [](unsigned char c) { return std::tolower(c); });
    if (spool_uuid(id) != u) return std::nullopt;
    return id;
}

Result<Spool> to_spool(const nlohmann::json& j) {
    if (!j.is_object() || !j.contains("id") || !j["id"].is_number_integer())
        return Error{"invalid_input", "a Spoolman spool without an integer id"};
    const int64_t id = j["id"].get<int64_t>();
    const nlohmann::json empty = nlohmann::json::object();
    const auto& fil = j.contains("filament") && j["filament"].is_object() ? j["filament"] : empty;
    const auto& vendor = fil.contains("vendor") && fil["vendor"].is_object() ? fil["vendor"] : empty;
    Spool s;
    s.id = spool_uuid(id);
    s.spool_id = spool_code(id);
    s.qr_code_data = spool_label(id);
    s.material_name = text(fil, "material");
    s.brand = text(vendor, "name");
    s.color = text(fil, "name");
    std::string hex = text(fil, "color_hex");
    if (!hex.empty() && hex[0] == '#') hex.erase(0, 1);
    if (hex.size() == 6 && std::all_of(hex.begin(), hex.end(), [](unsigned char c) { return std::isxdigit(c); })) {
        std::transform(hex.begin(), hex.end(), hex.begin(), [](unsigned char c) { return std::toupper(c); });
        s.color_hex = "#" + hex;
    }
    // Net initial weight: the spool's, else the filament's; remaining is Spoolman's own computation.
    s.initial_weight_g = grams(j.value("initial_weight", nlohmann::json()));
    if (s.initial_weight_g == 0) s.initial_weight_g = grams(fil.value("weight", nlohmann::json()));
    s.current_weight_g = grams(j.value("remaining_weight", nlohmann::json()));
    // Tare: the spool's spool_weight, else the filament's (as Spoolman's own measure does; the vendor's is ignored).
    const auto sw = j.value("spool_weight", nlohmann::json());
    const auto fw = fil.value("spool_weight", nlohmann::json());
    if (sw.is_number() && sw.get<double>() > 0) s.empty_spool_weight_g = grams(sw);
    else if (fw.is_number() && fw.get<double>() > 0) s.empty_spool_weight_g = grams(fw);
    s.storage_location = text(j, "location");
    s.notes = text(j, "comment");
    if (j.contains("price") && j["price"].is_number()) s.purchase_cost = j["price"].get<double>();
    s.is_active = !(j.contains("archived") && j["archived"].is_boolean() && j["archived"].get<bool>());
    s.created_at = text(j, "registered");
    return s;
}

std::vector<std::string> guard_ids(const nlohmann::json& spool) {
    std::vector<std::string> out;
    if (!spool.contains("extra") || !spool["extra"].is_object()) return out;
    const auto& ex = spool["extra"];
    auto it = ex.find(kGuardField);
    if (it == ex.end() || !it->is_string()) return out;
    try {
        const auto v = nlohmann::json::parse(it->get<std::string>());  // a JSON-encoded string
        if (!v.is_string()) return out;
        const std::string list = v.get<std::string>();
        size_t pos = 0;
        while (pos < list.size()) {
            size_t sp = list.find(' ', pos);
            if (sp == std::string::npos) sp = list.size();
            if (sp > pos) out.push_back(list.substr(pos, sp - pos));
            pos = sp + 1;
        }
    } catch (const std::exception&) {
    }
    return out;
}

std::string guard_value(std::vector<std::string> ids, const std::string& record_id) {
    ids.push_back(record_id);
    if (ids.size() > static_cast<size_t>(kGuardKeep)) ids.erase(ids.begin(), ids.end() - kGuardKeep);
    std::string list;
    for (const auto& i : ids) list += (list.empty() ? "" : " ") + i;
    return nlohmann::json(list).dump();
}

}  // namespace batchivo::sync::spoolman
