// Brother QL raster protocol, from Brother's public "Raster Command Reference" (QL-5xx/6xx/7xx/8xx/1xxx):
//   NUL x 400            invalidate (flush any half-received command; the manuals ask for 200 on QL-5xx/7xx,
//                        more on newer models, and any count >= 128 works as NUL is itself the no-op command)
//   ESC @                initialise
//   per page:
//   ESC i a 01           switch to raster mode
//   ESC i z n1..n10      print information: n1 valid-field flags (0x80 recover, 0x04 width, 0x02 media kind),
//                        n2 media kind (0x0A continuous tape), n3 width in mm, n4 length in mm (0 = continuous),
//                        n5..n8 raster line count (little-endian), n9 0 = first page / 1 = others, n10 0
//   ESC i M 40           various mode: auto cut
//   ESC i A 01           cut every label
//   ESC i K 08           expanded mode: cut at end
//   ESC i d n1 n2        feed margin in dots (35 = 3 mm)
//   M 00 | M 02          no compression | TIFF PackBits
//   g 00 n d1..dn        one raster line: 90 bytes for the 720-pin head (n = compressed size with M 02)
//   FF (0C) between pages, Control-Z (1A) after the last: print with feeding.
// A raster line runs from the head's highest pin to pin 0: byte 0's most significant bit is pin 719. On 62 mm tape
// the printable 696 pins start 12 pins above pin 0, so the line is [12 unused][696 print area][12 offset]; the
// image is sent mirrored (its left edge lands on the lowest print-area pin). A bitmap narrower than 696 dots is
// centred on the tape.
#include "platform/printing/printers/printer.hpp"

namespace batchivo::printing {

std::vector<uint8_t> packbits_encode(const uint8_t* data, size_t n) {
    std::vector<uint8_t> out;
    size_t i = 0;
    while (i < n) {
        size_t run = 1;
        while (i + run < n && run < 128 && data[i + run] == data[i]) ++run;
        if (run >= 2) {
            out.push_back(static_cast<uint8_t>(257 - run));  // -(run-1) as a signed byte
            out.push_back(data[i]);
            i += run;
            continue;
        }
        // literal: until the next run of 2+ identical bytes or 128 bytes
        size_t start = i, len = 0;
        while (i < n && len < 128) {
            if (i + 1 < n && data[i] == data[i + 1]) break;
            ++i;
            ++len;
        }
        out.push_back(static_cast<uint8_t>(len - 1));
        out.insert(out.end(), data + start, data + start + len);
    }
    return out;
}

Result<std::vector<uint8_t>> encode_brother_ql(const std::vector<Bitmap>& pages, const QlOptions& opt) {
    if (pages.empty()) return Error{"invalid_input", "nothing to print"};
    for (const auto& p : pages) {
        if (p.empty()) return Error{"invalid_input", "empty label bitmap"};
        if (p.width > kQl62PrintablePins)
            return Error{"invalid_input", "label is " + std::to_string(p.width) +
                                              " dots wide; the Brother QL prints at most 696 dots on 62 mm tape "
                                              "(render it with --size 62mm)"};
        if (p.height > 11811) return Error{"invalid_input", "label longer than 1 m"};
    }
    std::vector<uint8_t> out(400, 0x00);
    out.insert(out.end(), {0x1B, 0x40});
    for (size_t pi = 0; pi < pages.size(); ++pi) {
        const Bitmap& bm = pages[pi];
        const uint32_t lines = static_cast<uint32_t>(bm.height);
        out.insert(out.end(), {0x1B, 0x69, 0x61, 0x01});
        out.insert(out.end(), {0x1B, 0x69, 0x7A, 0x86, 0x0A, 62, 0, static_cast<uint8_t>(lines & 0xFF),
                               static_cast<uint8_t>((lines >> 8) & 0xFF), static_cast<uint8_t>((lines >> 16) & 0xFF),
                               static_cast<uint8_t>((lines >> 24) & 0xFF), static_cast<uint8_t>(pi == 0 ? 0 : 1), 0});
        out.insert(out.end(), {0x1B, 0x69, 0x4D, 0x40});
        out.insert(out.end(), {0x1B, 0x69, 0x41, 0x01});
        out.insert(out.end(), {0x1B, 0x69, 0x4B, static_cast<uint8_t>(opt.cut_at_end ? 0x08 : 0x00)});
        out.insert(out.end(), {0x1B, 0x69, 0x64, static_cast<uint8_t>(opt.feed_dots & 0xFF),
                               static_cast<uint8_t>((opt.feed_dots >> 8) & 0xFF)});
        out.insert(out.end(), {0x4D, static_cast<uint8_t>(opt.compress ? 0x02 : 0x00)});
        const int pad = (kQl62PrintablePins - bm.width) / 2;
        uint8_t line[kQlHeadPins / 8];
        for (int y = 0; y < bm.height; ++y) {
            std::fill(std::begin(line), std::end(line), 0);
            for (int x = 0; x < bm.width; ++x) {
                if (!bm.get(x, y)) continue;
                const int pin = kQl62RightOffsetPins + pad + x;
                const int k = kQlHeadPins - 1 - pin;  // bit index in the line, MSB of byte 0 first
                line[k >> 3] = static_cast<uint8_t>(line[k >> 3] | (0x80u >> (k & 7)));
            }
            out.insert(out.end(), {0x67, 0x00});
            if (opt.compress) {
                const auto packed = packbits_encode(line, sizeof line);
                out.push_back(static_cast<uint8_t>(packed.size()));
                out.insert(out.end(), packed.begin(), packed.end());
            } else {
                out.push_back(static_cast<uint8_t>(sizeof line));
                out.insert(out.end(), std::begin(line), std::end(line));
            }
        }
        out.push_back(pi + 1 == pages.size() ? 0x1A : 0x0C);
    }
    return out;
}

}  // namespace batchivo::printing
