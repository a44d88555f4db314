// `batchivo-station label print` end to end: a spool in the station's catalog cache, printed through the png: and
// pdf: backends by the real binary, the files decoded back (file_decoders.hpp) and scanned with the project's
// decoder to the spool's payload. Errors: unknown spool, bad spec, bad size, a printer that fails, no printer.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "file_decoders.hpp"
#include "printing_test_util.hpp"
#include "run_program.hpp"
#include "sync/store/station_store.hpp"

using namespace batchivo;
using namespace batchivo::printing;
using namespace batchivo::printing::test;
using batchivo::test::run_station;
using batchivo::test::shell_quote;
#ifdef BATCHIVO_CENTRAL_BIN
using batchivo::test::run_central;
#endif

namespace {

std::string one_file_in(const std::string& dir) {
    std::string found;
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) found = e.path().string(), ++n;
    REQUIRE(n == 1);
    return found;
}

}  // namespace

TEST_CASE("station CLI: label print to png: and pdf:, decoded back and scanned to the spool", "[cli][label]") {
    TempDir tmp;
    const std::string dir = tmp / "station";
    std::filesystem::create_directories(dir);
    const Spool s = sample_spool();
    {
        StationStore store(dir + "/station.db");
        store.upsert_spools({s});
    }

    SECTION("png:DIR, by spool id, default size 62mm, JSON") {
        const std::string out = tmp / "png";
        auto r = run_station(dir, "label print --spool pla-blk-003 --printer " + shell_quote("png:" + out) + " --json");
        INFO(r.out);
        REQUIRE(r.status == 0);
        auto j = nlohmann::json::parse(r.out);
        CHECK(j["spool_id"] == "PLA-BLK-003");
        CHECK(j["size"] == "62mm");
        CHECK(j["payload"] == label_payload(s));
        const std::string file = one_file_in(out);
        CHECK(j["destination"] == file);
        int dpi = 0;
        auto pages = decode_png(read_bytes(file), &dpi);
        CHECK(dpi == 300);
        CHECK(pages[0].width == 696);
        auto text = scan(pages[0]);
        REQUIRE(text);
        CHECK(*text == label_payload(s));
        CHECK(resolves_to(*text, s));
    }
    SECTION("pdf:FILE, by the label's URL, 40x30") {
        const std::string file = tmp / "label.pdf";
        auto r = run_station(dir, "label print --spool " + shell_quote("batchivo://spool/" + s.id) + " --printer " +
                                  shell_quote("pdf:" + file) + " --size 40x30");
        INFO(r.out);
        REQUIRE(r.status == 0);
        CHECK_THAT(r.out, Catch::Contains("Printed the 40x30 label of PLA-BLK-003"));
        auto pages = decode_pdf(read_bytes(file), 203);
        REQUIRE(pages.size() == 1);
        CHECK(std::abs(pages[0].width_mm - 40) < 0.5);
        CHECK(std::abs(pages[0].height_mm - 30) < 0.5);
        auto text = scan(pages[0].bm);
        REQUIRE(text);
        CHECK(*text == label_payload(s));
        CHECK(resolves_to(*text, s));
    }
    SECTION("the config's [printer] is the default") {
        const std::string out = tmp / "from-config";
        {
            std::ofstream cfg(dir + "/config.toml");
            cfg << "[printer]\nspec = \"png:" << out << "\"\nsize = \"50x30\"\n";
        }
        auto r = run_station(dir, "label print --spool PLA-BLK-003 --json");
        INFO(r.out);
        REQUIRE(r.status == 0);
        CHECK(nlohmann::json::parse(r.out)["size"] == "50x30");
        int dpi = 0;
        auto pages = decode_png(read_bytes(one_file_in(out)), &dpi);
        CHECK(dpi == 203);
        auto text = scan(pages[0]);
        REQUIRE(text);
        CHECK(*text == label_payload(s));
    }
    SECTION("errors: a clear message, exit status 1, nothing written") {
        const std::string out = tmp / "never";
        auto r = run_station(dir, "label print --spool NOPE-404 --printer " + shell_quote("png:" + out));
        CHECK(r.status == 1);
        CHECK_THAT(r.out, Catch::Contains("No spool matches 'NOPE-404'"));
        r = run_station(dir, "label print --spool PLA-BLK-003 --printer laser:/dev/null");
        CHECK(r.status == 1);
        CHECK_THAT(r.out, Catch::Contains("Bad printer spec"));
        r = run_station(dir, "label print --spool PLA-BLK-003 --printer " + shell_quote("png:" + out) + " --size a4");
        CHECK(r.status == 1);
        CHECK_THAT(r.out, Catch::Contains("62mm, 50x30, 40x30"));
        CHECK_FALSE(std::filesystem::exists(out));
        r = run_station(dir, "label print --spool PLA-BLK-003");
        CHECK(r.status == 1);
        CHECK_THAT(r.out, Catch::Contains("No printer"));
        // A printer that fails: a device node that does not exist (never created).
        r = run_station(dir, "label print --spool PLA-BLK-003 --printer zpl:" + shell_quote(tmp / "no-such-lp0"));
        CHECK(r.status == 1);
        CHECK_THAT(r.out, Catch::Contains("not printed (io)"));
        CHECK_FALSE(std::filesystem::exists(tmp / "no-such-lp0"));
    }
}

