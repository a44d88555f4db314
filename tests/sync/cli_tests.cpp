// The station command line end to end against central (in-process, HTTPS): pair, sync --once, record, queue.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "sync/central/api/server.hpp"
#include "sync/central/store/store.hpp"
#include "sync/central/api/tls.hpp"
#include "sync/protocol/wire.hpp"
#include "sync/store/station_store.hpp"
#include "run_program.hpp"
#include "sync_test_util.hpp"

using namespace batchivo;
using batchivo::test::TempDir;
using batchivo::test::run_station;
using batchivo::test::shell_quote;

namespace {

}  // namespace

TEST_CASE("station CLI: pair, sync --once, record (label forms), queue, revoked device keeps its queue",
          "[sync][cli]") {
    TempDir cdir("cli-central"), sdir("cli-station");
    std::shared_ptr<central::Store> cs = central::open_store("sqlite:" + (cdir.path / "central.db").string());
    cs->migrate();
    auto tls = central::ensure_tls((cdir.path / "tls").string());
    central::CentralServer server(cs);
    central::ServerOptions so;
    so.cert_file = tls.cert_file;
    so.key_file = tls.key_file;
    std::string err;
    REQUIRE(server.start(so, &err));
    auto t = cs->create_tenant("cli", "CLI Farm");
    Spool s;
    s.spool_id = "FIL-001";
    s.material_name = "PLA";
    s.brand = "Acme";
    s.initial_weight_g = 1000;
    s.current_weight_g = 800;
    s.empty_spool_weight_g = 200;
    s.qr_code_data = "custom-qr-777";
    s = cs->upsert_spool(t.id, s);
    auto code = cs->create_pairing_code(t.id, "Bay 1", 600);
    wire::PairingPayload p{server.url(), code.code, central::cert_der_base64url(tls.ca_file),
                           central::spki_pin_of_cert_file(tls.cert_file)};
    const std::string dir = sdir.str();

    // A wrong pin is refused and stores nothing.
    wire::PairingPayload bad = p;
    bad.pin = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    auto r = run_station(dir, "pair " + shell_quote(wire::format_pairing_payload(bad)));
    CHECK(r.status != 0);
    CHECK_THAT(r.out, Catch::Contains("did not prove"));
    CHECK_FALSE(std::filesystem::exists(sdir.creds()));

    r = run_station(dir, "pair " + shell_quote(wire::format_pairing_payload(p)));
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("CLI Farm"));
    struct stat st {};
    REQUIRE(::stat(sdir.creds().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    // Not in the catalog yet: refused, nothing recorded.
    r = run_station(dir, "record usage --spool FIL-001 --grams 5");
    CHECK(r.status != 0);
    CHECK_THAT(r.out, Catch::Contains("No spool matches"));
    r = run_station(dir, "sync --once");
    CHECK(r.status == 0);

    // Every label form resolves to the spool.
    r = run_station(dir, "record usage --spool " + shell_quote("https://batchivo.com/filaments/" + s.id + "/update") +
                         " --grams 10 --json");
    INFO(r.out);
    REQUIRE(r.status == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["seq"] == 1);
    CHECK(j["quantity_grams"] == -10);
    r = run_station(dir, "record usage --spool fil-001 --grams 5");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("seq 2"));
    r = run_station(dir, "record usage --spool custom-qr-777 --grams 5");
    REQUIRE(r.status == 0);
    r = run_station(dir, "record weigh --spool " + shell_quote("batchivo://spool/" + s.id) + " --gross 950");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("net 750 g"));  // 950 - the spool's own 200 g tare
    // Bad input: a clear message, a non-zero status, nothing recorded.
    r = run_station(dir, "record weigh --spool FIL-001 --gross 100");
    CHECK(r.status != 0);
    CHECK_THAT(r.out, Catch::Contains("lighter than the empty spool"));
    r = run_station(dir, "record usage --spool FIL-001 --grams 5000");
    CHECK(r.status != 0);
    r = run_station(dir, "queue list --json");
    REQUIRE(r.status == 0);
    auto list = nlohmann::json::parse(r.out);
    CHECK(list.size() == 4);

    r = run_station(dir, "sync --once");
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("4 applied"));
    CHECK(cs->get_spool(t.id, s.id)->current_weight_g == 750);

    // Revoked: the sync fails with a clear message, the queue is kept, exit status says "still pending".
    REQUIRE(cs->revoke_device(t.id, cs->list_devices(t.id).at(0).id));
    r = run_station(dir, "record usage --spool FIL-001 --grams 1");
    REQUIRE(r.status == 0);
    r = run_station(dir, "sync --once");
    CHECK(r.status != 0);
    CHECK_THAT(r.out, Catch::Contains("pair the station again"));
    CHECK_THAT(r.out, Catch::Contains("1 record(s) still pending"));
    // The operator discards it (kept, marked discarded) and the queue is empty again.
    r = run_station(dir, "queue discard '#5'");
    CHECK(r.status == 0);
    r = run_station(dir, "queue show 5");
    CHECK_THAT(r.out, Catch::Contains("\"discarded\""));
    {
        StationStore local(sdir.db());
        CHECK(local.counts().discarded == 1);
        CHECK(local.counts().applied == 4);
    }
    server.stop();
}

