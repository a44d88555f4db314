// Spool labels: what is printed and how it is laid out, at the printer's own resolution, as a 1-bit Bitmap.
// Shared by the station and central; no ImGui, no hardware, no I/O except reading the two DejaVu font files.
//
// Contract
//   LabelData from_spool(const Spool&)
//       The label's content. payload = label_payload(spool); spool_id, material · brand · color, initial weight in
//       whole grams, date = the spool's purchase date, else the date part of created_at (callers may overwrite any
//       field, e.g. put today's date for a reprint).
//   std::string label_payload(const Spool&)
//       What the QR code says: "batchivo://spool/<uuid>" (the station and central resolve it by UUID, and it works
//       before central has assigned a human spool id), else the spool's stored qr_code_data, else its spool_id.
//       platform::parse_label() resolves every one of these to the spool (SpoolUuid / SpoolId).
//   Result<Bitmap> render_label(const LabelData&, LabelSize, int dpi = 0)
//       One label. dpi 0 = the size's native printer resolution (QL 62 mm: 300 dpi, 696 px printable width;
//       thermal 50x30 / 40x30: 203 dpi; A4 sheet: 300 dpi). For A4Sheet3x8 the result is the whole A4 page with
//       this label in cell 0 (use render_sheet for more). Errors: "invalid_input" (dpi out of 100..1200, empty
//       payload, payload too long for a QR code that fits), "not_found" (font files missing).
//   Result<std::vector<Bitmap>> render_sheet(const std::vector<LabelData>&, int dpi = 0, int first_cell = 0)
//       A4 pages of 3 columns x 8 rows of 70 x 37 mm labels, filled row by row starting at `first_cell` (0..23,
//       to reuse a partly used sheet).
//   LabelLayout (optional out-parameter) reports what was drawn: QR module size and quiet zone in dots, each text
//       line's final pixel size, box and whether it had to be shortened. Tests and a preview use it.
//
// Layout: inside a blank border (1.5 mm on labels for feed tolerance, 4.5 mm in A4 sheet cells because office
// printers leave the page's outer ~4 mm blank), the QR code on the left, square, with a quiet zone of 4 modules (2 when space is short) and a module of
// at least 3 dots whenever the label's height allows (all the listed sizes do); right of it, top to bottom, the
// spool id large and bold, "material · brand · color" (split over two lines when it does not fit one), and
// "1000 g · 2026-11-27". Text shrinks to fit its box down to a legible minimum (about 1.7 mm glyph height), then
// is ellipsized with "…". Thread-safe; fonts are loaded once per process.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/printing/label/bitmap.hpp"
#include "sync/domain/result.hpp"
#include "sync/domain/spool.hpp"

namespace batchivo::printing {

struct LabelData {
    std::string payload;      // the QR code's text
    std::string spool_id;     // large; may be empty (central has not assigned one yet)
    std::string material;
    std::string brand;
    std::string color;
    int initial_weight_g = 0;  // 0 = not printed
    std::string date;          // free text, normally ISO yyyy-mm-dd; may be empty
};

enum class LabelSize {
    Ql62,        // Brother QL, 62 mm continuous tape: 696 dots wide at 300 dpi, 35 mm long
    Thermal50x30,  // 50 x 30 mm die-cut thermal label, 203 dpi
    Thermal40x30,  // 40 x 30 mm die-cut thermal label, 203 dpi
    A4Sheet3x8,  // A4 sheet of 24 labels, 70 x 37 mm each, 300 dpi
};

struct LabelSizeInfo {
    LabelSize size;
    std::string_view name;  // "62mm", "50x30", "40x30", "a4-3x8" (the CLI's --size values)
    double width_mm, height_mm;  // one label (a cell of the sheet for A4)
    int native_dpi;
};
const LabelSizeInfo& info(LabelSize s);
std::optional<LabelSize> label_size_from_string(std::string_view s);  // also accepts "62", "ql62", "a4"
inline constexpr LabelSize kAllLabelSizes[] = {LabelSize::Ql62, LabelSize::Thermal50x30, LabelSize::Thermal40x30,
                                              LabelSize::A4Sheet3x8};

struct TextLineLayout {
    std::string text;      // as drawn (possibly ellipsized)
    int x = 0, y = 0, width = 0, height = 0;  // the line's ink box in dots (height = font pixel height)
    int pixel_height = 0;  // font size used, in dots
    bool bold = false;
    bool shortened = false;  // ellipsized
};

struct LabelLayout {
    int width = 0, height = 0, dpi = 0;  // of one label
    int qr_x = 0, qr_y = 0;      // top-left of the QR symbol (without quiet zone)
    int qr_modules = 0;          // modules per side
    int qr_module_px = 0;        // dots per module
    int qr_quiet_modules = 0;    // quiet zone kept white around the symbol, in modules
    std::vector<TextLineLayout> lines;
};

std::string label_payload(const Spool& s);
LabelData from_spool(const Spool& s);

Result<Bitmap> render_label(const LabelData& d, LabelSize size, int dpi = 0, LabelLayout* layout = nullptr);
Result<std::vector<Bitmap>> render_sheet(const std::vector<LabelData>& labels, int dpi = 0, int first_cell = 0);

// Where a sheet's cell lies on the page, in dots (for tests and for printing on a partly used sheet).
struct SheetCell {
    int x, y, width, height;
};
SheetCell sheet_cell(int index, int dpi);  // index 0..23, row by row

}  // namespace batchivo::printing
