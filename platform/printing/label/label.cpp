#include "platform/printing/label/label.hpp"

#include <qrencode.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>

#include "platform/printing/label/font.hpp"

namespace batchivo::printing {

namespace {

constexpr LabelSizeInfo kSizes[] = {
    // QL 62 mm: the print head covers 696 of its 720 pins on 62 mm tape, i.e. 58.93 mm at 300 dpi.
    {LabelSize::Ql62, "62mm", 696 * 25.4 / 300.0, 35.0, 300},
    {LabelSize::Thermal50x30, "50x30", 50.0, 30.0, 203},
    {LabelSize::Thermal40x30, "40x30", 40.0, 30.0, 203},
    {LabelSize::A4Sheet3x8, "a4-3x8", 70.0, 37.0, 300},
};
constexpr double kA4W = 210.0, kA4H = 297.0, kSheetTop = 0.5;  // 8 x 37 = 296 mm, centred
constexpr double kLabelMarginMm = 1.5, kSheetMarginMm = 4.5;
constexpr size_t kMaxPayloadBytes = 256;  // what platform::parse_label accepts (kMaxLabelBytes)

int mm_to_px(double mm, int dpi) { return int(std::lround(mm * dpi / 25.4)); }

std::string join_dot(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (auto p : parts) {
        if (p.empty()) continue;
        if (!out.empty()) out += " \xC2\xB7 ";  // " · "
        out += p;
    }
    return out;
}

struct Fit {
    std::string text;
    int px = 0;
    int width = 0;
    bool shortened = false;
};

// Largest size <= nominal (and >= min_px) at which `text` fits `max_w`; below that, ellipsized at min_px.
Fit fit_text(const Font& f, const std::string& text, int nominal, int min_px, int max_w) {
    Fit r{text, nominal, f.measure(text, nominal), false};
    if (r.width <= max_w) return r;
    int px = std::max(min_px, int(std::floor(double(nominal) * max_w / std::max(1, r.width))));
    while (px > min_px && f.measure(text, px) > max_w) --px;
    while (px + 1 <= nominal && f.measure(text, px + 1) <= max_w) ++px;
    r.px = px;
    r.width = f.measure(text, px);
    if (r.width <= max_w) return r;
    auto cps = decode_utf8(text);
    const std::string ell = "\xE2\x80\xA6";  // …
    while (!cps.empty()) {
        cps.pop_back();
        while (!cps.empty() && cps.back() == U' ') cps.pop_back();
        std::string t = encode_utf8(cps) + ell;
        const int w = f.measure(t, px);
        if (w <= max_w) return Fit{t, px, w, true};
    }
    return Fit{"", px, 0, true};
}

struct LineSpec {
    std::string text;
    bool bold;
    int nominal;
};

// margin_mm: blank border inside the label: 1.5 mm for die-cut/continuous labels (feed tolerance), 4.5 mm on A4
// sheets (office printers cannot print the outer ~4 mm of a page, and the outer cells touch the page edge).
Result<Bitmap> render_cell(const LabelData& d, int w, int h, int dpi, LabelLayout* out, double margin_mm) {
    auto fonts = label_fonts();
    if (!fonts) return fonts.error();
    if (d.payload.empty()) return Error{"invalid_input", "label has no QR payload"};
    if (d.payload.size() > kMaxPayloadBytes)
        return Error{"invalid_input", "label payload longer than " + std::to_string(kMaxPayloadBytes) + " bytes"};

    Bitmap bm(w, h, dpi);
    bm.name = d.spool_id.empty() ? "label" : d.spool_id;
    LabelLayout lay;
    lay.width = w;
    lay.height = h;
    lay.dpi = dpi;

    std::unique_ptr<QRcode, void (*)(QRcode*)> qr(
        QRcode_encodeString(d.payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
    if (!qr) return Error{"invalid_input", "cannot encode the payload as a QR code"};
    const int n = qr->width;
    const int margin = std::max(2, mm_to_px(margin_mm, dpi));
    const int cap_w = w / 2;  // the QR takes at most half the label's width; text gets the rest

    // Biggest module with the full 4-module quiet zone; 2 modules only when that buys a bigger module and the
    // 4-module one would be under 4 dots. The label margin counts as quiet zone (it is blank label stock).
    auto best_module = [&](int quiet) {
        for (int mod = h / n; mod >= 1; --mod) {
            const int edge = std::max(margin, quiet * mod);
            if (n * mod + 2 * edge <= h && n * mod + 2 * edge <= cap_w) return mod;
        }
        return 0;
    };
    const int mod4 = best_module(4), mod2 = best_module(2);
    int quiet = 4, mod = mod4;
    if (mod4 < 4 && mod2 > mod4) {
        quiet = 2;
        mod = mod2;
    }
    if (mod < 1) return Error{"invalid_input", "the QR code does not fit a " + std::to_string(w) + "x" +
                                                   std::to_string(h) + " label at " + std::to_string(dpi) + " dpi"};
    const int edge = std::max(margin, quiet * mod);
    const int side = n * mod;
    lay.qr_x = edge;
    lay.qr_y = (h - side) / 2;
    lay.qr_modules = n;
    lay.qr_module_px = mod;
    lay.qr_quiet_modules = quiet;
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x)
            if (qr->data[y * n + x] & 1) bm.fill_rect(lay.qr_x + x * mod, lay.qr_y + y * mod, mod, mod);

    // Text column.
    const int x0 = lay.qr_x + side + std::max(quiet * mod, margin);
    const int tw = w - margin - x0;
    const int th = h - 2 * margin;
    const int min_px = std::max(9, mm_to_px(1.7, dpi));
    const int id_px = std::max(min_px, th * 30 / 100);
    const int small_px = std::max(min_px, th * 15 / 100);
    const Font& reg = *fonts->regular;
    const Font& bold = *fonts->bold;

    std::vector<Fit> fits;
    std::vector<bool> is_bold;
    auto add = [&](const std::string& text, bool b, int nominal) {
        if (text.empty() || tw <= 0) return;
        fits.push_back(fit_text(b ? bold : reg, text, nominal, min_px, tw));
        is_bold.push_back(b);
    };
    add(d.spool_id, true, id_px);
    const std::string mbc = join_dot({d.material, d.brand, d.color});
    if (!mbc.empty()) {
        Fit one = fit_text(reg, mbc, small_px, min_px, tw);
        if (!one.shortened && one.px * 5 >= small_px * 4) {
            fits.push_back(one);
            is_bold.push_back(false);
        } else {  // two lines read better than one tiny or cut line
            add(join_dot({d.material, d.brand}), false, small_px);
            add(d.color, false, small_px);
        }
    }
    add(join_dot({d.initial_weight_g > 0 ? std::to_string(d.initial_weight_g) + " g" : std::string(), d.date}),
        false, small_px);

    // The small lines (everything below the id) share one size, the smallest any of them needed, so the label
    // reads as one block; a line that had to be ellipsized stays at the minimum and does not drag the others.
    const size_t first_small = d.spool_id.empty() || tw <= 0 ? 0 : 1;
    int shared = small_px;
    for (size_t i = first_small; i < fits.size(); ++i)
        if (!fits[i].shortened) shared = std::min(shared, fits[i].px);
    for (size_t i = first_small; i < fits.size(); ++i)
        if (!fits[i].shortened && fits[i].px != shared) fits[i] = fit_text(reg, fits[i].text, shared, min_px, tw);

    // Vertical fit: gaps of a quarter of the small size; shrink everything proportionally if too tall, then drop
    // lines from the bottom as a last resort.
    auto total_h = [&] {
        int t = 0;
        for (size_t i = 0; i < fits.size(); ++i) t += fits[i].px + (i ? small_px / 4 : 0);
        return t;
    };
    if (total_h() > th) {
        const double k = double(th) / total_h();
        for (size_t i = 0; i < fits.size(); ++i) {
            const int px = std::max(min_px, int(fits[i].px * k));
            if (px < fits[i].px) fits[i] = fit_text(is_bold[i] ? bold : reg, fits[i].text, px, min_px, tw);
        }
    }
    while (!fits.empty() && total_h() > th) {
        fits.pop_back();
        is_bold.pop_back();
    }
    int y = margin + (th - total_h()) / 2;
    for (size_t i = 0; i < fits.size(); ++i) {
        if (i) y += small_px / 4;
        const Font& f = is_bold[i] ? bold : reg;
        f.draw(bm, x0, y, fits[i].text, fits[i].px);
        lay.lines.push_back(TextLineLayout{fits[i].text, x0, y, fits[i].width, fits[i].px, fits[i].px, is_bold[i],
                                           fits[i].shortened});
        y += fits[i].px;
    }
    if (out) *out = std::move(lay);
    return bm;
}

bool dpi_ok(int dpi) { return dpi >= 100 && dpi <= 1200; }

}  // namespace

const LabelSizeInfo& info(LabelSize s) {
    for (const auto& i : kSizes)
        if (i.size == s) return i;
    return kSizes[0];
}

std::optional<LabelSize> label_size_from_string(std::string_view s) {
    std::string l;
    for (char c : s) l += char(std::tolower(static_cast<unsigned char>(c)));
    if (l == "62mm" || l == "62" || l == "ql62" || l == "ql-62") return LabelSize::Ql62;
    if (l == "50x30" || l == "50x30mm") return LabelSize::Thermal50x30;
    if (l == "40x30" || l == "40x30mm") return LabelSize::Thermal40x30;
    if (l == "a4-3x8" || l == "a4" || l == "a4-24") return LabelSize::A4Sheet3x8;
    return std::nullopt;
}

std::string label_payload(const Spool& s) {
    if (!s.id.empty()) {
        std::string id = s.id;
        for (auto& c : id) c = char(std::tolower(static_cast<unsigned char>(c)));
        return "batchivo://spool/" + id;
    }
    if (!s.qr_code_data.empty()) return s.qr_code_data;
    return s.spool_id;
}

LabelData from_spool(const Spool& s) {
    LabelData d;
    d.payload = label_payload(s);
    d.spool_id = s.spool_id;
    d.material = s.material_name;
    d.brand = s.brand;
    d.color = s.color;
    d.initial_weight_g = s.initial_weight_g;
    d.date = !s.purchase_date.empty() ? s.purchase_date.substr(0, 10) : s.created_at.substr(0, 10);
    return d;
}

SheetCell sheet_cell(int index, int dpi) {
    const int col = index % 3, row = index / 3;
    const int x = mm_to_px(col * 70.0, dpi), x1 = mm_to_px((col + 1) * 70.0, dpi);
    const int y = mm_to_px(kSheetTop + row * 37.0, dpi), y1 = mm_to_px(kSheetTop + (row + 1) * 37.0, dpi);
    return SheetCell{x, y, std::min(x1, mm_to_px(kA4W, dpi)) - x, y1 - y};
}

Result<std::vector<Bitmap>> render_sheet(const std::vector<LabelData>& labels, int dpi, int first_cell) {
    if (dpi == 0) dpi = info(LabelSize::A4Sheet3x8).native_dpi;
    if (!dpi_ok(dpi)) return Error{"invalid_input", "dpi must be 100..1200, got " + std::to_string(dpi)};
    if (first_cell < 0 || first_cell > 23) return Error{"invalid_input", "first_cell must be 0..23"};
    std::vector<Bitmap> pages;
    int cell = first_cell;
    for (size_t i = 0; i < labels.size() || pages.empty(); ++i) {
        if (pages.empty() || cell == 24) {
            pages.emplace_back(mm_to_px(kA4W, dpi), mm_to_px(kA4H, dpi), dpi);
            pages.back().name = "sheet-" + std::to_string(pages.size());
            if (pages.size() > 1) cell = 0;
        }
        if (i >= labels.size()) break;
        const SheetCell c = sheet_cell(cell, dpi);
        auto r = render_cell(labels[i], c.width, c.height, dpi, nullptr, kSheetMarginMm);
        if (!r) return r.error();
        pages.back().blit(*r, c.x, c.y);
        ++cell;
    }
    return pages;
}

Result<Bitmap> render_label(const LabelData& d, LabelSize size, int dpi, LabelLayout* layout) {
    const auto& si = info(size);
    if (dpi == 0) dpi = si.native_dpi;
    if (!dpi_ok(dpi)) return Error{"invalid_input", "dpi must be 100..1200, got " + std::to_string(dpi)};
    if (size == LabelSize::A4Sheet3x8) {
        const SheetCell c = sheet_cell(0, dpi);
        auto cell = render_cell(d, c.width, c.height, dpi, layout, kSheetMarginMm);
        if (!cell) return cell.error();
        Bitmap page(mm_to_px(kA4W, dpi), mm_to_px(kA4H, dpi), dpi);
        page.name = cell->name;
        page.blit(*cell, c.x, c.y);
        return page;
    }
    return render_cell(d, mm_to_px(si.width_mm, dpi), mm_to_px(si.height_mm, dpi), dpi, layout, kLabelMarginMm);
}

}  // namespace batchivo::printing
