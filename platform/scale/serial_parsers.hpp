// Line parsers for serial scales (one line without its CR/LF). Pure and self-contained (each is fuzzed).
// Values are converted to grams from the unit on the line (g, kg, mg, lb, oz, ct, ozt, dwt, gn, t).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "platform/scale/scale.hpp"

namespace batchivo::platform {

struct ParsedLine {
    enum class Kind {
        Reading,   // status (+ grams when the line had a value)
        Ack,       // a command was acknowledged (MT-SICS "Z A", A&D <ACK>)
        Error,     // the scale reported an error (MT-SICS ES/ET/EL, A&D EC)
        Ignored,   // not a weight line (counting mode, banner, empty)
    } kind = Kind::Ignored;
    ScaleStatus status = ScaleStatus::Fault;
    std::optional<double> grams;
    std::string note;
};

// Grams per unit; nullopt for an unknown unit (case-insensitive; "g", "kg", "lb", "oz", ...).
std::optional<double> grams_per_unit(std::string_view unit);

// Mettler Toledo MT-SICS: "S S      100.00 g", "S D ...", "S I", "S +", "S -", "ES", "ET", "EL",
// "SI ..." replies (same as S), "Z A", "T S ...".
ParsedLine parse_mtsics_line(std::string_view line);
// A&D: "ST,+00123.45  g", "US,...", "OL,...", "QT,..." (counting: ignored), "EC,E1", "\x06" ACK.
ParsedLine parse_and_line(std::string_view line);
// Ohaus: "    123.45 g", "   123.45 g ?" ('?' = unstable), optional G/N/NET markers, "OL"/"UL".
ParsedLine parse_ohaus_line(std::string_view line);
// CAS / generic continuous indicators: "ST,GS,+  1.500kg", "US,NT,-  0.020kg", "OL,GS,..." (bit 7 masked).
ParsedLine parse_cas_line(std::string_view line);

}  // namespace batchivo::platform
