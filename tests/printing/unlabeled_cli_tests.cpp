// `batchivo-central spool label --unlabeled`: every active spool never labelled on A4 sheets of 3 x 8 (PDF), the
// pages rasterised by poppler, each cell scanned with the project's decoder back to its spool; the spools are then
// recorded as labelled (qr_code_data), so a second run prints only the new ones.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "file_decoders.hpp"
#include "printing_test_util.hpp"
#include "run_program.hpp"
#include "sync/sqlite/sqlite.hpp"

using namespace batchivo;
using namespace batchivo::printing;
using namespace batchivo::printing::test;
using batchivo::test::run_central;
using batchivo::test::shell_quote;

namespace {

// spool_id -> (uuid, qr_code_data) straight from central's SQLite file.
std::map<std::string, std::pair<std::string, std::string>> spools_in(const std::string& db_path) {
    sql::Db db(db_path, SQLITE_OPEN_READONLY);
    sql::Stmt st(db, "SELECT spool_id, id, ifnull(qr_code_data, '') FROM spools");
    std::map<std::string, std::pair<std::string, std::string>> out;
    while (st.step()) out[st.text(0)] = {st.text(1), st.text(2)};
    return out;
}

// Every label on the sheets: scanned cell by cell, in order, until the first empty cell.
std::vector<std::string> scan_sheets(const std::string& pdf, int first_cell) {
    auto pages = decode_pdf(read_bytes(pdf), 300);
    std::vector<std::string> out;
    for (size_t p = 0; p < pages.size(); ++p) {
        CHECK(std::abs(pages[p].width_mm - 210) < 1);
        CHECK(std::abs(pages[p].height_mm - 297) < 1);
        for (int cell = p == 0 ? first_cell : 0; cell < 24; ++cell) {
            const auto c = sheet_cell(cell, 300);
            auto text = scan(pages[p].bm, c.x, c.y, c.width, c.height);
            if (!text) return out;
            out.push_back(*text);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("central CLI: spool label --unlabeled prints each unlabelled spool once on A4 sheets", "[cli][label]") {
    TempDir tmp;
    const std::string db_path = tmp / "central.db";
    const std::string db = "--db " + shell_quote("sqlite:" + db_path);
    REQUIRE(run_central(db + " migrate").status == 0);
    REQUIRE(run_central(db + " tenant create --slug acme --name Acme").status == 0);
    REQUIRE(run_central(db + " tenant create --slug rival --name Rival").status == 0);
    {
        std::ofstream csv(tmp / "spools.csv");
        csv << "spool_id,material,brand,color,initial_weight_g,current_weight_g,qr_code_data\n";
        for (int i = 1; i <= 27; ++i) {
            char id[16];
            std::snprintf(id, sizeof id, "FIL-%03d", i);
            csv << id << ",PLA,Acme,Black,1000,800," << (i == 5 || i == 9 ? std::string("web+spoolman:s-") + id : "") << "\n";
        }
    }
    auto r = run_central(db + " spool import --tenant acme " + shell_quote(tmp / "spools.csv"));
    INFO(r.out);
    REQUIRE(r.status == 0);
    REQUIRE(run_central(db + " spool add --tenant rival --spool-id OTHER-1 --initial 1000 --current 10").status == 0);

    // Errors first: nothing written, nothing recorded.
    CHECK(run_central(db + " spool label --tenant acme --unlabeled --out " + shell_quote(tmp / "x.png")).status == 1);
    CHECK(run_central(db + " spool label --tenant acme --unlabeled --size 62mm --out " + shell_quote(tmp / "x.pdf")).status == 1);
    CHECK(run_central(db + " spool label --tenant acme --unlabeled --spool-id FIL-001 --out " + shell_quote(tmp / "x.pdf")).status == 1);
    CHECK(run_central(db + " spool label --tenant acme --unlabeled --first-cell 24 --out " + shell_quote(tmp / "x.pdf")).status == 1);
    CHECK(run_central(db + " spool label --tenant acme --out " + shell_quote(tmp / "x.pdf")).status == 1);
    CHECK_FALSE(std::filesystem::exists(tmp / "x.pdf"));
    for (const auto& [sid, v] : spools_in(db_path))
        if (sid != "FIL-005" && sid != "FIL-009") CHECK(v.second.empty());

    // 25 unlabelled spools: one full sheet of 24 and one label on the second, in spool_id order.
    const std::string pdf = tmp / "sheet.pdf";
    r = run_central(db + " spool label --tenant acme --unlabeled --out " + shell_quote(pdf));
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("25 label(s) of acme on 2 A4 sheet(s)"));
    const auto texts = scan_sheets(pdf, 0);
    REQUIRE(texts.size() == 25);
    const auto after = spools_in(db_path);
    std::vector<std::string> expected;
    for (const auto& [sid, v] : after)
        if (sid.rfind("FIL-", 0) == 0 && sid != "FIL-005" && sid != "FIL-009") expected.push_back(sid);
    REQUIRE(expected.size() == 25);
    for (size_t i = 0; i < texts.size(); ++i) {
        Spool s;
        s.id = after.at(expected[i]).first;
        s.spool_id = expected[i];
        CHECK(resolves_to(texts[i], s));
        CHECK(after.at(expected[i]).second == texts[i]);  // recorded: the label's payload
    }
    CHECK(after.at("FIL-005").second == "web+spoolman:s-FIL-005");  // came with a label: untouched
    CHECK(after.at("OTHER-1").second.empty());                    // other tenant: untouched

    // Second run: nothing new, nothing written.
    const std::string again = tmp / "again.pdf";
    r = run_central(db + " spool label --tenant acme --unlabeled --out " + shell_quote(again));
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("nothing written"));
    CHECK_FALSE(std::filesystem::exists(again));

    // A new spool: only it, in the cell asked for on a partly used sheet.
    REQUIRE(run_central(db + " spool add --tenant acme --spool-id FIL-100 --initial 1000 --current 1000").status == 0);
    r = run_central(db + " spool label --tenant acme --unlabeled --first-cell 7 --out " + shell_quote(again));
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("1 label(s) of acme on 1 A4 sheet(s)"));
    const auto one = scan_sheets(again, 7);
    REQUIRE(one.size() == 1);
    Spool s;
    s.id = spools_in(db_path).at("FIL-100").first;
    s.spool_id = "FIL-100";
    CHECK(resolves_to(one[0], s));
    CHECK(scan_sheets(again, 0).empty());  // cells before 7 are blank
}
