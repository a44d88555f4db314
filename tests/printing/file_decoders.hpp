// Independent decoders for the file backends (used by the round trips and the station/central CLI tests):
// PNG through stb_image (resolution read from pHYs by hand), PDF rasterised by poppler without antialiasing.
#pragma once

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>
#include <stb_image.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

#include "platform/printing/label/bitmap.hpp"

namespace batchivo::printing::test {

inline std::vector<Bitmap> decode_png(const std::vector<uint8_t>& png, int* dpi_out) {
    int w = 0, h = 0, n = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> px(
        stbi_load_from_memory(png.data(), int(png.size()), &w, &h, &n, 1), stbi_image_free);
    REQUIRE(px);
    // pHYs chunk, read by hand: 4-byte length, "pHYs", x ppu, y ppu, unit (1 = metre).
    *dpi_out = 0;
    for (size_t i = 8; i + 21 <= png.size(); ++i)
        if (std::memcmp(&png[i], "pHYs", 4) == 0) {
            const uint32_t ppm = uint32_t(png[i + 4]) << 24 | uint32_t(png[i + 5]) << 16 | uint32_t(png[i + 6]) << 8 |
                                 png[i + 7];
            if (png[i + 12] == 1) *dpi_out = int(std::lround(ppm * 0.0254));
            break;
        }
    Bitmap bm(w, h, *dpi_out);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            if (px.get()[size_t(y) * size_t(w) + size_t(x)] < 128) bm.set(x, y);
    return {bm};
}

struct PdfPage {
    Bitmap bm;
    double width_mm, height_mm;
};
inline std::vector<PdfPage> decode_pdf(const std::vector<uint8_t>& pdf, int dpi) {
    std::vector<char> raw(pdf.begin(), pdf.end());
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(raw.data(), int(raw.size())));
    REQUIRE(doc);
    std::vector<PdfPage> out;
    poppler::page_renderer r;
    r.set_render_hint(poppler::page_renderer::antialiasing, false);
    r.set_render_hint(poppler::page_renderer::text_antialiasing, false);
    r.set_image_format(poppler::image::format_gray8);
    for (int i = 0; i < doc->pages(); ++i) {
        std::unique_ptr<poppler::page> p(doc->create_page(i));
        const auto rect = p->page_rect();
        poppler::image img = r.render_page(p.get(), dpi, dpi);
        REQUIRE(img.is_valid());
        Bitmap bm(img.width(), img.height(), dpi);
        const char* d = img.const_data();
        for (int y = 0; y < img.height(); ++y)
            for (int x = 0; x < img.width(); ++x)
                if (static_cast<unsigned char>(d[size_t(y) * size_t(img.bytes_per_row()) + size_t(x)]) < 128) bm.set(x, y);
        out.push_back(PdfPage{std::move(bm), rect.width() * 25.4 / 72.0, rect.height() * 25.4 / 72.0});
    }
    return out;
}

}  // namespace batchivo::printing::test
