#include "platform/scale/serial_parsers.hpp"

#include <charconv>
#include <cmath>
#include <vector>

namespace batchivo::platform {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split_ws(std::string_view s) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < s.size() && out.size() < 16) {
        while (i < s.size() && is_space(s[i])) ++i;
        size_t j = i;
        while (j < s.size() && !is_space(s[j])) ++j;
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

bool ieq(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

// "<sign><spaces><digits>[.<digits>]<spaces><unit>" -> grams. The sign may be separated from the digits.
struct ValueUnit {
    double value = 0;
    std::string_view unit;
};
std::optional<ValueUnit> parse_value_unit(std::string_view s) {
    s = trim(s);
    bool negative = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
        s = trim(s);
    }
    size_t n = 0;
    bool digits = false, dot = false;
    while (n < s.size() && ((s[n] >= '0' && s[n] <= '9') || (s[n] == '.' && !dot))) {
        if (s[n] == '.') dot = true; else digits = true;
        ++n;
    }
    if (!digits || n > 24) return std::nullopt;
    std::string_view num = s.substr(0, n);
    double v = 0;
    auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
    if (ec != std::errc() || p != num.data() + num.size() || !std::isfinite(v)) return std::nullopt;
    ValueUnit out;
    out.value = negative ? -v : v;
    out.unit = trim(s.substr(n));
    return out;
}

ScaleStatus classify(double grams, bool stable) {
    if (grams < 0) return ScaleStatus::UnderZero;
    if (!stable) return ScaleStatus::InMotion;
    return grams == 0 ? ScaleStatus::AtZero : ScaleStatus::Stable;
}

ParsedLine reading(ScaleStatus st, std::optional<double> g = std::nullopt, std::string note = {}) {
    ParsedLine p;
    p.kind = ParsedLine::Kind::Reading;
    p.status = st;
    p.grams = g;
    p.note = std::move(note);
    return p;
}
ParsedLine other(ParsedLine::Kind k, std::string note) {
    ParsedLine p;
    p.kind = k;
    p.note = std::move(note);
    return p;
}

// value + unit text -> a reading; Ignored when the value or unit is not understood.
ParsedLine weight_line(std::string_view value_unit, bool stable) {
    auto vu = parse_value_unit(value_unit);
    if (!vu) return other(ParsedLine::Kind::Ignored, "unparseable weight");
    auto per = grams_per_unit(vu->unit);
    if (!per) return other(ParsedLine::Kind::Ignored, "unsupported unit");
    double g = vu->value * *per;
    if (g == 0) g = 0;  // no -0
    return reading(classify(g, stable), g);
}

}  // namespace

std::optional<double> grams_per_unit(std::string_view unit) {
    unit = trim(unit);
    struct U { const char* name; double grams; };
    static const U units[] = {
        {"g", 1.0}, {"kg", 1000.0}, {"mg", 0.001}, {"lb", 453.59237}, {"lbs", 453.59237},
        {"oz", 28.349523125}, {"ct", 0.2}, {"ozt", 31.1034768}, {"dwt", 1.55517384}, {"gn", 0.06479891},
        {"gr", 0.06479891}, {"t", 1000000.0},
    };
    for (const auto& u : units)
        if (ieq(unit, u.name)) return u.grams;
    return std::nullopt;
}

ParsedLine parse_mtsics_line(std::string_view line) {
    auto t = split_ws(trim(line));
    if (t.empty()) return other(ParsedLine::Kind::Ignored, "empty");
    if (ieq(t[0], "ES")) return other(ParsedLine::Kind::Error, "syntax error (command not understood)");
    if (ieq(t[0], "ET")) return other(ParsedLine::Kind::Error, "transmission error");
    if (ieq(t[0], "EL")) return other(ParsedLine::Kind::Error, "logical error (command not executable)");
    if (t.size() < 2) return other(ParsedLine::Kind::Ignored, "unknown reply");
    if (ieq(t[0], "S") || ieq(t[0], "SI")) {
        if (ieq(t[1], "S") || ieq(t[1], "D")) {
            if (t.size() < 4) return other(ParsedLine::Kind::Ignored, "incomplete weight reply");
            // value and unit are the 3rd and 4th fields
            std::string_view rest = trim(line);
            rest = rest.substr(static_cast<size_t>(t[2].data() - rest.data()));
            return weight_line(rest, ieq(t[1], "S"));
        }
        if (ieq(t[1], "I")) return reading(ScaleStatus::InMotion, std::nullopt, "not ready");
        if (t[1] == "+") return reading(ScaleStatus::Overload, std::nullopt, "overload");
        if (t[1] == "-") return reading(ScaleStatus::UnderZero, std::nullopt, "underload");
        return other(ParsedLine::Kind::Ignored, "unknown weight reply");
    }
    if (ieq(t[0], "Z") || ieq(t[0], "T")) {
        if (ieq(t[1], "A") || ieq(t[1], "S")) return other(ParsedLine::Kind::Ack, "done");
        if (ieq(t[1], "I")) return other(ParsedLine::Kind::Error, "not executed (scale busy)");
        if (t[1] == "+") return other(ParsedLine::Kind::Error, "upper limit exceeded");
        if (t[1] == "-") return other(ParsedLine::Kind::Error, "lower limit exceeded");
    }
    return other(ParsedLine::Kind::Ignored, "unknown reply");
}

