// Round trips: every label size through every backend's bytes, decoded back to a bitmap by an independent path
// (QL raster parser, ZPL ^GF parser, poppler for PDF, stb_image for PNG), compared with what was rendered,
// scanned with the project's decoder (platform/decode) and resolved with platform::parse_label to the spool.
// Device backends write into a regular file and into a FIFO read by a thread; zpl:tcp goes to a loopback
// listener. (CUPS: cups_tests.cpp.)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>
#include <stb_image.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstring>
#include <iostream>
#include <memory>
#include <thread>

#include "platform/printing/printers/printer.hpp"
#include "file_decoders.hpp"
#include "printing_test_util.hpp"

using namespace batchivo;
using namespace batchivo::printing;
using namespace batchivo::printing::test;

namespace {

// Reads a FIFO to EOF on a thread (the backend's open() blocks until this reader is there).
struct FifoReader {
    std::string path;
    std::vector<uint8_t> data;
    std::thread th;
    explicit FifoReader(std::string p) : path(std::move(p)) {
        REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
        th = std::thread([this] {
            const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0) return;
            uint8_t buf[65536];
            ssize_t n;
            while ((n = ::read(fd, buf, sizeof buf)) > 0) data.insert(data.end(), buf, buf + n);
            ::close(fd);
        });
    }
    std::vector<uint8_t> finish() {
        th.join();
        return data;
    }
};

// One connection on 127.0.0.1:<ephemeral>, read to EOF.
struct TcpListener {
    int fd = -1;
    int port = 0;
    std::vector<uint8_t> data;
    std::thread th;
    TcpListener() {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd >= 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        socklen_t len = sizeof a;
        REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
        port = ntohs(a.sin_port);
        REQUIRE(::listen(fd, 1) == 0);
        th = std::thread([this] {
            const int c = ::accept(fd, nullptr, nullptr);
            if (c < 0) return;
            uint8_t buf[65536];
            ssize_t n;
            while ((n = ::recv(c, buf, sizeof buf, 0)) > 0) data.insert(data.end(), buf, buf + n);
            ::close(c);
        });
    }
    std::vector<uint8_t> finish() {
        th.join();
        ::close(fd);
        return data;
    }
};

int differing(const Bitmap& a, const Bitmap& b, int bx = 0) {
    int n = 0;
    for (int y = 0; y < a.height; ++y)
        for (int x = 0; x < a.width; ++x)
            if (a.get(x, y) != b.get(bx + x, y)) ++n;
    return n;
}
int ink(const Bitmap& a) {
    int n = 0;
    for (int y = 0; y < a.height; ++y)
        for (int x = 0; x < a.width; ++x) n += a.get(x, y);
    return n;
}

// Scans the decoded bitmap where the label is (the first sheet cell for A4) and checks the spool comes back.
void check_scans(const Bitmap& decoded, LabelSize size, const Spool& s) {
    const auto c = size == LabelSize::A4Sheet3x8 ? sheet_cell(0, decoded.dpi)
                                                 : SheetCell{0, 0, decoded.width, decoded.height};
    auto text = scan(decoded, c.x, c.y, c.width, c.height);
    REQUIRE(text);
    CHECK(*text == label_payload(s));
    CHECK(resolves_to(*text, s));
}

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("round trip: Brother QL raster (file and FIFO, compressed and raw) for every size that fits the tape") {
    const Spool s = sample_spool();
    TempDir tmp;
    for (LabelSize size : kAllLabelSizes) {
        CAPTURE(info(size).name);
        auto bm = render_label(from_spool(s), size);
        REQUIRE(bm);
        for (bool fifo : {false, true}) {
            CAPTURE(fifo);
            const std::string dev = tmp / (std::string(fifo ? "fifo-" : "file-") + std::string(info(size).name));
            std::unique_ptr<FifoReader> reader;
            if (fifo) reader = std::make_unique<FifoReader>(dev);
            else std::ofstream(dev).put('x');  // a stale byte: the backend truncates a regular file
            // The FIFO run uses uncompressed lines, the file run TIFF PackBits.
            auto spec = parse_printer_spec("brother-ql:" + dev + (fifo ? "?compression=none" : ""));
            REQUIRE(spec);
            auto r = print_label(*bm, *spec);
            if (size == LabelSize::A4Sheet3x8) {  // 2480 dots cannot go on 62 mm tape: refused before opening
                REQUIRE_FALSE(r);
                CHECK(r.error().code == "invalid_input");
                CHECK(r.error().message.find("696") != std::string::npos);
                if (reader) {  // release the reader thread
                    const int fd = ::open(dev.c_str(), O_WRONLY);
                    ::close(fd);
                    reader->finish();
                }
                continue;
            }
            REQUIRE(r);
            const auto bytes = fifo ? reader->finish() : read_bytes(dev);
            CHECK(r->bytes == bytes.size());
            const QlJob job = decode_ql(bytes);
            CHECK(job.invalidate_bytes == 400);
            CHECK(job.initialised);
            CHECK(job.printed_with_feed);
            CHECK(job.feed_dots == 35);
            REQUIRE(job.pages.size() == 1);
            CHECK(job.media_kind == std::vector<int>{0x0A});      // continuous tape
            CHECK(job.media_width_mm == std::vector<int>{62});
            CHECK(job.declared_lines == std::vector<uint32_t>{uint32_t(bm->height)});
            const Bitmap& page = job.pages[0];
            CHECK(page.height == bm->height);
            const int pad = (696 - bm->width) / 2;
            CHECK(differing(*bm, page, pad) == 0);  // exact, and nothing outside the label
            CHECK(ink(page) == ink(*bm));
            check_scans(page, size, s);
        }
    }
}

