// Printer spec strings: every accepted form, and clear errors for the rest.
#include <catch2/catch.hpp>

#include "platform/printing/printers/printer.hpp"
#include "printing_test_util.hpp"

using namespace batchivo::printing;

TEST_CASE("printer spec: accepted forms") {
    auto c = parse_printer_spec("cups:Brother_QL-800");
    REQUIRE(c);
    CHECK(c->kind == PrinterKind::Cups);
    CHECK(c->target == "Brother_QL-800");
    CHECK(c->host.empty());
    c = parse_printer_spec("cups:labels@127.0.0.1:8631");
    REQUIRE(c);
    CHECK(c->target == "labels");
    CHECK(c->host == "127.0.0.1");
    CHECK(c->port == 8631);
    c = parse_printer_spec("cups:labels@[::1]");
    REQUIRE(c);
    CHECK(c->host == "::1");
    CHECK(c->port == 0);  // libcups' default IPP port

    auto q = parse_printer_spec("brother-ql:/dev/usb/lp0");
    REQUIRE(q);
    CHECK(q->kind == PrinterKind::BrotherQl);
    CHECK(q->target == "/dev/usb/lp0");
    CHECK(q->compress);
    q = parse_printer_spec("brother-ql:/dev/usb/lp1?compression=none");
    REQUIRE(q);
    CHECK(q->target == "/dev/usb/lp1");
    CHECK_FALSE(q->compress);

    auto z = parse_printer_spec("zpl:/dev/usb/lp2");
    REQUIRE(z);
    CHECK(z->kind == PrinterKind::ZplDevice);
    CHECK(z->target == "/dev/usb/lp2");
    z = parse_printer_spec("zpl:tcp:zebra.local:9100");
    REQUIRE(z);
    CHECK(z->kind == PrinterKind::ZplTcp);
    CHECK(z->host == "zebra.local");
    CHECK(z->port == 9100);
    CHECK(z->target == "zebra.local:9100");
    z = parse_printer_spec("ZPL:tcp:10.0.0.7");
    REQUIRE(z);
    CHECK(z->port == 9100);  // default raw port
    z = parse_printer_spec("zpl:tcp:[::1]:6101");
    REQUIRE(z);
    CHECK(z->host == "::1");
    CHECK(z->port == 6101);
    CHECK(z->target == "[::1]:6101");

    auto p = parse_printer_spec("png:/var/lib/batchivo/labels");
    REQUIRE(p);
    CHECK(p->kind == PrinterKind::PngDir);
    CHECK(p->target == "/var/lib/batchivo/labels");
    auto f = parse_printer_spec("pdf:out/sheet.pdf");
    REQUIRE(f);
    CHECK(f->kind == PrinterKind::PdfFile);
    CHECK(f->target == "out/sheet.pdf");
    CHECK(f->spec == "pdf:out/sheet.pdf");
}

TEST_CASE("printer spec: errors name the problem and list the accepted forms") {
    struct Bad {
        const char* spec;
        const char* says;
    };
    for (auto b : {Bad{"", "empty"}, Bad{"lp0", "missing ':'"}, Bad{"laser:/dev/usb/lp0", "unknown printer type 'laser'"},
                   Bad{"cups:", "nothing after"}, Bad{"cups:my queue", "cannot contain"},
                   Bad{"cups:q@", "missing host"}, Bad{"brother-ql:lp0", "absolute path"},
                   Bad{"brother-ql:/dev/usb/lp0?speed=fast", "unknown option"}, Bad{"zpl:tcp:", "missing host"},
                   Bad{"zpl:tcp:host:99999", "invalid port"}, Bad{"zpl:tcp:host:", "empty port"},
                   Bad{"zpl:usb/lp0", "absolute path"}, Bad{"pdf:dir/", "file name"},
                   Bad{"png:/tmp/a\nb", "control character"}}) {
        CAPTURE(b.spec);
        auto r = parse_printer_spec(b.spec);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "invalid_input");
        CHECK(r.error().message.find(b.says) != std::string::npos);
        CHECK(r.error().message.find("brother-ql:/dev/usb/lpN") != std::string::npos);
    }
}

TEST_CASE("printer transports: missing devices and refused connections fail clearly") {
    batchivo::printing::test::TempDir tmp;
    Bitmap bm(100, 50, 203);
    bm.fill_rect(10, 10, 20, 20);
    auto spec = parse_printer_spec("brother-ql:" + tmp / "no-such-lp0");
    REQUIRE(spec);
    auto r = print_label(bm, *spec);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "io");
    CHECK(r.error().message.find("No such file") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(tmp / "no-such-lp0"));  // a device path is never created

    // A port nobody listens on: bind one, close it, connect.
    spec = parse_printer_spec("zpl:tcp:127.0.0.1:1");
    REQUIRE(spec);
    r = print_label(bm, *spec);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "network");

    spec = parse_printer_spec("pdf:" + tmp / "missing-dir/x.pdf");
    REQUIRE(spec);
    r = print_label(bm, *spec);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "io");
}

TEST_CASE("packbits: runs and literals, within the 90-byte raster line") {
    const uint8_t zeros[90] = {};
    auto p = packbits_encode(zeros, 90);
    CHECK(p == std::vector<uint8_t>{uint8_t(257 - 90), 0});
    uint8_t mixed[90];
    for (int i = 0; i < 90; ++i) mixed[i] = uint8_t(i < 30 ? i : (i < 60 ? 0xFF : i * 7));
    auto m = packbits_encode(mixed, 90);
    CHECK(batchivo::printing::test::packbits_decode(m.data(), m.size()) == std::vector<uint8_t>(mixed, mixed + 90));
    CHECK(m.size() < 90);
}

TEST_CASE("printer spec: arbitrary bytes never crash the parser, and every success is well-formed") {
    uint32_t seed = 12345;
    auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
    const char* prefixes[] = {"", "cups:", "brother-ql:/", "zpl:", "zpl:tcp:", "png:", "pdf:", "cups:q@"};
    const std::string alphabet = "abc:/@?=[]0123456789.-_ \t\x01\xff";
    for (int i = 0; i < 20000; ++i) {
        std::string s = prefixes[next() % 8];
        const int n = int(next() % 24);
        for (int k = 0; k < n; ++k) s += alphabet[next() % alphabet.size()];
        auto r = parse_printer_spec(s);
        if (!r) {
            CHECK(r.error().code == "invalid_input");
            continue;
        }
        CHECK(r->spec == s);
        if (r->kind == PrinterKind::ZplTcp) CHECK((r->port >= 1 && r->port <= 65535 && !r->host.empty()));
        if (r->kind != PrinterKind::ZplTcp) CHECK_FALSE(r->target.empty());
    }
}
