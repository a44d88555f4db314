// `batchivo-central product add | component add | import | list` through the real binary, on SQLite and on
// PostgreSQL (the throwaway cluster): the BOM, conflicts, line-numbered import errors that import nothing.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>

#include "central_test_util.hpp"

using nlohmann::json;

namespace {

struct Run {
    int status = -1;
    std::string out;
};

std::string q(const std::string& s) {
    std::string r = "'";
    for (char c : s) r += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return r + "'";
}

Run run(const std::string& args) {
    Run r;
    const std::string cmd = std::string(BATCHIVO_CENTRAL_EXE) + " " + args + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

void write(const std::string& path, const std::string& text) {
    std::ofstream f(path);
    f << text;
}

void exercise(const std::string& db, const std::string& dir) {
    REQUIRE(run(db + " migrate").status == 0);
    REQUIRE(run(db + " tenant create --slug acme --name Acme").status == 0);
    write(dir + "/spools.csv",
          "spool_id,material,brand,color,initial_weight_g,current_weight_g,purchase_cost\n"
          "FIL-1,PLA,Acme,Black,1000,500,20\nFIL-2,PLA,Acme,Black,1000,300,20\nFIL-3,PETG,Acme,Red,1000,90,30\n");
    REQUIRE(run(db + " spool import --tenant acme " + q(dir + "/spools.csv")).status == 0);

    auto r = run(db + " product add --tenant acme --sku BOX-001 --name 'Parts box' --material FIL-1:60:body "
                      "--material fil-2:40:lid --labor-hours 0.5 --labor-rate 10");
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("BOX-001"));
    // Mistakes: exit 1, a clear message, nothing changed.
    r = run(db + " product add --tenant acme --sku box-001 --name Again --material FIL-1:1");
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("already exists"));
    r = run(db + " product add --tenant acme --sku NEW --name New --material FIL-1");
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("SPOOL_ID:GRAMS"));
    CHECK(run(db + " product add --tenant acme --sku NEW --name New --material FIL-1:0").status == 1);
    CHECK(run(db + " product add --tenant acme --sku NEW --name New --material FIL-9:5").status == 1);
    CHECK(run(db + " product add --tenant nope --sku NEW --name New").status == 1);
    r = run(db + " product component add --tenant acme --sku BOX-001 --component 'magnet 6x2'");
    CHECK(r.status == 1);  // a plain part needs its cost
    CHECK_THAT(r.out, Catch::Contains("--unit-cost"));
    REQUIRE(run(db + " product component add --tenant acme --sku BOX-001 --component 'magnet 6x2' --quantity 4 "
                     "--unit-cost 0.25").status == 0);
    REQUIRE(run(db + " product add --tenant acme --sku LID --name Lid --material FIL-3:10").status == 0);
    // A sub-assembly's unit cost defaults to its own cost: 10 g of a 30.00 / 1000 g spool.
    REQUIRE(run(db + " product component add --tenant acme --sku BOX-001 --component lid --quantity 2").status == 0);

    r = run(db + " product list --tenant acme --json");
    REQUIRE(r.status == 0);
    auto j = json::parse(r.out);
    REQUIRE(j.size() == 2);
    CHECK(j[0]["sku"] == "BOX-001");
    REQUIRE(j[0]["materials"].size() == 2);
    CHECK(j[0]["materials"][1]["spool_id"] == "FIL-2");
    CHECK(j[0]["materials"][1]["grams_per_unit"] == 40);
    CHECK(j[0]["materials"][1]["slot"] == "lid");
    REQUIRE(j[0]["components"].size() == 2);
    CHECK(j[0]["components"][1]["name"] == "lid");
    CHECK(j[0]["components"][1]["unit_cost"].get<double>() == Approx(0.30));
    // 100 g x 0.02 = 2.00, components 1.00 + 0.60, labour 5.00
    CHECK(j[0]["cost_per_unit"].get<double>() == Approx(8.60));

    // Import: every problem listed by line, nothing imported.
    write(dir + "/bad.csv",
          "sku,name,spool_id,grams,slot,component,quantity,unit_cost\n"
          "VASE,Vase,FIL-1,80,primary,,,\n"
          "VASE,,FIL-1,x,,,,\n"
          ",Nameless,FIL-1,5,,,,\n"
          "HOOK,Hook,,,,screw,0,0.1\n"
          "VASE,Other name,FIL-2,5,,,,\n");
    r = run(db + " product import --tenant acme " + q(dir + "/bad.csv"));
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("line 3:") && Catch::Contains("line 4:") && Catch::Contains("line 5:") &&
                          Catch::Contains("line 6:") && Catch::Contains("nothing imported"));
    CHECK_FALSE(Catch::Contains("line 2:").match(r.out));
    write(dir + "/unknown.csv", "sku,name,colour\nA,B,C\n");
    r = run(db + " product import --tenant acme " + q(dir + "/unknown.csv"));
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("unknown column 'colour'"));
    // A spool only the database can check: still all or nothing.
    write(dir + "/missing.csv", "sku,name,spool_id,grams\nVASE,Vase,FIL-1,80\nHOOK,Hook,FIL-404,5\n");
    r = run(db + " product import --tenant acme " + q(dir + "/missing.csv"));
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("FIL-404") && Catch::Contains("nothing imported"));
    CHECK(json::parse(run(db + " product list --tenant acme --json").out).size() == 2);

    // A good import replaces the SKUs it lists whole and adds new ones.
    write(dir + "/good.csv",
          "sku,name,spool_id,grams,slot,component,quantity,unit_cost,labor_hours\n"
          "BOX-001,Parts box v2,FIL-3,70,body,,,,\n"
          "VASE,Vase,FIL-1,80,primary,,,,0.1\n"
          "VASE,,FIL-2,5,accent,,,,\n"
          "VASE,,,,,felt pad,3,0.05,\n");
    r = run(db + " product import --tenant acme " + q(dir + "/good.csv"));
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("imported 2 product(s)"));
    j = json::parse(run(db + " product list --tenant acme --json").out);
    REQUIRE(j.size() == 3);
    CHECK(j[0]["name"] == "Parts box v2");
    CHECK(j[0]["materials"].size() == 1);
    CHECK(j[0]["components"].empty());
    CHECK(j[2]["sku"] == "VASE");
    CHECK(j[2]["materials"].size() == 2);
    CHECK(j[2]["components"][0]["quantity"] == 3);
    r = run(db + " product list --tenant acme");
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("VASE  Vase"));
}

}  // namespace

TEST_CASE("product commands on SQLite", "[cli][product]") {
    const std::string dir = ct::temp_dir("product-cli");
    exercise("--db " + q("sqlite:" + dir + "/central.db"), dir);
}

TEST_CASE("product commands on PostgreSQL", "[cli][product][pg]") {
    const auto pg = ct::make_pg_db();
    exercise("--db " + q(pg.owner_url), ct::temp_dir("product-cli-pg"));
}
