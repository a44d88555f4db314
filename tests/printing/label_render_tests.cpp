// The renderer alone: sizes, QR geometry, text fitting, payloads, sheets, errors.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <iostream>
#include <thread>

#include "printing_test_util.hpp"

using namespace batchivo;
using namespace batchivo::printing;
using namespace batchivo::printing::test;

namespace {
struct Expect {
    LabelSize size;
    int w, h;
};
const Expect kExpected[] = {
    {LabelSize::Ql62, 696, 413},           // 62 mm tape, 35 mm long at 300 dpi
    {LabelSize::Thermal50x30, 400, 240},   // 203 dpi
    {LabelSize::Thermal40x30, 320, 240},
    {LabelSize::A4Sheet3x8, 2480, 3508},  // the page
};
int mm(double v, int dpi) { return int(std::lround(v * dpi / 25.4)); }
}  // namespace

TEST_CASE("labels: every size renders at its printer's resolution with a scannable, well-formed QR code") {
    const Spool s = sample_spool();
    for (const auto& e : kExpected) {
        CAPTURE(info(e.size).name);
        LabelLayout lay;
        auto bm = render_label(from_spool(s), e.size, 0, &lay);
        REQUIRE(bm);
        CHECK(bm->width == e.w);
        CHECK(bm->height == e.h);
        CHECK(bm->dpi == info(e.size).native_dpi);
        CHECK(bm->name == "PLA-BLK-003");
        // QR: modules of at least 3 dots, a quiet zone of at least 2 modules (4 where the size allows), blank.
        CHECK(lay.qr_module_px >= 3);
        CHECK(lay.qr_quiet_modules >= 2);
        if (e.size != LabelSize::Thermal40x30) CHECK(lay.qr_quiet_modules == 4);
        const int side = lay.qr_modules * lay.qr_module_px, q = lay.qr_quiet_modules * lay.qr_module_px;
        // The layout is relative to the label; on an A4 page the label is cell 0.
        const auto cell0 = sheet_cell(0, bm->dpi);
        const int ox = e.size == LabelSize::A4Sheet3x8 ? cell0.x : 0, oy = e.size == LabelSize::A4Sheet3x8 ? cell0.y : 0;
        int ink_in_quiet = 0;
        for (int y = lay.qr_y - q; y < lay.qr_y + side + q; ++y)
            for (int x = lay.qr_x - q; x < lay.qr_x + side + q; ++x) {
                const bool inside = x >= lay.qr_x && x < lay.qr_x + side && y >= lay.qr_y && y < lay.qr_y + side;
                if (!inside && y >= 0 && x >= 0 && y < lay.height && x < lay.width && bm->get(ox + x, oy + y))
                    ++ink_in_quiet;
            }
        CHECK(ink_in_quiet == 0);
        CHECK(lay.qr_x - q >= 0);
        CHECK(lay.qr_y - q >= 0);
        // Text: the id, "material · brand · color" (one or two lines) and "1000 g · date", all legible
        // (>= 1.7 mm glyph height) and inside the label, right of the QR's quiet zone, none shortened.
        REQUIRE(lay.lines.size() >= 3);
        CHECK(lay.lines[0].text == "PLA-BLK-003");
        CHECK(lay.lines[0].bold);
        CHECK(lay.lines.back().text == "1000 g \xC2\xB7 2026-11-20");
        std::string all;
        for (const auto& l : lay.lines) {
            CAPTURE(l.text);
            all += l.text + "|";
            CHECK_FALSE(l.shortened);
            CHECK(l.pixel_height >= std::max(9, mm(1.7, bm->dpi)));
            CHECK(l.x >= lay.qr_x + side + q);
            CHECK(l.x + l.width <= lay.width);
            CHECK(l.y >= 0);
            CHECK(l.y + l.height <= lay.height);
        }
        CHECK((all.find("PLA \xC2\xB7 Bambu Lab \xC2\xB7 Black") != std::string::npos ||
               all.find("PLA \xC2\xB7 Bambu Lab|Black|") != std::string::npos));
        CHECK(lay.lines[0].pixel_height > lay.lines.back().pixel_height);  // the id is the large one
        // The QR reads back (the label alone, without any backend) and resolves to the spool.
        const auto c = e.size == LabelSize::A4Sheet3x8 ? sheet_cell(0, 300) : SheetCell{0, 0, bm->width, bm->height};
        auto text = scan(*bm, c.x, c.y, c.width, c.height);
        REQUIRE(text);
        CHECK(*text == "batchivo://spool/0192f3a4-5b6c-7d8e-9f01-23456789abcd");
        CHECK(resolves_to(*text, s));
    }
}

