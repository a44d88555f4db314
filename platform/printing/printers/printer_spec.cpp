#include <cctype>
#include <charconv>

#include "platform/printing/printers/printer.hpp"

namespace batchivo::printing {

namespace {

constexpr std::string_view kForms =
    "expected cups:QUEUE[@HOST[:PORT]], brother-ql:/dev/usb/lpN[?compression=none|tiff], zpl:/dev/usb/lpN, "
    "zpl:tcp:HOST[:PORT], png:DIR or pdf:FILE";

Error bad(std::string_view spec, const std::string& why) {
    return Error{"invalid_input", "printer '" + std::string(spec) + "': " + why + " (" + std::string(kForms) + ")"};
}

// "HOST[:PORT]" or "[v6]:PORT"; port 0 when absent.
bool split_host_port(std::string_view s, std::string& host, int& port, std::string& why) {
    port = 0;
    std::string_view h = s, p;
    if (!s.empty() && s.front() == '[') {
        const auto close = s.find(']');
        if (close == std::string_view::npos) { why = "unterminated [IPv6] host"; return false; }
        h = s.substr(1, close - 1);
        std::string_view rest = s.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') { why = "unexpected text after ]"; return false; }
            p = rest.substr(1);
            if (p.empty()) { why = "empty port"; return false; }
        }
    } else if (const auto colon = s.rfind(':'); colon != std::string_view::npos) {
        h = s.substr(0, colon);
        p = s.substr(colon + 1);
        if (p.empty()) { why = "empty port"; return false; }
    }
    if (h.empty()) { why = "missing host"; return false; }
    for (char c : h)
        if (std::isspace(static_cast<unsigned char>(c)) || c == '/' || c == '@') {
            why = "invalid host '" + std::string(h) + "'";
            return false;
        }
    if (!p.empty()) {
        int v = 0;
        auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
        if (ec != std::errc() || ptr != p.data() + p.size() || v < 1 || v > 65535) {
            why = "invalid port '" + std::string(p) + "' (1..65535)";
            return false;
        }
        port = v;
    }
    host = std::string(h);
    return true;
}

}  // namespace

std::string_view to_string(PrinterKind k) {
    switch (k) {
        case PrinterKind::Cups: return "cups";
        case PrinterKind::BrotherQl: return "brother-ql";
        case PrinterKind::ZplDevice: return "zpl";
        case PrinterKind::ZplTcp: return "zpl-tcp";
        case PrinterKind::PngDir: return "png";
        case PrinterKind::PdfFile: return "pdf";
    }
    return "?";
}

Result<PrinterSpec> parse_printer_spec(std::string_view spec) {
    PrinterSpec out;
    out.spec = std::string(spec);
    const auto colon = spec.find(':');
    if (spec.empty()) return bad(spec, "empty printer spec");
    if (colon == std::string_view::npos) return bad(spec, "missing ':' after the printer type");
    std::string scheme;
    for (char c : spec.substr(0, colon)) scheme += char(std::tolower(static_cast<unsigned char>(c)));
    std::string_view rest = spec.substr(colon + 1);
    for (char c : rest)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return bad(spec, "control character in the spec");
    if (rest.empty()) return bad(spec, "nothing after '" + scheme + ":'");

    if (scheme == "cups") {
        out.kind = PrinterKind::Cups;
        std::string_view queue = rest;
        if (const auto at = rest.find('@'); at != std::string_view::npos) {
            queue = rest.substr(0, at);
            std::string why;
            if (!split_host_port(rest.substr(at + 1), out.host, out.port, why)) return bad(spec, "CUPS server: " + why);
        }
        if (queue.empty()) return bad(spec, "missing CUPS queue name");
        for (char c : queue)
            if (c == ' ' || c == '/' || c == '#' || c == '\\' || c == '\'' || c == '"' || c == '\t')
                return bad(spec, "CUPS queue names cannot contain spaces, '/', '#', '\\' or quotes");
        out.target = std::string(queue);
        return out;
    }
    if (scheme == "brother-ql" || scheme == "brother_ql" || scheme == "ql") {
        out.kind = PrinterKind::BrotherQl;
        std::string_view path = rest;
        if (const auto q = rest.find('?'); q != std::string_view::npos) {
            path = rest.substr(0, q);
            const std::string_view opt = rest.substr(q + 1);
            if (opt == "compression=none") out.compress = false;
            else if (opt == "compression=tiff") out.compress = true;
            else return bad(spec, "unknown option '" + std::string(opt) + "' (compression=none|tiff)");
        }
        if (path.empty() || path.front() != '/') return bad(spec, "the device must be an absolute path like /dev/usb/lp0");
        out.target = std::string(path);
        return out;
    }
    if (scheme == "zpl") {
        if (rest.substr(0, 4) == "tcp:") {
            out.kind = PrinterKind::ZplTcp;
            std::string why;
            if (!split_host_port(rest.substr(4), out.host, out.port, why)) return bad(spec, why);
            if (out.port == 0) out.port = 9100;
            out.target = (out.host.find(':') != std::string::npos ? "[" + out.host + "]" : out.host) + ":" +
                         std::to_string(out.port);
            return out;
        }
        out.kind = PrinterKind::ZplDevice;
        if (rest.front() != '/') return bad(spec, "the device must be an absolute path like /dev/usb/lp0, or tcp:HOST");
        out.target = std::string(rest);
        return out;
    }
    if (scheme == "png") {
        out.kind = PrinterKind::PngDir;
        out.target = std::string(rest);
        return out;
    }
    if (scheme == "pdf") {
        out.kind = PrinterKind::PdfFile;
        if (rest.back() == '/') return bad(spec, "pdf: needs a file name, not a directory");
        out.target = std::string(rest);
        return out;
    }
    return bad(spec, "unknown printer type '" + scheme + "'");
}

}  // namespace batchivo::printing
