#include "station/core/label_printing.hpp"

#include <algorithm>

namespace batchivo::station {

Result<printing::LabelSize> parse_station_label_size(std::string_view text) {
    const auto s = printing::label_size_from_string(text);
    if (!s || std::find(std::begin(kStationLabelSizes), std::end(kStationLabelSizes), *s) ==
                  std::end(kStationLabelSizes))
        return Error{"invalid_input",
                     "unknown label size '" + std::string(text) + "' (accepted: 62mm, 50x30, 40x30)"};
    return *s;
}

Result<printing::PrintReceipt> print_spool_label(const Spool& spool, std::string_view printer,
                                                 printing::LabelSize size) {
    auto spec = printing::parse_printer_spec(printer);
    if (!spec) return spec.error();
    auto bm = printing::render_label(printing::from_spool(spool), size);
    if (!bm) return bm.error();
    return printing::print_label(*bm, *spec);
}

Spool test_label_spool() {
    Spool s;
    s.id = "00000000-0000-7000-8000-000000000000";
    s.spool_id = "TEST-LABEL";
    s.material_name = "PLA";
    s.brand = "Batchivo";
    s.color = "Test";
    s.initial_weight_g = 1000;
    s.current_weight_g = 1000;
    s.created_at = "2026-01-01T00:00:00Z";
    return s;
}

}  // namespace batchivo::station
