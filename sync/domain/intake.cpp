#include "sync/domain/intake.hpp"

#include <array>
#include <cctype>
#include <utility>

#include "sync/domain/text.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/domain/weighing.hpp"

namespace batchivo {

namespace {

Result<> text_field(std::string_view name, std::string_view v, size_t max) {
    if (v.size() > max) return Error{"invalid_item", std::string(name) + " is too long (max " + std::to_string(max) + " bytes)"};
    if (v.find('\0') != std::string_view::npos) return Error{"invalid_item", std::string(name) + " must not contain NUL characters"};
    return {};
}

std::string upper_alnum(std::string_view s) {
    std::string out;
    for (char c : s)
        if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

Result<> validate_new_spool(const NewSpool& s) {
    const auto invalid = [](std::string why) { return Error{"invalid_item", std::move(why)}; };
    if (trim(s.material).empty()) return invalid("new spool: material is required");
    if (s.spool_id.size() > static_cast<size_t>(kMaxSpoolIdLength))
        return invalid("new spool: spool_id is longer than 50 characters");
    if (!s.spool_id.empty() && trim(s.spool_id) != s.spool_id)
        return invalid("new spool: spool_id must not start or end with spaces");
    for (const auto& [name, value] : std::array<std::pair<const char*, const std::string*>, 5>{
             {{"spool_id", &s.spool_id}, {"material", &s.material}, {"brand", &s.brand}, {"color", &s.color},
              {"storage_location", &s.storage_location}}}) {
        if (auto r = text_field(std::string("new spool: ") + name, *value, 100); !r) return r;
    }
    if (s.initial_weight_g <= 0 || s.initial_weight_g > static_cast<int>(kMaxGrossGrams))
        return invalid("new spool: initial_weight_g must be between 1 and " + std::to_string(static_cast<int>(kMaxGrossGrams)));
    if (s.empty_spool_weight_g && (*s.empty_spool_weight_g <= 0 || *s.empty_spool_weight_g > static_cast<int>(kMaxTareGrams)))
        return invalid("new spool: empty_spool_weight_g must be between 1 and " + std::to_string(static_cast<int>(kMaxTareGrams)));
    if (!s.color_hex.empty()) {
        bool ok = s.color_hex.size() == 7 && s.color_hex[0] == '#';
        for (size_t i = 1; ok && i < s.color_hex.size(); ++i) ok = std::isxdigit(static_cast<unsigned char>(s.color_hex[i])) != 0;
        if (!ok) return invalid("new spool: color_hex must look like #RRGGBB");
    }
    if (auto r = text_field("new spool: qr_code_data", s.qr_code_data, 255); !r) return r;
    if (!s.purchase_item_id.empty() && !is_uuid(s.purchase_item_id))
        return invalid("new spool: purchase_item_id must be a UUID");
    return {};
}

std::string material_abbreviation(std::string_view material) {
    std::string a = upper_alnum(material);
    if (a.size() > 6) a.resize(6);
    return a.empty() ? "X" : a;
}

std::string color_abbreviation(std::string_view color) {
    static const std::pair<const char*, const char*> kFixed[] = {
        {"black", "BLK"},  {"white", "WHT"},  {"red", "RED"},    {"blue", "BLU"},   {"green", "GRN"},
        {"yellow", "YEL"}, {"orange", "ORG"}, {"grey", "GRY"},   {"gray", "GRY"},   {"silver", "SLV"},
        {"purple", "PUR"}, {"pink", "PNK"},   {"brown", "BRN"},  {"gold", "GLD"},   {"transparent", "CLR"},
        {"clear", "CLR"},  {"natural", "NAT"}, {"beige", "BEI"}, {"cyan", "CYN"},   {"magenta", "MAG"},
    };
    const std::string lower = to_lower(trim(color));
    for (const auto& [name, abbr] : kFixed)
        if (lower == name) return abbr;
    // Several words: their initials (at most 3).
    std::string initials;
    bool at_word = true;
    int words = 0;
    for (char c : lower) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            if (at_word) {
                ++words;
                if (initials.size() < 3) initials += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            }
            at_word = false;
        } else {
            at_word = true;
        }
    }
    if (words > 1) return initials;
    // One word: its first letter, then its consonants, up to 3 letters.
    const std::string w = upper_alnum(lower);
    if (w.empty()) return "X";
    std::string out(1, w[0]);
    for (size_t i = 1; i < w.size() && out.size() < 3; ++i)
        if (std::string_view("AEIOU").find(w[i]) == std::string_view::npos && w[i] != out.back()) out += w[i];
    return out;
}

std::string spool_id_prefix(std::string_view material, std::string_view color) {
    return material_abbreviation(material) + "-" + color_abbreviation(color);
}

std::string format_spool_id(std::string_view prefix, long long n) {
    std::string num = std::to_string(n);
    while (num.size() < 3) num.insert(num.begin(), '0');
    return std::string(prefix) + "-" + num;
}

std::optional<long long> spool_id_number(std::string_view spool_id, std::string_view prefix) {
    if (spool_id.size() < prefix.size() + 2 || !istarts_with(spool_id, prefix) || spool_id[prefix.size()] != '-')
        return std::nullopt;
    const std::string_view digits = spool_id.substr(prefix.size() + 1);
    if (digits.empty() || digits.size() > 12) return std::nullopt;
    long long n = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

}  // namespace batchivo
