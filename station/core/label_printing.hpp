// Printing a spool's label from the station (CLI `label print`, Setup's test label, the spool detail's
// "Print label"): the one path from a Spool and a printer spec to paper. Blocking (file, device, network or CUPS
// I/O): call it from a task or the CLI, never from the UI thread.
#pragma once

#include <string>
#include <string_view>

#include "platform/printing/label/label.hpp"
#include "platform/printing/printers/printer.hpp"
#include "sync/domain/result.hpp"
#include "sync/domain/spool.hpp"

namespace batchivo::station {

// The sizes the station prints (one label at a time; A4 sheets are central's).
inline constexpr printing::LabelSize kStationLabelSizes[] = {printing::LabelSize::Ql62,
                                                             printing::LabelSize::Thermal50x30,
                                                             printing::LabelSize::Thermal40x30};

// "62mm" | "50x30" | "40x30" (and the aliases label_size_from_string accepts, except A4 sheets).
// Error "invalid_input" naming the accepted values.
Result<printing::LabelSize> parse_station_label_size(std::string_view text);

// Renders `spool`'s label at `size` and sends it to `printer` (a spec string, parsed here). Errors: the spec's
// ("invalid_input"), the renderer's, the printer's ("io", "network", "printer", "invalid_input").
Result<printing::PrintReceipt> print_spool_label(const Spool& spool, std::string_view printer,
                                                 printing::LabelSize size);

// A fixed sample spool for Setup's "Print test label" (payload batchivo://spool/<zero uuid>, id TEST-LABEL).
Spool test_label_spool();

}  // namespace batchivo::station
