#include "sync/central/admin/qr.hpp"

#include <qrencode.h>
#include <stb/stb_image_write.h>

#include <memory>
#include <vector>

namespace batchivo::central {

namespace {
struct QrDel {
    void operator()(QRcode* q) const { QRcode_free(q); }
};
using Qr = std::unique_ptr<QRcode, QrDel>;

Qr encode(const std::string& text) {
    return Qr(QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_L));
}
constexpr int kQuiet = 4;
}  // namespace

Result<> write_qr_png(const std::string& text, const std::string& path, int scale) {
    Qr q = encode(text);
    if (!q) {
        return Error{"io", "payload too long for a QR code"};
    }
    const int n = q->width, side = (n + 2 * kQuiet) * scale;
    std::vector<unsigned char> px(static_cast<size_t>(side) * side, 255);
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x)
            if (q->data[y * n + x] & 1)
                for (int dy = 0; dy < scale; ++dy)
                    for (int dx = 0; dx < scale; ++dx)
                        px[static_cast<size_t>((y + kQuiet) * scale + dy) * side + (x + kQuiet) * scale + dx] = 0;
    if (!stbi_write_png(path.c_str(), side, side, 1, px.data(), side)) {
        return Error{"io", "cannot write " + path};
    }
    return {};
}

std::string qr_terminal(const std::string& text) {
    Qr q = encode(text);
    if (!q) return "(payload too long for a QR code)\n";
    const int n = q->width, m = n + 2 * 2;  // 2-module quiet zone on a terminal
    auto dark = [&](int x, int y) {
        x -= 2;
        y -= 2;
        return x >= 0 && y >= 0 && x < n && y < n && (q->data[y * n + x] & 1);
    };
    // Light modules are drawn as full blocks so the code reads as dark-on-light on a dark terminal.
    std::string out;
    for (int y = 0; y < m; y += 2) {
        for (int x = 0; x < m; ++x) {
            const bool top = !dark(x, y), bottom = y + 1 < m ? !dark(x, y + 1) : false;
            out += top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
        }
        out += '\n';
    }
    return out;
}

}  // namespace batchivo::central