TEST_CASE("station CLI: spool new is usable at once, syncs exactly once, fills a purchase line, gets central's id",
          "[sync][cli][intake]") {
    TempDir cdir("cli-intake-central"), sdir("cli-intake-station");
    std::shared_ptr<central::Store> cs = central::open_store("sqlite:" + (cdir.path / "central.db").string());
    cs->migrate();
    auto tls = central::ensure_tls((cdir.path / "tls").string());
    central::CentralServer server(cs);
    central::ServerOptions so;
    so.cert_file = tls.cert_file;
    so.key_file = tls.key_file;
    std::string err;
    REQUIRE(server.start(so, &err));
    auto t = cs->create_tenant("intake", "Intake Farm");
    central::NewPurchase po;
    po.po_number = "PO-9";
    po.items.push_back({"PETG", "Prusament", "Orange", 1, 1000, 24.9});
    const auto added = cs->add_purchases(t.id, {po});
    const std::string line = added.at(0).purchase.items.at(0).id;
    auto code = cs->create_pairing_code(t.id, "Bay 1", 600);
    wire::PairingPayload p{server.url(), code.code, central::cert_der_base64url(tls.ca_file),
                           central::spki_pin_of_cert_file(tls.cert_file)};
    const std::string dir = sdir.str();
    REQUIRE(run_station(dir, "pair " + shell_quote(wire::format_pairing_payload(p))).status == 0);
    REQUIRE(run_station(dir, "sync --once").status == 0);  // catalog: material types and the open purchase

    // Bad input: a clear message, non-zero, nothing written.
    auto r = run_station(dir, "spool new --brand Acme --color Red --gross 900");
    CHECK(r.status != 0);
    CHECK_THAT(r.out, Catch::Contains("material is required"));
    r = run_station(dir, "spool new --material PLA --brand \"Bambu Lab\" --gross 200");
    CHECK(r.status != 0);
    CHECK_THAT(r.out, Catch::Contains("not above the tare"));
    r = run_station(dir, "spool new --purchase-item 0193a1b2-0000-7000-8000-0000000000ff");
    CHECK(r.status != 0);
    CHECK_THAT(r.out, Catch::Contains("no open purchase line"));
    r = run_station(dir, "queue list --json");
    CHECK(nlohmann::json::parse(r.out).empty());

    // Gross minus the tare data's empty-spool weight (Bambu Lab PLA: 250 g).
    r = run_station(dir, "spool new --material pla --brand \"Bambu Lab\" --color Black --gross 1250 --location \"Shelf B\" --json");
    INFO(r.out);
    REQUIRE(r.status == 0);
    const auto a = nlohmann::json::parse(r.out);
    CHECK(a["spool_id"] == "");
    CHECK(a["material"] == "PLA");
    CHECK(a["initial_weight_g"] == 1000);
    CHECK(a["tare_g"] == 250.0);
    CHECK(a["tare_source"] == "catalog");
    CHECK(a["label"] == "batchivo://spool/" + a["uuid"].get<std::string>());
    const std::string uuid = a["uuid"];
    // The purchase line gives material, brand, color and the nominal weight.
    r = run_station(dir, "spool new --purchase-item " + line + " --spool-id ORANGE-1 --json");
    INFO(r.out);
    REQUIRE(r.status == 0);
    const auto b = nlohmann::json::parse(r.out);
    CHECK(b["spool_id"] == "ORANGE-1");
    CHECK(b["material"] == "PETG");
    CHECK(b["initial_weight_g"] == 1000);
    CHECK(b["weight_source"] == "purchase line");
    r = run_station(dir, "spool new --purchase-item " + line);  // the line has one spool: full now
    CHECK(r.status != 0);

    // Usable before any sync: weighed by its UUID (its label), with its own empty weight as the tare.
    r = run_station(dir, "record weigh --spool " + shell_quote("batchivo://spool/" + uuid) + " --gross 1150");
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("net 900 g"));

    r = run_station(dir, "sync --once");
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("3 applied"));
    const auto made = cs->get_spool(t.id, uuid);
    REQUIRE(made);
    CHECK(made->spool_id == "PLA-BLK-001");
    CHECK(made->initial_weight_g == 1000);
    CHECK(made->current_weight_g == 900);
    CHECK(made->storage_location == "Shelf B");
    CHECK(cs->list_purchases(t.id, false).at(0).purchase.status == "received");
    // Central's id is on the station after the catalog pull; a second sync sends nothing again.
    StationStore local((sdir.path / "station.db").string());
    CHECK(local.spool_by_uuid(uuid)->spool_id == "PLA-BLK-001");
    r = run_station(dir, "sync --once");
    CHECK(r.status == 0);
    CHECK(cs->spool_transactions(t.id, uuid, 10).size() == 2);
    // Not labelled yet: central's `spool label --unlabeled` would print it.
    const auto unlabeled_ids = [&] {
        std::set<std::string> ids;
        for (const auto& s : cs->unlabeled_spools(t.id)) ids.insert(s.id);
        return ids;
    };
    CHECK(unlabeled_ids().count(uuid) == 1);

    // Labelled at the station: `spool new --print` prints before the record is sent; the label's payload travels
    // with the "spool created" record, so central counts the spool as labelled and never prints it again.
    const std::string labels = (sdir.path / "labels").string();
    std::filesystem::create_directories(labels);
    r = run_station(dir, "spool new --material PLA --brand \"Bambu Lab\" --color White --print png:" + labels + " --json");
    INFO(r.out);
    REQUIRE(r.status == 0);
    const auto c = nlohmann::json::parse(r.out);
    CHECK(c["labelled_on_sync"] == true);
    CHECK_FALSE(c["printed"].is_null());
    const std::string printed = c["uuid"];
    r = run_station(dir, "sync --once");
    INFO(r.out);
    CHECK(r.status == 0);
    const auto on_central = cs->get_spool(t.id, printed);
    REQUIRE(on_central);
    CHECK(on_central->qr_code_data == c["label"].get<std::string>());
    CHECK(on_central->spool_id == "PLA-WHT-001");
    CHECK(unlabeled_ids().count(printed) == 0);
    CHECK(unlabeled_ids().count(uuid) == 1);
    {
        StationStore local((sdir.path / "station.db").string());
        CHECK(local.spool_by_uuid(printed)->spool_id == "PLA-WHT-001");
        CHECK(local.spool_by_uuid(printed)->qr_code_data == c["label"].get<std::string>());
    }
    server.stop();
}
