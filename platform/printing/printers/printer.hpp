// Printers for spool labels, chosen by a spec string. Each backend is a pure encoder (Bitmap -> bytes, tested by
// decoding the bytes back) plus a transport (file, device node, TCP socket, CUPS).
//
// Contract
//   Result<PrinterSpec> parse_printer_spec(std::string_view spec)
//       cups:QUEUE                  CUPS queue on the default server ($CUPS_SERVER / client.conf); the label goes
//       cups:QUEUE@HOST[:PORT]      as a one-page PDF of the label's physical size (application/pdf).
//       brother-ql:PATH             Brother QL raster protocol written to a USB printer-class node (/dev/usb/lp0),
//                                   62 mm continuous tape, TIFF PackBits compression (append ?compression=none
//                                   for uncompressed raster lines). The bitmap must be at most 696 dots wide.
//       zpl:PATH                    Zebra ZPL II with the label as one ^GFA hex field, written to a device node;
//       zpl:tcp:HOST[:PORT]         or sent to the printer's raw port (default 9100).
//       png:DIR                     a 1-bit PNG with its resolution (pHYs) in DIR, named after the label.
//       pdf:FILE                    a PDF (cairo) with one page per label at its physical size, 1-bit image.
//     Errors: code "invalid_input" with a message naming the bad part and listing the accepted forms.
//   Result<PrintReceipt> print_label(const Bitmap&, const PrinterSpec&)
//   Result<PrintReceipt> print_labels(const std::vector<Bitmap>&, const PrinterSpec&)   (A4 sheets: several pages)
//       Encodes and sends. Device paths are opened write-only and never created (a typo must not leave a regular
//       file in /dev); PNG/PDF files are created. Errors: "invalid_input" (bitmap unsuitable for the backend, e.g.
//       too wide for the QL head), "io" (open/write failed, with errno text), "network" (TCP connect/send failed
//       or timed out), "printer" (CUPS refused the job, with CUPS's message).
//   The encoders below are the exact bytes the transports send; they are exposed for tests and previews.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "platform/printing/label/bitmap.hpp"
#include "sync/domain/result.hpp"

namespace batchivo::printing {

enum class PrinterKind { Cups, BrotherQl, ZplDevice, ZplTcp, PngDir, PdfFile };
std::string_view to_string(PrinterKind k);

struct PrinterSpec {
    PrinterKind kind = PrinterKind::PngDir;
    std::string target;  // CUPS queue, device/file path, directory, or "HOST:PORT" for zpl:tcp
    std::string host;    // zpl:tcp printer; cups: server after '@' (empty = libcups default, $CUPS_SERVER)
    int port = 0;        // zpl:tcp (default 9100); cups: 0 = the default IPP port
    bool compress = true;     // brother-ql: TIFF PackBits raster lines
    std::string spec;         // the original text
};

Result<PrinterSpec> parse_printer_spec(std::string_view spec);

struct PrintReceipt {
    std::string destination;  // file written, device, host:port, or "cups QUEUE job N"
    size_t bytes = 0;         // bytes sent / written
    int cups_job_id = 0;
};

Result<PrintReceipt> print_label(const Bitmap& label, const PrinterSpec& printer);
Result<PrintReceipt> print_labels(const std::vector<Bitmap>& labels, const PrinterSpec& printer);

// --- encoders ---
struct QlOptions {
    bool compress = true;   // TIFF PackBits ("M 02") instead of raw 90-byte lines
    bool cut_at_end = true;
    int feed_dots = 35;     // "ESC i d": 3 mm margin on continuous tape
};
inline constexpr int kQlHeadPins = 720;       // 90 bytes per raster line
inline constexpr int kQl62PrintablePins = 696;
inline constexpr int kQl62RightOffsetPins = 12;  // unprinted pins between pin 0 and the 62 mm print area
// One print job for 62 mm continuous tape (one page per bitmap). "invalid_input" if a bitmap is wider than 696
// dots or longer than the printer's 1 m maximum.
Result<std::vector<uint8_t>> encode_brother_ql(const std::vector<Bitmap>& pages, const QlOptions& opt = {});
// ^XA ... ^GFA,total,total,row,HEX ^FS ^XZ, one label format per bitmap.
std::string encode_zpl(const std::vector<Bitmap>& pages);
Result<std::vector<uint8_t>> encode_png(const Bitmap& bm);  // 1-bit grayscale, pHYs = dpi
Result<std::vector<uint8_t>> encode_pdf(const std::vector<Bitmap>& pages);

// TIFF PackBits (Apple's run-length scheme, as the QL "M 02" mode uses it).
std::vector<uint8_t> packbits_encode(const uint8_t* data, size_t n);

}  // namespace batchivo::printing
