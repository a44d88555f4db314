// Text for labels: TrueType fonts rasterised by stb_truetype (libstb), thresholded to 1 bit. Internal to
// batchivo_labels (label.cpp) and its tests.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/printing/label/bitmap.hpp"
#include "sync/domain/result.hpp"

namespace batchivo::printing {

class Font {
public:
    // Reads and parses a .ttf; "not_found" / "invalid_input" errors.
    static Result<std::shared_ptr<const Font>> load(const std::string& path);
    ~Font();
    Font(const Font&) = delete;
    Font& operator=(const Font&) = delete;

    // Advance width in dots of `utf8` at a font pixel height (ascent - descent) of `px`.
    int measure(std::string_view utf8, int px) const;
    // Draws with the top of the ascent at (x, y); pixels with coverage >= 50 % become ink.
    void draw(Bitmap& bm, int x, int y, std::string_view utf8, int px) const;

private:
    Font() = default;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

struct LabelFonts {
    std::shared_ptr<const Font> regular, bold;
};
// DejaVuSans.ttf and DejaVuSans-Bold.ttf, loaded once: from $BATCHIVO_ASSETS/fonts, the installed share
// directory next to the executable (../share/batchivo/fonts), the source checkout's assets/fonts, then
// /usr/share/fonts/truetype/dejavu (fonts-dejavu-core).
Result<LabelFonts> label_fonts();

// UTF-8 -> code points; invalid bytes become U+FFFD.
std::vector<char32_t> decode_utf8(std::string_view s);
std::string encode_utf8(const std::vector<char32_t>& cps);

}  // namespace batchivo::printing
