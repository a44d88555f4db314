// Zebra ZPL II: one label format per bitmap, the image as a single ^GF field in ASCII hex ("A"): ^GFA,b,c,d,data
// with b = c = total bytes, d = bytes per row; a set bit prints a dot. ^PW/^LL give the print width and label
// length in dots so continuous media is cut to the image; the printer must be set to the bitmap's resolution
// (203 dpi for the thermal sizes).
#include "platform/printing/printers/printer.hpp"

namespace batchivo::printing {

std::string encode_zpl(const std::vector<Bitmap>& pages) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const auto& bm : pages) {
        const size_t total = size_t(bm.stride) * size_t(bm.height);
        out.reserve(out.size() + total * 2 + 128);
        out += "^XA\n^PW" + std::to_string(bm.width) + "\n^LL" + std::to_string(bm.height) + "\n^LH0,0\n";
        out += "^FO0,0^GFA," + std::to_string(total) + "," + std::to_string(total) + "," +
               std::to_string(bm.stride) + ",";
        for (uint8_t b : bm.bits) {
            out += kHex[b >> 4];
            out += kHex[b & 15];
        }
        out += "^FS\n^PQ1\n^XZ\n";
    }
    return out;
}

}  // namespace batchivo::printing
