// A 1-bit image at a printer's resolution: the renderer's output and every printer backend's input.
// Rows are packed 8 pixels per byte, most significant bit first (the order QL raster lines, ZPL ^GF and 1-bit PNG
// use), `stride` bytes per row; a set bit is ink (black). Pixels past `width` in a row's last byte stay 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace batchivo::printing {

struct Bitmap {
    int width = 0;
    int height = 0;
    int dpi = 0;        // dots per inch, the same both ways
    int stride = 0;     // bytes per row = (width + 7) / 8
    std::vector<uint8_t> bits;
    std::string name;   // job/file name for the backends (e.g. the spool id); may be empty

    Bitmap() = default;
    Bitmap(int w, int h, int dots_per_inch)
        : width(w), height(h), dpi(dots_per_inch), stride((w + 7) / 8),
          bits(static_cast<size_t>(stride) * static_cast<size_t>(h > 0 ? h : 0), 0) {}

    bool empty() const { return width <= 0 || height <= 0; }
    bool in(int x, int y) const { return x >= 0 && y >= 0 && x < width && y < height; }
    bool get(int x, int y) const {
        return in(x, y) && (bits[size_t(y) * size_t(stride) + size_t(x >> 3)] & (0x80u >> (x & 7))) != 0;
    }
    void set(int x, int y, bool ink = true) {
        if (!in(x, y)) return;
        uint8_t& b = bits[size_t(y) * size_t(stride) + size_t(x >> 3)];
        const uint8_t m = static_cast<uint8_t>(0x80u >> (x & 7));
        b = ink ? static_cast<uint8_t>(b | m) : static_cast<uint8_t>(b & ~m);
    }
    void fill_rect(int x, int y, int w, int h, bool ink = true) {
        for (int yy = y; yy < y + h; ++yy)
            for (int xx = x; xx < x + w; ++xx) set(xx, yy, ink);
    }
    const uint8_t* row(int y) const { return bits.data() + size_t(y) * size_t(stride); }
    double width_mm() const { return dpi > 0 ? width * 25.4 / dpi : 0; }
    double height_mm() const { return dpi > 0 ? height * 25.4 / dpi : 0; }
    // Copies `src` with its top-left corner at (x, y), clipped.
    void blit(const Bitmap& src, int x, int y) {
        for (int yy = 0; yy < src.height; ++yy)
            for (int xx = 0; xx < src.width; ++xx)
                if (src.get(xx, yy)) set(x + xx, y + yy);
    }
    // One byte per pixel, 0 = ink, 255 = paper (what a barcode decoder or an image writer wants).
    std::vector<uint8_t> to_gray() const {
        std::vector<uint8_t> g(size_t(width > 0 ? width : 0) * size_t(height > 0 ? height : 0), 255);
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x)
                if (get(x, y)) g[size_t(y) * size_t(width) + size_t(x)] = 0;
        return g;
    }
    bool operator==(const Bitmap& o) const {
        return width == o.width && height == o.height && bits == o.bits;  // dpi and name are metadata
    }
};

}  // namespace batchivo::printing
