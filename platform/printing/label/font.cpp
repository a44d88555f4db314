#include "platform/printing/label/font.hpp"

#include <stb_truetype.h>  // implementation compiled into libstb (Debian's libstb-dev)

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>

#include "batchivo_source_dir.hpp"

namespace batchivo::printing {

namespace fs = std::filesystem;

struct Font::Impl {
    std::vector<unsigned char> data;
    stbtt_fontinfo info{};
    int ascent = 0, descent = 0, line_gap = 0;
};

Font::~Font() = default;

Result<std::shared_ptr<const Font>> Font::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"not_found", "cannot read font " + path};
    auto impl = std::make_unique<Impl>();
    impl->data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    const int offset = impl->data.empty() ? -1 : stbtt_GetFontOffsetForIndex(impl->data.data(), 0);
    if (offset < 0 || !stbtt_InitFont(&impl->info, impl->data.data(), offset))
        return Error{"invalid_input", "not a TrueType font: " + path};
    stbtt_GetFontVMetrics(&impl->info, &impl->ascent, &impl->descent, &impl->line_gap);
    std::shared_ptr<Font> f(new Font());
    f->impl_ = std::move(impl);
    return std::shared_ptr<const Font>(std::move(f));
}

int Font::measure(std::string_view utf8, int px) const {
    const float scale = stbtt_ScaleForPixelHeight(&impl_->info, float(px));
    const auto cps = decode_utf8(utf8);
    float w = 0;
    for (size_t i = 0; i < cps.size(); ++i) {
        int adv = 0, lsb = 0;
        stbtt_GetCodepointHMetrics(&impl_->info, int(cps[i]), &adv, &lsb);
        w += float(adv) * scale;
        if (i + 1 < cps.size()) w += float(stbtt_GetCodepointKernAdvance(&impl_->info, int(cps[i]), int(cps[i + 1]))) * scale;
    }
    return int(std::ceil(w));
}

void Font::draw(Bitmap& bm, int x, int y, std::string_view utf8, int px) const {
    const float scale = stbtt_ScaleForPixelHeight(&impl_->info, float(px));
    const float baseline = float(y) + float(impl_->ascent) * scale;
    const auto cps = decode_utf8(utf8);
    float pen = float(x);
    std::vector<unsigned char> buf;
    for (size_t i = 0; i < cps.size(); ++i) {
        const int cp = int(cps[i]);
        int adv = 0, lsb = 0;
        stbtt_GetCodepointHMetrics(&impl_->info, cp, &adv, &lsb);
        const float shift_x = pen - std::floor(pen);
        int x0, y0, x1, y1;
        stbtt_GetCodepointBitmapBoxSubpixel(&impl_->info, cp, scale, scale, shift_x, 0, &x0, &y0, &x1, &y1);
        const int gw = x1 - x0, gh = y1 - y0;
        if (gw > 0 && gh > 0) {
            buf.assign(size_t(gw) * size_t(gh), 0);
            stbtt_MakeCodepointBitmapSubpixel(&impl_->info, buf.data(), gw, gh, gw, scale, scale, shift_x, 0, cp);
            const int ox = int(std::floor(pen)) + x0, oy = int(std::lround(baseline)) + y0;
            for (int gy = 0; gy < gh; ++gy)
                for (int gx = 0; gx < gw; ++gx)
                    if (buf[size_t(gy) * size_t(gw) + size_t(gx)] >= 128) bm.set(ox + gx, oy + gy);
        }
        pen += float(adv) * scale;
        if (i + 1 < cps.size()) pen += float(stbtt_GetCodepointKernAdvance(&impl_->info, cp, int(cps[i + 1]))) * scale;
    }
}

namespace {
std::vector<fs::path> font_dirs() {
    std::vector<fs::path> dirs;
    if (const char* a = std::getenv("BATCHIVO_ASSETS"); a && *a) dirs.push_back(fs::path(a) / "fonts");
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec)
        for (auto rel : {"../share/batchivo/fonts", "../../assets/fonts", "../assets/fonts"})
            dirs.push_back(exe.parent_path() / rel);
    dirs.push_back(fs::path(BATCHIVO_SOURCE_DIR) / "assets" / "fonts");
    dirs.push_back("/usr/share/fonts/truetype/dejavu");
    return dirs;
}
}  // namespace

Result<LabelFonts> label_fonts() {
    static std::once_flag once;
    static Result<LabelFonts> cached = Error{"not_found", "fonts not loaded"};
    std::call_once(once, [] {
        std::string tried;
        for (const auto& d : font_dirs()) {
            std::error_code ec;
            if (!fs::exists(d / "DejaVuSans.ttf", ec) || !fs::exists(d / "DejaVuSans-Bold.ttf", ec)) {
                tried += (tried.empty() ? "" : ", ") + d.string();
                continue;
            }
            auto r = Font::load((d / "DejaVuSans.ttf").string());
            auto b = Font::load((d / "DejaVuSans-Bold.ttf").string());
            if (!r) { cached = r.error(); return; }
            if (!b) { cached = b.error(); return; }
            cached = LabelFonts{*r, *b};
            return;
        }
        cached = Error{"not_found", "label fonts DejaVuSans.ttf / DejaVuSans-Bold.ttf not found in " + tried +
                                        " (set BATCHIVO_ASSETS or install fonts-dejavu-core)"};
    });
    return cached;
}

std::vector<char32_t> decode_utf8(std::string_view s) {
    std::vector<char32_t> out;
    size_t i = 0;
    while (i < s.size()) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        size_t len = 0;
        char32_t cp = 0;
        if (c < 0x80) { len = 1; cp = c; }
        else if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
        bool ok = len > 0 && i + len <= s.size();
        for (size_t k = 1; ok && k < len; ++k) {
            const unsigned char cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) ok = false;
            else cp = (cp << 6) | (cc & 0x3F);
        }
        if (!ok) { out.push_back(0xFFFD); ++i; continue; }
        out.push_back(cp);
        i += len;
    }
    return out;
}

std::string encode_utf8(const std::vector<char32_t>& cps) {
    std::string out;
    for (char32_t c : cps) {
        if (c < 0x80) out += char(c);
        else if (c < 0x800) { out += char(0xC0 | (c >> 6)); out += char(0x80 | (c & 0x3F)); }
        else if (c < 0x10000) { out += char(0xE0 | (c >> 12)); out += char(0x80 | ((c >> 6) & 0x3F)); out += char(0x80 | (c & 0x3F)); }
        else { out += char(0xF0 | (c >> 18)); out += char(0x80 | ((c >> 12) & 0x3F)); out += char(0x80 | ((c >> 6) & 0x3F)); out += char(0x80 | (c & 0x3F)); }
    }
    return out;
}

}  // namespace batchivo::printing