TEST_CASE("round trip: ZPL ^GFA to a device file, a FIFO and a TCP listener, every size") {
    const Spool s = sample_spool();
    TempDir tmp;
    for (LabelSize size : kAllLabelSizes) {
        CAPTURE(info(size).name);
        auto bm = render_label(from_spool(s), size);
        REQUIRE(bm);
        for (int how = 0; how < 3; ++how) {
            CAPTURE(how);
            std::vector<uint8_t> bytes;
            Result<PrintReceipt> r = Error{"", ""};
            if (how == 0) {
                const std::string dev = tmp / ("zpl-" + std::string(info(size).name));
                std::ofstream(dev).put('x');
                r = print_label(*bm, *parse_printer_spec("zpl:" + dev));
                bytes = read_bytes(dev);
            } else if (how == 1) {
                FifoReader reader(tmp / ("zplfifo-" + std::string(info(size).name)));
                r = print_label(*bm, *parse_printer_spec("zpl:" + reader.path));
                bytes = reader.finish();
            } else {
                TcpListener l;
                r = print_label(*bm, *parse_printer_spec("zpl:tcp:127.0.0.1:" + std::to_string(l.port)));
                bytes = l.finish();
            }
            REQUIRE(r);
            CHECK(r->bytes == bytes.size());
            const std::string z(bytes.begin(), bytes.end());
            CHECK(z.rfind("^XA", 0) == 0);
            CHECK(z.find("^PW" + std::to_string(bm->width)) != std::string::npos);
            CHECK(z.find("^LL" + std::to_string(bm->height)) != std::string::npos);
            auto pages = decode_zpl(z, bm->dpi);
            REQUIRE(pages.size() == 1);
            CHECK(pages[0] == *bm);
            check_scans(pages[0], size, s);
        }
    }
}

TEST_CASE("round trip: PNG directory, every size, 1-bit with its resolution") {
    const Spool s = sample_spool();
    TempDir tmp;
    const std::string dir = tmp / "labels";  // created by the backend
    for (LabelSize size : kAllLabelSizes) {
        CAPTURE(info(size).name);
        auto bm = render_label(from_spool(s), size);
        REQUIRE(bm);
        auto r = print_label(*bm, *parse_printer_spec("png:" + dir));
        REQUIRE(r);
        CHECK(r->destination.find("PLA-BLK-003") != std::string::npos);
        const auto png = read_bytes(r->destination);
        CHECK(png[24] == 1);  // IHDR bit depth
        CHECK(png[25] == 0);  // grayscale
        int dpi = 0;
        auto pages = decode_png(png, &dpi);
        CHECK(dpi == bm->dpi);
        CHECK(pages[0] == *bm);
        check_scans(pages[0], size, s);
    }
    // Four labels with the same name: four files, none overwritten.
    CHECK(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator{}) == 4);
}

TEST_CASE("round trip: PDF through poppler, every size, at the label's physical size") {
    const Spool s = sample_spool();
    TempDir tmp;
    for (LabelSize size : kAllLabelSizes) {
        CAPTURE(info(size).name);
        auto bm = render_label(from_spool(s), size);
        REQUIRE(bm);
        const std::string file = tmp / ("label-" + std::string(info(size).name) + ".pdf");
        auto r = print_label(*bm, *parse_printer_spec("pdf:" + file));
        REQUIRE(r);
        CHECK_FALSE(std::filesystem::exists(file + ".part"));
        const auto pdf = read_bytes(file);
        CHECK(pdf.size() == r->bytes);
        auto pages = decode_pdf(pdf, bm->dpi);
        REQUIRE(pages.size() == 1);
        CHECK(std::abs(pages[0].width_mm - bm->width_mm()) < 0.1);
        CHECK(std::abs(pages[0].height_mm - bm->height_mm()) < 0.1);
        if (size == LabelSize::A4Sheet3x8) {
            CHECK(std::abs(pages[0].width_mm - 210) < 0.2);
            CHECK(std::abs(pages[0].height_mm - 297) < 0.2);
        }
        REQUIRE(pages[0].bm.width == bm->width);
        REQUIRE(pages[0].bm.height == bm->height);
        const int diff = differing(*bm, pages[0].bm);
        CAPTURE(diff, ink(*bm));
        CHECK(diff == 0);  // rasterised back at the same dpi, without antialiasing: dot for dot
        check_scans(pages[0].bm, size, s);
    }
}

