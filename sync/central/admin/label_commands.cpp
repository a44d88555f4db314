// CLI: spool label --tenant SLUG --spool-id ID|UUID [--size 62mm|50x30|40x30|a4-3x8] --out FILE.png|FILE.pdf
// One spool's label, rendered by the shared renderer (platform/printing) into a PNG (1-bit, with its resolution)
// or a PDF at the label's physical size.
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
    std::string tenant, spool_ref, size = "62mm", out;
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

int print_spool_label(Store& s, const LabelOptions& o) {
    const Tenant t = require_tenant(s, o.tenant);
    const auto size = printing::label_size_from_string(o.size);
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
    std::cout << "label of " << sp.spool_id << " (" << printing::info(*size).name << ") written to " << o.out << " ("
              << bytes << " bytes)\n";
    return 0;
}

}  // namespace

void add_spool_label_command(CLI::App& spool, CliContext& ctx) {
    auto o = std::make_shared<LabelOptions>();
    auto* label = spool.add_subcommand("label", "Write a spool's label (QR code, id, material, weight) to PNG or PDF");
    label->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    label->add_option("--spool-id", o->spool_ref, "The spool's id (e.g. FIL-001) or UUID")->required();
    label->add_option("--size", o->size, "62mm (default) | 50x30 | 40x30 | a4-3x8 (the label in an A4 sheet's first cell)");
    label->add_option("--out", o->out, "Output file: FILE.png or FILE.pdf")->required();
    label->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            auto s = ctx.open_store();
            return print_spool_label(*s, *o);
        };
    });
}

}  // namespace batchivo::central