#ifdef BATCHIVO_CENTRAL_BIN
TEST_CASE("central CLI: spool label --out FILE.png|FILE.pdf, decoded back and scanned to the spool", "[cli][label]") {
    TempDir tmp;
    const std::string db = "--db " + shell_quote("sqlite:" + (tmp / "central.db"));
    REQUIRE(run_central(db + " migrate").status == 0);
    REQUIRE(run_central(db + " tenant create --slug acme --name Acme").status == 0);
    auto add = run_central(db + " spool add --tenant acme --spool-id FIL-001 --initial 1000 --current 640 --material PLA "
                            "--brand Acme --color Black --json");
    INFO(add.out);
    REQUIRE(add.status == 0);
    Spool s;
    s.id = nlohmann::json::parse(add.out)["id"].get<std::string>();
    s.spool_id = "FIL-001";

    const std::string png = tmp / "fil-001.png";
    auto r = run_central(db + " spool label --tenant acme --spool-id fil-001 --out " + shell_quote(png));
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("label of FIL-001 (62mm)"));
    int dpi = 0;
    auto pages = decode_png(read_bytes(png), &dpi);
    CHECK(dpi == 300);
    auto text = scan(pages[0]);
    REQUIRE(text);
    CHECK(*text == "batchivo://spool/" + s.id);
    CHECK(resolves_to(*text, s));

    const std::string pdf = tmp / "fil-001.pdf";
    r = run_central(db + " spool label --tenant acme --spool-id " + s.id + " --size 50x30 --out " + shell_quote(pdf));
    REQUIRE(r.status == 0);
    auto pp = decode_pdf(read_bytes(pdf), 203);
    REQUIRE(pp.size() == 1);
    CHECK(std::abs(pp[0].width_mm - 50) < 0.5);
    text = scan(pp[0].bm);
    REQUIRE(text);
    CHECK(resolves_to(*text, s));

    // Errors: exit 1, nothing written.
    CHECK(run_central(db + " spool label --tenant acme --spool-id NOPE --out " + shell_quote(tmp / "x.png")).status == 1);
    CHECK(run_central(db + " spool label --tenant nope --spool-id FIL-001 --out " + shell_quote(tmp / "x.png")).status == 1);
    CHECK(run_central(db + " spool label --tenant acme --spool-id FIL-001 --out " + shell_quote(tmp / "x.bmp")).status == 1);
    CHECK(run_central(db + " spool label --tenant acme --spool-id FIL-001 --size 99x99 --out " + shell_quote(tmp / "x.png")).status == 1);
    CHECK_FALSE(std::filesystem::exists(tmp / "x.png"));
}
#endif
