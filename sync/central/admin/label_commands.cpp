// CLI: spool label --tenant SLUG --spool-id ID|UUID [--size 62mm|50x30|40x30|a4-3x8] --out FILE.png|FILE.pdf
//      spool label --tenant SLUG --unlabeled [--first-cell N] --out SHEETS.pdf
// One spool's label, rendered by the shared renderer (platform/printing) into a PNG (1-bit, with its resolution)
// or a PDF at the label's physical size; or every spool still without a label on A4 sheets of 3 x 8. Either way
// the spools printed are recorded as labelled (LabelStore::mark_labeled: their qr_code_data takes the label's
// payload where it was empty), so the next --unlabeled run prints only new spools.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "platform/printing/label/label.hpp"
#include "platform/printing/printers/printer.hpp"
#include "sync/central/admin/commands.hpp"
#include "sync/domain/text.hpp"

namespace batchivo::central {

namespace {

struct LabelOptions {
    std::string tenant, spool_ref, size, out;
    bool unlabeled = false;
    int first_cell = 0;
};

Spool find_spool(Store& s, const std::string& tenant_id, const std::string& ref) {
    // A UUID (36 characters, dashes at 8/13/18/23) by id; anything else by spool_id (case-insensitive).
    const bool uuid_like = ref.size() == 36 && ref[8] == '-' && ref[13] == '-' && ref[18] == '-' && ref[23] == '-';
    if (uuid_like)
        if (auto sp = s.get_spool(tenant_id, to_lower(ref))) return *sp;
    for (const auto& sp : s.active_spools(tenant_id))
        if (to_lower(sp.spool_id) == to_lower(ref)) return sp;
    throw StoreError("not_found", "no spool '" + ref + "' in this tenant (see `spool add`, `spool import`)");
}

// Every active spool without a label, on A4 sheets (3 x 8, row by row from --first-cell on the first sheet).
int print_unlabeled_sheets(Store& s, const Tenant& t, const LabelOptions& o) {
    if (!o.spool_ref.empty()) throw StoreError("invalid_input", "--unlabeled and --spool-id exclude each other");
    if (!o.size.empty() && printing::label_size_from_string(o.size) != printing::LabelSize::A4Sheet3x8)
        throw StoreError("invalid_input", "--unlabeled prints A4 sheets of 3 x 8 labels (--size a4-3x8 or none)");
    const std::string ext = o.out.size() > 4 ? to_lower(o.out.substr(o.out.size() - 4)) : "";
    if (ext != ".pdf") throw StoreError("invalid_input", "--unlabeled writes a PDF: --out must name a .pdf file");
    if (o.first_cell < 0 || o.first_cell > 23) throw StoreError("invalid_input", "--first-cell must be 0..23");
    const auto spools = s.unlabeled_spools(t.id);
    if (spools.empty()) {
        std::cout << "every active spool of " << t.slug << " has a label; nothing written\n";
        return 0;
    }
    std::vector<printing::LabelData> labels;
    std::vector<std::pair<std::string, std::string>> marks;
    for (const auto& sp : spools) {
        labels.push_back(printing::from_spool(sp));
        marks.emplace_back(sp.id, labels.back().payload);
    }
    auto pages = printing::render_sheet(labels, 0, o.first_cell);
    if (!pages) throw StoreError(pages.error().code, pages.error().message);
    auto r = printing::print_labels(*pages, printing::PrinterSpec{printing::PrinterKind::PdfFile, o.out, {}, 0, true,
                                                                  "pdf:" + o.out});
    if (!r) throw StoreError(r.error().code, r.error().message);
    // Only once the sheets are on disk: a failure before this line prints them again next time, never skips one.
    const int marked = s.mark_labeled(t.id, marks);
    std::cout << spools.size() << " label(s) of " << t.slug << " on " << pages->size() << " A4 sheet(s) written to "
              << o.out << " (" << r->bytes << " bytes); " << marked << " spool(s) recorded as labelled:";
    for (const auto& sp : spools) std::cout << " " << sp.spool_id;
    std::cout << "\n";
    return 0;
}

int print_spool_label(Store& s, const LabelOptions& o) {
    const Tenant t = require_tenant(s, o.tenant);
    if (o.unlabeled) return print_unlabeled_sheets(s, t, o);
    if (o.spool_ref.empty()) throw StoreError("invalid_input", "give --spool-id ID or --unlabeled");
    const auto size = printing::label_size_from_string(o.size.empty() ? "62mm" : o.size);
    if (!size) throw StoreError("invalid_input", "unknown label size '" + o.size + "' (62mm, 50x30, 40x30, a4-3x8)");
    const std::string ext = o.out.size() > 4 ? to_lower(o.out.substr(o.out.size() - 4)) : "";
    if (ext != ".png" && ext != ".pdf") throw StoreError("invalid_input", "--out must name a .png or .pdf file");
    const Spool sp = find_spool(s, t.id, o.spool_ref);
    auto bm = printing::render_label(printing::from_spool(sp), *size);
    if (!bm) throw StoreError(bm.error().code, bm.error().message);
    size_t bytes = 0;
    if (ext == ".pdf") {
        auto r = printing::print_label(*bm, printing::PrinterSpec{printing::PrinterKind::PdfFile, o.out, {}, 0, true,
                                                                  "pdf:" + o.out});
        if (!r) throw StoreError(r.error().code, r.error().message);
        bytes = r->bytes;
    } else {
        auto png = printing::encode_png(*bm);
        if (!png) throw StoreError(png.error().code, png.error().message);
        const std::string tmp = o.out + ".part";
        {
            std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
            f.write(reinterpret_cast<const char*>(png->data()), std::streamsize(png->size()));
            if (!f.flush()) throw StoreError("io", "cannot write " + tmp);
        }
        if (std::rename(tmp.c_str(), o.out.c_str()) != 0) {
            std::remove(tmp.c_str());
            throw StoreError("io", "cannot write " + o.out);
        }
        bytes = png->size();
    }
    s.mark_labeled(t.id, {{sp.id, printing::from_spool(sp).payload}});
    std::cout << "label of " << sp.spool_id << " (" << printing::info(*size).name << ") written to " << o.out << " ("
              << bytes << " bytes)\n";
    return 0;
}

}  // namespace

void add_spool_label_command(CLI::App& spool, CliContext& ctx) {
    auto o = std::make_shared<LabelOptions>();
    auto* label = spool.add_subcommand("label", "Write a spool's label (QR code, id, material, weight) to PNG or PDF");
    label->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    label->add_option("--spool-id", o->spool_ref, "The spool's id (e.g. FIL-001) or UUID");
    label->add_flag("--unlabeled", o->unlabeled,
                    "Every active spool never labelled, on A4 sheets of 3x8 (PDF); records them as labelled");
    label->add_option("--first-cell", o->first_cell, "With --unlabeled: first free cell of the first sheet (0..23)");
    label->add_option("--size", o->size, "62mm (default) | 50x30 | 40x30 | a4-3x8 (the label in an A4 sheet's first cell)");
    label->add_option("--out", o->out, "Output file: FILE.png or FILE.pdf (--unlabeled: FILE.pdf)")->required();
    label->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            auto s = ctx.open_store();
            return print_spool_label(*s, *o);
        };
    });
}

}  // namespace batchivo::central