TEST_CASE("round trip: a two-page A4 sheet as one PDF, every cell scans to its spool") {
    TempDir tmp;
    std::vector<Spool> spools;
    std::vector<LabelData> data;
    for (int i = 0; i < 25; ++i) {
        Spool s = sample_spool();
        char buf[64];
        std::snprintf(buf, sizeof buf, "0192f3a4-5b6c-7d8e-9f01-%012d", i);
        s.id = buf;
        std::snprintf(buf, sizeof buf, "PLA-RED-%03d", i);
        s.spool_id = buf;
        spools.push_back(s);
        data.push_back(from_spool(s));
    }
    auto sheets = render_sheet(data);
    REQUIRE(sheets);
    REQUIRE(sheets->size() == 2);
    auto r = print_labels(*sheets, *parse_printer_spec("pdf:" + tmp / "sheet.pdf"));
    REQUIRE(r);
    auto pages = decode_pdf(read_bytes(tmp / "sheet.pdf"), 300);
    REQUIRE(pages.size() == 2);
    for (int i = 0; i < 25; ++i) {
        CAPTURE(i);
        const auto c = sheet_cell(i % 24, 300);
        auto text = scan(pages[size_t(i / 24)].bm, c.x, c.y, c.width, c.height);
        REQUIRE(text);
        CHECK(resolves_to(*text, spools[size_t(i)]));
    }
}

TEST_CASE("round trip: encode time per label and backend") {
    // Mean of 5 runs each (the machine is shared, single runs are noisy). Printed for the record; the bound only
    // catches pathological regressions.
    const LabelData d = from_spool(sample_spool());
    auto mean_ms = [](auto&& fn) {
        constexpr int kRuns = 5;
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < kRuns; ++i) fn();
        return ms_since(t0) / kRuns;
    };
    for (LabelSize size : kAllLabelSizes) {
        auto bm = render_label(d, size);
        REQUIRE(bm);
        const std::vector<Bitmap> one{*bm};
        size_t ql = 0, zpl = 0, png = 0, pdf = 0;
        const double t_render = mean_ms([&] { REQUIRE(render_label(d, size)); });
        const double t_ql = bm->width <= 696 ? mean_ms([&] { ql = encode_brother_ql(one)->size(); }) : 0;
        const double t_zpl = mean_ms([&] { zpl = encode_zpl(one).size(); });
        const double t_png = mean_ms([&] { png = encode_png(*bm)->size(); });
        const double t_pdf = mean_ms([&] { pdf = encode_pdf(one)->size(); });
        std::cout << "size " << info(size).name << " (" << bm->width << "x" << bm->height << " @" << bm->dpi
                  << " dpi): render " << t_render << " ms; encode ql " << t_ql << " ms/" << ql << " B, zpl " << t_zpl
                  << " ms/" << zpl << " B, png " << t_png << " ms/" << png << " B, pdf " << t_pdf << " ms/" << pdf
                  << " B\n";
        CHECK(t_render + t_ql + t_zpl + t_png + t_pdf < 5000);
    }
}

TEST_CASE("round trip: several labels in one QL job and one ZPL stream come back in order") {
    Spool a = sample_spool(), b = long_names_spool();
    auto la = render_label(from_spool(a), LabelSize::Ql62);
    auto lb = render_label(from_spool(b), LabelSize::Ql62);
    REQUIRE(la);
    REQUIRE(lb);
    TempDir tmp;
    const std::string dev = tmp / "lp0";
    std::ofstream(dev).put('x');
    REQUIRE(print_labels({*la, *lb}, *parse_printer_spec("brother-ql:" + dev)));
    const QlJob job = decode_ql(read_bytes(dev));
    REQUIRE(job.pages.size() == 2);
    CHECK(job.declared_lines == std::vector<uint32_t>{uint32_t(la->height), uint32_t(lb->height)});
    CHECK(job.pages[0] == *la);
    CHECK(job.pages[1] == *lb);
    CHECK(job.printed_with_feed);
    CHECK(resolves_to(scan(job.pages[0]).value_or(""), a));
    CHECK(resolves_to(scan(job.pages[1]).value_or(""), b));

    auto za = render_label(from_spool(a), LabelSize::Thermal50x30);
    auto zb = render_label(from_spool(b), LabelSize::Thermal50x30);
    REQUIRE(za);
    REQUIRE(zb);
    TcpListener l;
    REQUIRE(print_labels({*za, *zb}, *parse_printer_spec("zpl:tcp:localhost:" + std::to_string(l.port))));
    const auto bytes = l.finish();
    auto pages = decode_zpl(std::string(bytes.begin(), bytes.end()), 203);
    REQUIRE(pages.size() == 2);
    CHECK(pages[0] == *za);
    CHECK(pages[1] == *zb);
}