ParsedLine parse_and_line(std::string_view line) {
    std::string_view s = trim(line);
    if (s.empty()) return other(ParsedLine::Kind::Ignored, "empty");
    if (s.size() == 1 && s[0] == '\x06') return other(ParsedLine::Kind::Ack, "ACK");
    if (s.size() < 3 || s[2] != ',') return other(ParsedLine::Kind::Ignored, "not a weight line");
    std::string_view head = s.substr(0, 2), rest = s.substr(3);
    if (ieq(head, "EC")) return other(ParsedLine::Kind::Error, "error code " + std::string(trim(rest)));
    if (ieq(head, "OL")) return reading(ScaleStatus::Overload, std::nullopt, "overload");
    if (ieq(head, "QT")) return other(ParsedLine::Kind::Ignored, "counting mode");
    if (ieq(head, "ST") || ieq(head, "US")) return weight_line(rest, ieq(head, "ST"));
    return other(ParsedLine::Kind::Ignored, "unknown header");
}

ParsedLine parse_ohaus_line(std::string_view line) {
    std::string_view s = trim(line);
    if (s.empty()) return other(ParsedLine::Kind::Ignored, "empty");
    bool stable = true;
    if (s.back() == '?') {
        stable = false;
        s = trim(s.substr(0, s.size() - 1));
    }
    auto t = split_ws(s);
    if (t.empty()) return other(ParsedLine::Kind::Ignored, "empty");
    for (auto tok : t) {
        if (ieq(tok, "OL") || ieq(tok, "-OL-") || ieq(tok, "O-L")) return reading(ScaleStatus::Overload, std::nullopt, "overload");
        if (ieq(tok, "UL") || ieq(tok, "-UL-")) return reading(ScaleStatus::UnderZero, std::nullopt, "underload");
    }
    if (ieq(t[0], "ES") || ieq(t[0], "Err")) return other(ParsedLine::Kind::Error, "error reply");
    // Drop trailing gross/net markers (G, N, NET, T).
    // (only after a unit: "g" alone is the gram unit, not the gross marker)
    while (t.size() > 2 && grams_per_unit(t[t.size() - 2]) &&
           (ieq(t.back(), "G") || ieq(t.back(), "N") || ieq(t.back(), "NET") || ieq(t.back(), "T") ||
            ieq(t.back(), "GROSS"))) {
        s = trim(s.substr(0, static_cast<size_t>(t.back().data() - s.data())));
        t.pop_back();
    }
    return weight_line(s, stable);
}

ParsedLine parse_cas_line(std::string_view line) {
    std::string masked(line.substr(0, 512));
    for (auto& c : masked) c = static_cast<char>(c & 0x7f);
    std::string_view s = trim(masked);
    if (s.empty()) return other(ParsedLine::Kind::Ignored, "empty");
    std::vector<std::string_view> f;
    size_t start = 0;
    while (f.size() < 8) {
        size_t c = s.find(',', start);
        f.push_back(trim(s.substr(start, c == std::string_view::npos ? std::string_view::npos : c - start)));
        if (c == std::string_view::npos) break;
        start = c + 1;
    }
    if (f.size() < 3) return other(ParsedLine::Kind::Ignored, "not a weight line");
    std::string_view head = f[0];
    if (ieq(head, "OL")) return reading(ScaleStatus::Overload, std::nullopt, "overload");
    if (!ieq(head, "ST") && !ieq(head, "US")) return other(ParsedLine::Kind::Ignored, "unknown header");
    auto p = weight_line(f.back(), ieq(head, "ST"));
    if (p.kind == ParsedLine::Kind::Reading && ieq(f[1], "NT")) p.note = "net";
    return p;
}

}  // namespace batchivo::platform