TEST_CASE("labels: ink stays inside the QR symbol and the text boxes") {
    for (const auto& e : kExpected) {
        if (e.size == LabelSize::A4Sheet3x8) continue;  // same cell code, checked on its own sizes
        CAPTURE(info(e.size).name);
        LabelLayout lay;
        auto bm = render_label(from_spool(long_names_spool()), e.size, 0, &lay);
        REQUIRE(bm);
        const int side = lay.qr_modules * lay.qr_module_px;
        int stray = 0;
        for (int y = 0; y < bm->height; ++y)
            for (int x = 0; x < bm->width; ++x) {
                if (!bm->get(x, y)) continue;
                bool ok = x >= lay.qr_x && x < lay.qr_x + side && y >= lay.qr_y && y < lay.qr_y + side;
                for (const auto& l : lay.lines)  // 2 dots of slack for antialiasing edges and accents
                    ok = ok || (x >= l.x - 2 && x < l.x + l.width + 2 && y >= l.y - 2 && y < l.y + l.height + 2);
                if (!ok) ++stray;
            }
        CHECK(stray == 0);
    }
}

TEST_CASE("labels: long names shrink, then are ellipsized, and never leave the label") {
    const Spool s = long_names_spool();
    for (const auto& e : kExpected) {
        CAPTURE(info(e.size).name);
        LabelLayout lay;
        auto bm = render_label(from_spool(s), e.size, 0, &lay);
        REQUIRE(bm);
        bool any_shortened = false;
        for (const auto& l : lay.lines) {
            CAPTURE(l.text);
            CHECK(l.x + l.width <= lay.width - 1);
            CHECK(l.pixel_height >= std::max(9, mm(1.7, lay.dpi)));
            if (l.shortened) {
                any_shortened = true;
                CHECK(l.text.size() >= 3);
                CHECK(l.text.substr(l.text.size() - 3) == "\xE2\x80\xA6");  // …
            }
        }
        CHECK(any_shortened);
        const auto c = e.size == LabelSize::A4Sheet3x8 ? sheet_cell(0, 300) : SheetCell{0, 0, bm->width, bm->height};
        auto text = scan(*bm, c.x, c.y, c.width, c.height);
        REQUIRE(text);
        CHECK(resolves_to(*text, s));
    }
}

TEST_CASE("labels: payload is the spool UUID URI, else the stored QR text, else the spool id") {
    Spool s = sample_spool();
    CHECK(label_payload(s) == "batchivo://spool/0192f3a4-5b6c-7d8e-9f01-23456789abcd");
    CHECK(resolves_to(label_payload(s), s));
    s.id.clear();
    s.qr_code_data = "batchivo:spool:FIL-001";
    CHECK(label_payload(s) == "batchivo:spool:FIL-001");
    CHECK(resolves_to(label_payload(s), s));
    s.qr_code_data.clear();
    CHECK(label_payload(s) == "PLA-BLK-003");
    CHECK(resolves_to(label_payload(s), s));

    const LabelData d = from_spool(sample_spool());
    CHECK(d.spool_id == "PLA-BLK-003");
    CHECK(d.material == "PLA");
    CHECK(d.brand == "Bambu Lab");
    CHECK(d.color == "Black");
    CHECK(d.initial_weight_g == 1000);
    CHECK(d.date == "2026-11-20");
    Spool nodate = sample_spool();
    nodate.purchase_date.clear();
    CHECK(from_spool(nodate).date == "2026-11-27");  // created_at's date
}

TEST_CASE("labels: a spool without a human id yet still gets a label that resolves") {
    Spool s = sample_spool();
    s.spool_id.clear();  // central assigns it later
    LabelLayout lay;
    auto bm = render_label(from_spool(s), LabelSize::Thermal40x30, 0, &lay);
    REQUIRE(bm);
    CHECK(bm->name == "label");
    auto text = scan(*bm);
    REQUIRE(text);
    CHECK(resolves_to(*text, s));
}

TEST_CASE("labels: the dpi parameter scales the label to another printer resolution") {
    LabelLayout lay;
    auto bm = render_label(from_spool(sample_spool()), LabelSize::Thermal50x30, 300, &lay);
    REQUIRE(bm);
    CHECK(bm->width == 591);  // 50 mm at 300 dpi
    CHECK(bm->height == 354);
    CHECK(lay.qr_module_px >= 6);
    auto bm2 = render_label(from_spool(sample_spool()), LabelSize::Ql62, 600);
    REQUIRE(bm2);
    CHECK(bm2->width == 1392);  // the 696-dot print area at 600 dpi
    auto text = scan(*bm);
    REQUIRE(text);
    CHECK(resolves_to(*text, sample_spool()));
}

