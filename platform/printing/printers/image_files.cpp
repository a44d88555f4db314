// PNG (libpng: 1-bit grayscale with the resolution in pHYs) and PDF (cairo: each label a page of its physical
// size, the bitmap drawn as a 1-bit stencil mask in black at exactly 72/dpi points per dot, nearest-neighbour).
#include <cairo-pdf.h>
#include <cairo.h>
#include <png.h>

#include <bit>
#include <cmath>
#include <csetjmp>

#include "platform/printing/printers/printer.hpp"

namespace batchivo::printing {

namespace {
void png_write_vec(png_structp png, png_bytep data, png_size_t len) {
    auto* v = static_cast<std::vector<uint8_t>*>(png_get_io_ptr(png));
    v->insert(v->end(), data, data + len);
}
void png_flush_noop(png_structp) {}

cairo_status_t cairo_write_vec(void* closure, const unsigned char* data, unsigned int len) {
    auto* v = static_cast<std::vector<uint8_t>*>(closure);
    v->insert(v->end(), data, data + len);
    return CAIRO_STATUS_SUCCESS;
}
}  // namespace

Result<std::vector<uint8_t>> encode_png(const Bitmap& bm) {
    if (bm.empty()) return Error{"invalid_input", "empty label bitmap"};
    // PNG 1-bit gray: 0 = black. Our bits: 1 = ink. Invert row by row (padding bits stay white).
    std::vector<uint8_t> rows(bm.bits.size());
    for (size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<uint8_t>(~bm.bits[i]);
    std::vector<png_bytep> ptrs(size_t(bm.height));
    for (int y = 0; y < bm.height; ++y) ptrs[size_t(y)] = rows.data() + size_t(y) * size_t(bm.stride);
    std::vector<uint8_t> out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    if (!png) return Error{"io", "libpng: out of memory"};
    png_infop info = png_create_info_struct(png);
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return Error{"io", "libpng failed to encode the label"};
    }
    png_set_write_fn(png, &out, png_write_vec, png_flush_noop);
    png_set_IHDR(png, info, png_uint_32(bm.width), png_uint_32(bm.height), 1, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (bm.dpi > 0) {
        const auto ppm = png_uint_32(std::lround(bm.dpi / 0.0254));
        png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    }
    png_write_info(png, info);
    png_write_image(png, ptrs.data());
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

Result<std::vector<uint8_t>> encode_pdf(const std::vector<Bitmap>& pages) {
    if (pages.empty()) return Error{"invalid_input", "nothing to print"};
    for (const auto& p : pages)
        if (p.empty() || p.dpi <= 0) return Error{"invalid_input", "label bitmap without size or resolution"};
    std::vector<uint8_t> out;
    auto pt = [](int dots, int dpi) { return dots * 72.0 / dpi; };
    cairo_surface_t* pdf = cairo_pdf_surface_create_for_stream(cairo_write_vec, &out, pt(pages[0].width, pages[0].dpi),
                                                               pt(pages[0].height, pages[0].dpi));
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_TITLE, pages[0].name.c_str());
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATOR, "Batchivo Station");
    cairo_t* cr = cairo_create(pdf);
    for (const auto& bm : pages) {
        cairo_pdf_surface_set_size(pdf, pt(bm.width, bm.dpi), pt(bm.height, bm.dpi));
        cairo_surface_t* img = cairo_image_surface_create(CAIRO_FORMAT_A1, bm.width, bm.height);
        cairo_surface_flush(img);
        unsigned char* data = cairo_image_surface_get_data(img);
        const int cstride = cairo_image_surface_get_stride(img);
        // A1: 32-bit units, first pixel in the least significant bit on little-endian hosts (most on big-endian).
        for (int y = 0; y < bm.height; ++y) {
            auto* words = reinterpret_cast<uint32_t*>(data + size_t(y) * size_t(cstride));
            for (int x = 0; x < bm.width; ++x) {
                if (!bm.get(x, y)) continue;
                const uint32_t bit = std::endian::native == std::endian::little ? (1u << (x & 31))
                                                                                : (0x80000000u >> (x & 31));
                words[x >> 5] |= bit;
            }
        }
        cairo_surface_mark_dirty(img);
        cairo_save(cr);
        cairo_scale(cr, 72.0 / bm.dpi, 72.0 / bm.dpi);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_pattern_t* mask = cairo_pattern_create_for_surface(img);
        cairo_pattern_set_filter(mask, CAIRO_FILTER_NEAREST);
        cairo_mask(cr, mask);
        cairo_pattern_destroy(mask);
        cairo_restore(cr);
        cairo_show_page(cr);
        cairo_surface_destroy(img);
    }
    const cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    const cairo_status_t st2 = cairo_surface_status(pdf);
    cairo_surface_destroy(pdf);
    if (st != CAIRO_STATUS_SUCCESS || st2 != CAIRO_STATUS_SUCCESS)
        return Error{"io", std::string("cairo: ") + cairo_status_to_string(st != CAIRO_STATUS_SUCCESS ? st : st2)};
    return out;
}

}  // namespace batchivo::printing
