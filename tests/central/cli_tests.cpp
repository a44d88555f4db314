// The batchivo-central binary: scriptable admin commands and the demo contract the kiosk relies on.
#include <catch2/catch.hpp>

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>
#include <signal.h>
#include <stb/stb_image.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "central_test_util.hpp"
#include "sync/central/api/tls.hpp"
#include "sync/sqlite/sqlite.hpp"

using namespace batchivo;
using namespace batchivo::central;
using nlohmann::json;

namespace {
batchivo::central::SpoolQuery query_text(const std::string& text) {
    batchivo::central::SpoolQuery q;
    q.q = text;
    return q;
}
}  // namespace

namespace {

struct Run {
    int status = -1;
    std::string out;
};

Run run(const std::string& args) {
    Run r;
    const std::string cmd = std::string(BATCHIVO_CENTRAL_EXE) + " " + args + " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

std::string q(const std::string& s) { return "'" + s + "'"; }

// A child process with stdin/stdout pipes.
struct Child {
    pid_t pid = -1;
    int in_fd = -1, out_fd = -1;
    explicit Child(std::vector<std::string> args) {
        // BATCHIVO_CENTRAL_EXE may carry an emulator in front (arm64 build under qemu-user): split it into words.
        if (!args.empty() && args[0].find(' ') != std::string::npos) {
            std::vector<std::string> words;
            std::istringstream is(args[0]);
            for (std::string w; is >> w;) words.push_back(w);
            args.erase(args.begin());
            args.insert(args.begin(), words.begin(), words.end());
        }
        int in[2], out[2];
        REQUIRE(pipe(in) == 0);
        REQUIRE(pipe(out) == 0);
        pid = fork();
        if (pid == 0) {
            dup2(in[0], 0);
            dup2(out[1], 1);
            close(in[1]);
            close(out[0]);
            std::vector<char*> argv;
            for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
            argv.push_back(nullptr);
            execv(argv[0], argv.data());
            _exit(127);
        }
        close(in[0]);
        close(out[1]);
        in_fd = in[1];
        out_fd = out[0];
    }
    std::string read_line(int timeout_s) {
        std::string line;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
        char c;
        while (std::chrono::steady_clock::now() < deadline) {
            fd_set fs;
            FD_ZERO(&fs);
            FD_SET(out_fd, &fs);
            timeval tv{0, 100000};
            if (select(out_fd + 1, &fs, nullptr, nullptr, &tv) <= 0) continue;
            if (::read(out_fd, &c, 1) != 1) break;
            if (c == '\n') return line;
            line += c;
        }
        return line;
    }
    // Exit status, or -1 if it did not exit within timeout_s.
    int wait_exit(int timeout_s) {
        for (int i = 0; i < timeout_s * 20; ++i) {
            int st = 0;
            if (waitpid(pid, &st, WNOHANG) == pid) {
                pid = -1;
                return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return -1;
    }
    ~Child() {
        if (in_fd >= 0) close(in_fd);
        if (out_fd >= 0) close(out_fd);
        if (pid > 0) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
    }
};

}  // namespace

TEST_CASE("scriptable admin commands on SQLite", "[cli]") {
    const std::string dir = ct::temp_dir("cli");
    const std::string db = "--db sqlite:" + dir + "/c.db --data-dir " + dir;
    auto m = run(db + " migrate");
    CHECK(m.status == 0);
    CHECK_THAT(m.out, Catch::Contains("applied " + std::to_string(batchivo::central::sqlite_migrations().size())));
    CHECK_THAT(run(db + " migrate").out, Catch::Contains("up to date"));
    CHECK(run(db + " tenant create --slug acme --name " + q("Acme Farm")).status == 0);
    CHECK(run(db + " tenant create --slug acme --name again").status == 1);   // duplicate slug
    CHECK(run(db + " tenant create --slug 'Bad Slug' --name x").status == 1);  // slug format
    auto sp = run("spool add " + db + " --tenant acme --spool-id FIL-001 --initial 1000 --current 640 --empty 190 "
                  "--material PLA --brand Prusament --color Galaxy --json");
    REQUIRE(sp.status == 0);
    const auto sj = json::parse(sp.out);
    CHECK(sj["empty_spool_weight_g"] == 190);
    CHECK(sj["material_type"] == "PLA");
    CHECK(run(db + " spool add --tenant acme --spool-id FIL-002 --initial 1000 --current 1200").status == 1);
    CHECK(run(db + " spool add --tenant acme --spool-id FIL-002 --initial 1000 --current 10 --material Unobtainium").status == 1);
    CHECK(run(db + " spool add --tenant nope --spool-id FIL-002 --initial 1000 --current 10").status == 1);

    {
        std::ofstream csv(dir + "/good.csv");
        csv << "spool_id,material,brand,color,initial_weight_g,current_weight_g,empty_spool_weight_g,notes\n"
               "CSV-1,PETG,Overture,\"Orange, bright\",1000,500,231,\"says \"\"hi\"\"\"\n"
               "CSV-2,TPU,Polymaker,Red,750,70,,\n";
        std::ofstream bad(dir + "/bad.csv");
        bad << "spool_id,initial_weight_g,current_weight_g\nCSV-3,1000,500\nCSV-4,1000,abc\n";
    }
    CHECK(run(db + " spool import --tenant acme " + dir + "/bad.csv").status == 1);
    CHECK(run(db + " spool import --tenant acme " + dir + "/good.csv").status == 0);
    auto store = open_store("sqlite:" + dir + "/c.db");
    const auto t = store->find_tenant("acme");
    REQUIRE(t);
    const auto spools = store->active_spools(t->id);
    REQUIRE(spools.size() == 3);  // FIL-001, CSV-1, CSV-2; nothing from bad.csv
    CHECK(spools[0].spool_id == "CSV-1");
    CHECK(spools[0].color == "Orange, bright");
    CHECK(spools[0].notes == "says \"hi\"");
    CHECK_FALSE(spools[1].empty_spool_weight_g);

    {
        // all-or-nothing: a spool_id twice in one CSV is refused before anything is written ...
        std::ofstream dup(dir + "/dup.csv");
        dup << "spool_id,initial_weight_g,current_weight_g\nCSV-5,1000,500\nCSV-6,1000,400\nCSV-5,1000,300\n";
        // ... and a row only the database refuses (here a trigger standing in for any constraint or I/O failure on
        // the third row) rolls back the rows before it, including an update of an existing spool
        std::ofstream late(dir + "/late.csv");
        late << "spool_id,initial_weight_g,current_weight_g\nCSV-1,1000,111\nCSV-7,1000,400\nDB-REFUSES,1000,300\n";
    }
    auto dup = run(db + " spool import --tenant acme " + dir + "/dup.csv");
    CHECK(dup.status == 1);
    {
        sql::Db raw(dir + "/c.db");
        raw.exec("CREATE TRIGGER test_refuse BEFORE INSERT ON spools WHEN NEW.spool_id = 'DB-REFUSES' "
                 "BEGIN SELECT RAISE(ABORT, 'refused by the database'); END");
    }
    auto late = run(db + " spool import --tenant acme " + dir + "/late.csv");
    CHECK(late.status == 1);
    {
        const auto after = store->active_spools(t->id);
        CHECK(after.size() == 3);  // still FIL-001, CSV-1, CSV-2
        for (const auto& x : after) {
            CHECK(x.spool_id != "CSV-5");
            CHECK(x.spool_id != "CSV-7");
            if (x.spool_id == "CSV-1") CHECK(x.current_weight_g == 500);  // the update was rolled back
        }
        sql::Db raw(dir + "/c.db");
        raw.exec("DROP TRIGGER test_refuse");
    }
    CHECK(run(db + " spool import --tenant acme " + dir + "/late.csv").status == 0);
    CHECK(store->active_spools(t->id).size() == 5);
    CHECK(store->get_spool(t->id, store->search_spools(t->id, query_text("CSV-1")).spools.at(0).spool.id)->current_weight_g == 111);

    CHECK(run(db + " reorder set --tenant acme --material PLA --lead-time-days 5 --avg-daily 100").status == 0);
    REQUIRE(store->reorder_settings(t->id).size() == 1);
    CHECK(store->reorder_settings(t->id)[0].reorder_point_grams == 1200);
    CHECK_THAT(run(db + " material list").out, Catch::Contains("Wood PLA"));
    CHECK(run(db + " user add --tenant acme --email ops@example.com --role admin").status == 0);
    CHECK_THAT(run(db + " tenant list").out, Catch::Contains("acme"));

    auto pr = run(db + " device pair --tenant acme --name " + q("Printer bay 1") + " --server-url https://10.0.0.5:8443 --json --png " +
                  dir + "/qr.png");
    REQUIRE(pr.status == 0);
    const auto pj = json::parse(pr.out);
    REQUIRE(pj.size() == 2);
    const auto payload = wire::parse_pairing_payload(pj["payload"].get<std::string>());
    REQUIRE(payload);
    CHECK(payload->code == pj["code"]);
    CHECK(payload->server_url == "https://10.0.0.5:8443");
    CHECK(payload->pin == spki_pin_of_cert_file(dir + "/tls/server.pem"));
    CHECK(payload->ca_der_base64url == cert_der_base64url(dir + "/tls/ca.pem"));
    std::ifstream png(dir + "/qr.png", std::ios::binary);
    char sig[8] = {};
    png.read(sig, 8);
    CHECK(std::string(sig + 1, 3) == "PNG");
    {
        // the PNG really carries the payload: decode it
        int w = 0, h = 0, comp = 0;
        unsigned char* px = stbi_load((dir + "/qr.png").c_str(), &w, &h, &comp, 1);
        REQUIRE(px);
        ZXing::DecodeHints hints;
        hints.setFormats(ZXing::BarcodeFormat::QRCode);
        const auto res = ZXing::ReadBarcode(ZXing::ImageView(px, w, h, ZXing::ImageFormat::Lum), hints);
        stbi_image_free(px);
        REQUIRE(res.isValid());
        CHECK(res.text() == pj["payload"].get<std::string>());
    }
    const auto r = store->redeem_pairing(pj["code"], "");
    CHECK(r.station_name == "Printer bay 1");
    const auto list = json::parse(run(db + " device list --tenant acme --json").out);
    REQUIRE(list.size() == 1);
    CHECK(run(db + " device revoke --tenant acme --device " + r.device_id).status == 0);
    CHECK(run(db + " device revoke --tenant acme --device " + r.device_id).status == 1);
    CHECK_FALSE(store->authenticate(r.token));
    CHECK(run(db + " device pair --tenant acme --name x --server-url ftp://nope --json").status == 1);
    CHECK(run("--help").status == 0);
    CHECK(run("spool import --help").status == 0);
}

TEST_CASE("serve refuses an owner role on PostgreSQL", "[cli]") {
    const auto pgdb = ct::make_pg_db();
    CHECK(run("--db " + pgdb.owner_url + " db check").status == 1);
    CHECK(run("--db " + pgdb.app_url + " db check").status == 0);
    CHECK(run("--db " + pgdb.owner_url + " serve --listen 127.0.0.1:0 --insecure-http").status == 2);
    CHECK(run("--db " + pgdb.owner_url + " migrate").out.find("up to date") != std::string::npos);
    CHECK(run("--db " + pgdb.owner_url + " tenant create --slug pgco --name PG").status == 0);
}

TEST_CASE("demo prints one JSON line, serves HTTPS, exits when stdin closes or on SIGTERM", "[cli]") {
    const std::string dir = ct::temp_dir("demo");
    for (int round = 0; round < 2; ++round) {
        Child c({BATCHIVO_CENTRAL_EXE, "demo", "--data-dir", dir});
        const std::string line = c.read_line(60);
        INFO(line);
        const auto j = json::parse(line);
        REQUIRE(j.size() == 3);
        CHECK(j["tenant"] == "demo");
        const std::string url = j["url"];
        CHECK(url.rfind("https://127.0.0.1:", 0) == 0);
        const auto p = wire::parse_pairing_payload(j["pairing_payload"].get<std::string>());
        REQUIRE(p);
        CHECK(p->server_url == url);
        ct::Client client{url, dir + "/tls/ca.pem", p->pin, ""};
        auto pr = client.post(std::string(wire::kApiPrefix) + "/pair", json{{"code", p->code}}.dump());
        REQUIRE(pr.status == 200);
        client.token = json::parse(pr.body)["token"];
        const auto cat = json::parse(client.get(std::string(wire::kApiPrefix) + "/catalog").body).get<wire::CatalogDelta>();
        CHECK(cat.spools.size() >= 30);
        std::set<std::string> materials, states;
        int with_empty = 0, with_qr = 0;
        for (const auto& s : cat.spools) {
            materials.insert(s.spool.material_name);
            states.insert(std::string(to_string(s.stock.status)));
            with_empty += s.spool.empty_spool_weight_g ? 1 : 0;
            with_qr += s.spool.qr_code_data.empty() ? 0 : 1;
            CHECK(s.spool.color_hex.size() == 7);
        }
        CHECK(materials == std::set<std::string>{"ABS", "ASA", "PETG", "PLA", "TPU"});
        CHECK(states.size() == 4);
        CHECK(with_empty > 0);
        CHECK(with_empty < static_cast<int>(cat.spools.size()));
        CHECK(with_qr > 0);
        CHECK(cat.reorder_settings.size() == 6);
        if (round == 0) {
            close(c.in_fd);  // the kiosk went away
            c.in_fd = -1;
        } else {
            kill(c.pid, SIGTERM);
        }
        CHECK(c.wait_exit(10) == 0);
    }
}

namespace {
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}
}  // namespace

TEST_CASE("two serve processes started at once on a fresh data dir share one CA, certificate and key", "[cli][tls]") {
    for (int round = 0; round < 6; ++round) {
        const std::string dir = ct::temp_dir("tls-race");
        const std::string db = "--data-dir " + dir;
        REQUIRE(run(db + " migrate").status == 0);
        const int p1 = free_port(), p2 = free_port();
        Child a({BATCHIVO_CENTRAL_EXE, "--data-dir", dir, "serve", "--listen", "127.0.0.1:" + std::to_string(p1)});
        Child b({BATCHIVO_CENTRAL_EXE, "--data-dir", dir, "serve", "--listen", "127.0.0.1:" + std::to_string(p2)});
        for (int port : {p1, p2}) {
            ct::HttpResponse r;
            for (int i = 0; i < 200; ++i) {
                // Trust exactly what is on disk now: the CA and the pin of tls/server.pem.
                ct::Client c;
                c.base = "https://127.0.0.1:" + std::to_string(port);
                c.ca_file = dir + "/tls/ca.pem";
                if (std::ifstream(dir + "/tls/server.pem")) c.pin = spki_pin_of_cert_file(dir + "/tls/server.pem");
                r = c.get(std::string(wire::kApiPrefix) + "/health");
                if (r.status == 200 || (r.curl != CURLE_COULDNT_CONNECT && r.curl != CURLE_OK)) break;
                std::this_thread::sleep_for(std::chrono::milliseconds(25));
            }
            INFO("round " << round << " port " << port << " curl " << r.curl);
            CHECK(r.status == 200);
        }
    }
}

TEST_CASE("supplier and purchase commands on SQLite and PostgreSQL", "[cli][intake][pg]") {
    const std::string dir = ct::temp_dir("cli-intake");
    const auto pgdb = ct::make_pg_db();
    const std::vector<std::string> dbs = {"--db sqlite:" + dir + "/c.db --data-dir " + dir,
                                          "--db " + pgdb.owner_url + " --data-dir " + dir};
    {
        std::ofstream csv(dir + "/po.csv");
        csv << "po_number,supplier,order_date,material,brand,color,quantity,weight_per_spool_g,unit_cost\n"
               "PO-10,Filament World,2026-11-01,PLA,Bambu Lab,Black,3,1000,19.99\n"
               "PO-10,Filament World,2026-11-01,PETG,Prusament,\"Orange, bright\",1,1000,24.5\n"
               "PO-11,,2026-11-02,TPU,,Red,2,,30\n";
        std::ofstream bad(dir + "/bad.csv");
        bad << "po_number,material,quantity,unit_cost\nPO-20,PLA,2,10\nPO-21,Unobtainium,1,5\n";
    }
    std::vector<std::string> listings;
    for (const auto& db : dbs) {
        INFO(db);
        if (db.find("sqlite") != std::string::npos) REQUIRE(run(db + " migrate").status == 0);
        REQUIRE(run(db + " tenant create --slug acme --name Acme").status == 0);
        CHECK(run(db + " supplier add --tenant acme --name " + q("Filament World") + " --lead-time-days 5").status == 0);
        CHECK(run(db + " supplier add --tenant acme --name " + q("filament world")).status == 1);  // duplicate
        CHECK(run(db + " supplier add --tenant acme --name ''").status == 1);
        auto sl = run(db + " supplier list --tenant acme --json");
        REQUIRE(sl.status == 0);
        CHECK(json::parse(sl.out).size() == 1);

        auto pa = run(db + " purchase add --tenant acme --po PO-1 --supplier " + q("Filament World") +
                      " --order-date 2026-11-20 --item " + q("PLA,Bambu Lab,Black,2,1000,19.99") + " --json");
        INFO(pa.out);
        REQUIRE(pa.status == 0);
        const auto pj = json::parse(pa.out);
        CHECK(pj["status"] == "ordered");
        CHECK(pj["spools_ordered"] == 2);
        CHECK(pj["spools_received"] == 0);
        CHECK(pj["supplier"] == "Filament World");
        // Bad input: a clear error, exit 1, nothing added.
        CHECK(run(db + " purchase add --tenant acme --po PO-1 --item " + q("PLA,,,1,,1")).status == 1);       // duplicate PO
        CHECK(run(db + " purchase add --tenant acme --po PO-2 --item " + q("PLA,,,zero,,1")).status == 1);    // quantity
        CHECK(run(db + " purchase add --tenant acme --po PO-2 --item " + q("PLA,,,1")).status == 1);          // fields
        CHECK(run(db + " purchase add --tenant acme --po PO-2 --supplier Nobody --item " + q("PLA,,,1,,1")).status == 1);
        CHECK(run(db + " purchase add --tenant acme --po PO-2 --order-date 2026-13-01 --item " + q("PLA,,,1,,1")).status == 1);
        CHECK(run(db + " purchase import --tenant acme " + dir + "/bad.csv").status == 1);  // all or nothing
        auto imp = run(db + " purchase import --tenant acme " + dir + "/po.csv --json");
        INFO(imp.out);
        REQUIRE(imp.status == 0);
        CHECK(json::parse(imp.out).size() == 2);
        auto ls = run(db + " purchase list --tenant acme --json");
        REQUIRE(ls.status == 0);
        auto lj = json::parse(ls.out);
        CHECK(lj.size() == 3);  // PO-1, PO-10, PO-11; not PO-20 (its import failed)
        std::string summary;
        for (const auto& p : lj) {
            summary += p["po_number"].get<std::string>() + ":" + p["status"].get<std::string>() + ":" +
                       std::to_string(p["spools_ordered"].get<int>()) + ":" + std::to_string(p["items"].size()) + ";";
        }
        listings.push_back(summary);
        auto text = run(db + " purchase list --tenant acme");
        CHECK_THAT(text.out, Catch::Contains("PO-10"));
        CHECK_THAT(text.out, Catch::Contains("0/4 spools in"));
    }
    REQUIRE(listings.size() == 2);
    CHECK(listings[0] == listings[1]);  // both stores answer the same
}