TEST_CASE("labels: A4 sheets hold 24 labels, fill from a chosen cell, and every cell scans to its spool") {
    std::vector<Spool> spools;
    std::vector<LabelData> data;
    for (int i = 0; i < 26; ++i) {
        Spool s = sample_spool();
        char buf[64];
        std::snprintf(buf, sizeof buf, "0192f3a4-5b6c-7d8e-9f01-%012d", i);
        s.id = buf;
        std::snprintf(buf, sizeof buf, "PLA-BLK-%03d", i);
        s.spool_id = buf;
        spools.push_back(s);
        data.push_back(from_spool(s));
    }
    auto pages = render_sheet(data, 0, 2);  // cells 0 and 1 already used: 22 on page 1, 4 on page 2
    REQUIRE(pages);
    REQUIRE(pages->size() == 2);
    CHECK((*pages)[0].width == 2480);
    CHECK((*pages)[0].height == 3508);
    // Used cells stay blank.
    for (int cell : {0, 1}) {
        const auto c = sheet_cell(cell, 300);
        CHECK_FALSE(scan((*pages)[0], c.x, c.y, c.width, c.height));
    }
    for (auto [page, cell, idx] : {std::tuple{0, 2, 0}, {0, 13, 11}, {0, 23, 21}, {1, 0, 22}, {1, 3, 25}}) {
        CAPTURE(page, cell);
        const auto c = sheet_cell(cell, 300);
        auto text = scan((*pages)[size_t(page)], c.x, c.y, c.width, c.height);
        REQUIRE(text);
        CHECK(resolves_to(*text, spools[size_t(idx)]));
    }
    // Office printers cannot print the outer ~4 mm of a page: no ink there, though the cells reach the edges.
    const int edge = mm(4.0, 300);
    int ink_at_edges = 0;
    for (const auto& page : *pages)
        for (int y = 0; y < page.height; ++y)
            for (int x = 0; x < page.width; ++x)
                if ((x < edge || x >= page.width - edge || y < edge || y >= page.height - edge) && page.get(x, y))
                    ++ink_at_edges;
    CHECK(ink_at_edges == 0);
    const auto last = sheet_cell(23, 300);
    CHECK(last.x + last.width <= 2480);
    CHECK(last.y + last.height <= 3508);
    CHECK(last.width == 826);
}

TEST_CASE("labels: clear errors for unusable input") {
    LabelData d = from_spool(sample_spool());
    auto r = render_label(d, LabelSize::Ql62, 50);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "invalid_input");
    d.payload.clear();
    r = render_label(d, LabelSize::Ql62);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "invalid_input");
    d.payload = std::string(300, 'x');
    r = render_label(d, LabelSize::Ql62);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("256") != std::string::npos);
    CHECK_FALSE(render_sheet({from_spool(sample_spool())}, 0, 24));
    CHECK(label_size_from_string("62mm") == LabelSize::Ql62);
    CHECK(label_size_from_string("50X30") == LabelSize::Thermal50x30);
    CHECK(label_size_from_string("40x30") == LabelSize::Thermal40x30);
    CHECK(label_size_from_string("a4") == LabelSize::A4Sheet3x8);
    CHECK_FALSE(label_size_from_string("100x50"));
}

TEST_CASE("labels: render time per label") {
    const LabelData d = from_spool(sample_spool());
    for (LabelSize sz : kAllLabelSizes) {
        (void)render_label(d, sz);  // fonts loaded once
        const auto t0 = std::chrono::steady_clock::now();
        constexpr int kRuns = 5;
        for (int i = 0; i < kRuns; ++i) REQUIRE(render_label(d, sz));
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / kRuns;
        std::cout << "render " << info(sz).name << ": " << ms << " ms\n";
        CHECK(ms < 2000);
    }
}

TEST_CASE("labels: rendering from several threads at once gives identical bitmaps") {
    const LabelData d = from_spool(sample_spool());
    auto ref = render_label(d, LabelSize::Thermal50x30);
    REQUIRE(ref);
    std::vector<Bitmap> out(4);
    std::vector<std::thread> ts;
    for (size_t i = 0; i < out.size(); ++i)
        ts.emplace_back([&, i] {
            for (int k = 0; k < 10; ++k) {
                auto r = render_label(d, LabelSize::Thermal50x30);
                if (r) out[i] = *r;
            }
        });
    for (auto& t : ts) t.join();
    for (const auto& b : out) CHECK(b == *ref);
}
