// The kiosk's Add spool screen through the Station without a display: real store, the simulated scale, the tare
// data from assets/, intents as the screen sends them. Not paired: the "spool created" records stay queued.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "platform/printing/label/label.hpp"
#include "station/core/demo.hpp"
#include "station/core/screens/intake.hpp"
#include "station/core/station.hpp"

using namespace batchivo;
using namespace batchivo::station;
namespace fs = std::filesystem;

namespace {

const char* kLine = "0193e000-0000-7000-8000-000000000001";

struct Fixture {
    std::string dir;
    std::unique_ptr<Station> st;
    explicit Fixture(bool with_purchase = false) {
        dir = fs::temp_directory_path() / ("station-intake-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
        {
            StationStore store(dir + "/station.db");
            auto cat = make_demo_catalog("0193d000-0000-7000-8000-000000000001", 12);
            store.upsert_material_types(cat.materials);
            store.upsert_spools(cat.spools);
            if (with_purchase) {
                PurchaseLine l;
                l.id = kLine;
                l.purchase_id = "0193e000-0000-7000-8000-0000000000aa";
                l.po_number = "PO-2026-014";
                l.supplier = "Filament Depot";
                l.order_date = "2026-11-20";
                l.status = "shipped";
                l.material = "PETG";
                l.brand = "Prusament";
                l.color = "Galaxy Black";
                l.quantity = 2;
                l.received = 0;
                l.weight_per_spool_g = 1000;
                store.replace_open_purchases({l});
            }
        }
        StationOptions o;
        o.data_dir = dir;
        st = std::make_unique<Station>(o);
        REQUIRE(st->start([] {}).ok());
        REQUIRE(until([](const StationSnapshot& s) { return s.stock.catalog_size == 12; }));
    }
    ~Fixture() {
        st.reset();
        fs::remove_all(dir);
    }
    template <class P>
    bool until(P pred, int timeout_ms = 15000) {
        auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        while (std::chrono::steady_clock::now() < end) {
            st->frame(steady_now_ms());
            if (pred(*st->snapshot())) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }
    std::shared_ptr<const StationSnapshot> snap() {
        st->frame(steady_now_ms());
        return st->snapshot();
    }
    void type_field(const std::string& field, const std::string& text) {
        st->apply(Intent{IntentKind::IntakeEdit, field});
        REQUIRE(snap()->intake.editing != IntakeField::None);
        for (size_t i = 0, n = snap()->intake.edit_buffer.size(); i < n; ++i) st->apply(Intent{IntentKind::IntakeBackspace});
        for (char c : text) st->apply(Intent{IntentKind::IntakeKey, std::string(1, c)});
        st->apply(Intent{IntentKind::IntakeEditDone});
    }
    void place(double grams) {
        REQUIRE(st->scale()->place(grams));
        REQUIRE(until([&](const StationSnapshot& s) {
            return s.intake.gross_g && std::abs(*s.intake.gross_g - grams) < 0.5 && s.intake.stable;
        }));
    }
    bool has_toast(const std::string& part, bool error) {
        for (const auto& t : snap()->toasts)
            if (t.text.find(part) != std::string::npos && t.error == error) return true;
        return false;
    }
    int64_t records() { return st->store().counts().pending; }
};

}  // namespace

TEST_CASE("intake suggestions: existing spools' values first then the tare data's brands and filtered as typed") {
    std::vector<Spool> spools(3);
    spools[0].brand = "Bambu Lab";
    spools[0].material_name = "PLA";
    spools[0].color = "Black";
    spools[1].brand = "bambu lab";  // same brand, other spelling: once
    spools[1].material_name = "PLA";
    spools[1].color = "Jade White";
    spools[2].brand = "Prusament";
    spools[2].material_name = "PETG";
    spools[2].color = "Galaxy Black";
    const auto tares = TareCatalog::parse_csv("manufacturer,material,net_weight_g,empty_spool_weight_g,spool_type\n"
                                              "Polymaker,PLA,1000,140,\nSunlu,PETG,1000,160,\nBambu Lab,PLA,1000,250,\n");
    auto b = intake_suggestions(IntakeField::Brand, "", "", spools, &tares);
    REQUIRE(b.size() == 4);
    CHECK(b[0] == "Bambu Lab");  // used twice
    CHECK(b[1] == "Prusament");
    CHECK(b[2] == "Polymaker");  // tare data
    CHECK(b[3] == "Sunlu");
    CHECK(intake_suggestions(IntakeField::Brand, "", "PLA", spools, &tares) ==
          std::vector<std::string>{"Bambu Lab", "Prusament", "Polymaker"});
    CHECK(intake_suggestions(IntakeField::Brand, "PRU", "", spools, &tares) == std::vector<std::string>{"Prusament"});
    // Colors of the chosen material only; typed text filters.
    CHECK(intake_suggestions(IntakeField::Color, "", "PLA", spools, nullptr) == std::vector<std::string>{"Black", "Jade White"});
    CHECK(intake_suggestions(IntakeField::Color, "black", "", spools, nullptr) ==
          std::vector<std::string>{"Black", "Galaxy Black"});
    CHECK(intake_suggestions(IntakeField::SpoolId, "", "", spools, &tares).empty());
    CHECK(intake_suggestions(IntakeField::Brand, "", "", spools, &tares, 2).size() == 2);
}

TEST_CASE("add spool: material, brand, color typed, the full spool weighed, saved once through the store task") {
    Fixture f;
    f.st->apply(Intent{IntentKind::Navigate, "stock"});
    f.st->apply(Intent{IntentKind::Navigate, "intake"});
    auto s = f.snap();
    REQUIRE(s->screen == Screen::Intake);
    CHECK_FALSE(s->intake.from_purchase);  // no open purchase cached
    CHECK(s->intake.lines.empty());
    CHECK(std::find(s->intake.materials.begin(), s->intake.materials.end(), "PLA") != s->intake.materials.end());
    CHECK_FALSE(s->intake.can_save);

    // No material: a clear message, nothing written.
    f.st->apply(Intent{IntentKind::IntakeSave});
    s = f.snap();
    CHECK(s->intake.message_is_error);
    CHECK_THAT(s->intake.message, Catch::Contains("material is required"));
    CHECK_FALSE(s->intake.saved);
    CHECK(f.records() == 0);

    f.st->apply(Intent{IntentKind::IntakeMaterial, "PLA"});
    f.type_field("brand", "Bambu");
    // Suggestions while typing a color: the PLA spools' colors.
    f.st->apply(Intent{IntentKind::IntakeEdit, "brand"});
    s = f.snap();
    CHECK(s->intake.editing == IntakeField::Brand);
    CHECK(s->intake.edit_buffer == "Bambu");
    REQUIRE_FALSE(s->intake.suggestions.empty());
    CHECK(s->intake.suggestions.front() == "Bambu Lab");
    f.st->apply(Intent{IntentKind::IntakeSuggest, "Bambu Lab"});
    s = f.snap();
    CHECK(s->intake.editing == IntakeField::None);
    CHECK(s->intake.brand == "Bambu Lab");
    f.type_field("color", "Black");
    f.type_field("location", "Shelf Z9");

    // Without a reading (the pan is empty) the nominal weight of the tare data applies.
    s = f.snap();
    CHECK_FALSE(s->intake.gross_g);
    REQUIRE(s->intake.initial_weight_g);
    CHECK(*s->intake.initial_weight_g == 1000);
    CHECK(s->intake.weight_source == "tare data");

    // The full spool on the scale: initial = gross - the tare data's 250 g for Bambu Lab PLA.
    f.place(1243);
    s = f.snap();
    REQUIRE(s->intake.tare_g);
    CHECK(*s->intake.tare_g == Approx(250));
    CHECK_THAT(s->intake.tare_source, Catch::Contains("tare data"));
    REQUIRE(s->intake.initial_weight_g);
    CHECK(*s->intake.initial_weight_g == 993);
    CHECK(s->intake.weight_source == "scale");
    CHECK(s->intake.can_save);

    // Save: "Saving…" while the store task writes; a second tap writes nothing.
    f.st->apply(Intent{IntentKind::IntakeSave});
    f.st->apply(Intent{IntentKind::IntakeSave});
    s = f.st->snapshot();
    f.st->frame(steady_now_ms());
    REQUIRE(f.until([](const StationSnapshot& x) { return x.intake.saved; }));
    s = f.snap();
    CHECK_FALSE(s->intake.saving);
    CHECK(f.records() == 1);
    CHECK(s->intake.saved_weight_g == 993);
    CHECK(s->intake.saved_spool_id.empty());  // central assigns one at sync
    CHECK_THAT(s->intake.saved_summary, Catch::Contains("PLA") && Catch::Contains("Bambu Lab") && Catch::Contains("Black"));
    CHECK_FALSE(s->intake.printer_configured);

    // The same record `spool new` writes: a "spool created" record with the spool's fields, the spool usable now.
    auto rec = f.st->store().get_record(f.st->last_record_id());
    REQUIRE(rec);
    CHECK(rec->type == TransactionType::Purchase);
    CHECK(rec->quantity_grams == 993);
    REQUIRE(rec->new_spool);
    CHECK(rec->new_spool->material == "PLA");
    CHECK(rec->new_spool->brand == "Bambu Lab");
    CHECK(rec->new_spool->storage_location == "Shelf Z9");
    CHECK(rec->new_spool->empty_spool_weight_g == 250);
    auto sp = f.st->store().spool_by_uuid(s->intake.saved_uuid);
    REQUIRE(sp);
    CHECK(sp->current_weight_g == 993);
    CHECK(s->intake.saved_label == printing::label_payload(*sp));

    // Print label without a printer: disabled; a tap explains and prints nothing.
    f.st->apply(Intent{IntentKind::IntakePrint});
    CHECK_FALSE(f.snap()->intake.printing);
    CHECK(f.has_toast("No label printer", true));

    // Weigh it now: the weigh screen with the new spool's card.
    f.st->apply(Intent{IntentKind::IntakeWeighNow});
    s = f.snap();
    CHECK(s->screen == Screen::Weigh);
    REQUIRE(s->weigh.card);
    CHECK(s->weigh.card->spool.id == sp->id);

    // Back on Add spool later: a fresh form (the location stays for the next spool of the pallet).
    f.st->apply(Intent{IntentKind::Navigate, "intake"});
    s = f.snap();
    CHECK_FALSE(s->intake.saved);
    CHECK(s->intake.material.empty());
    CHECK(s->intake.location == "Shelf Z9");
}

TEST_CASE("add spool: bad input gets a clear message and saves nothing") {
    Fixture f;
    f.st->apply(Intent{IntentKind::Navigate, "intake"});
    f.st->apply(Intent{IntentKind::IntakeMaterial, "PLA"});
    f.type_field("brand", "Bambu Lab");

    SECTION("gross below the tare") {
        f.place(180);
        auto s = f.snap();
        CHECK_FALSE(s->intake.can_save);
        CHECK_THAT(s->intake.message, Catch::Contains("not above the tare"));
        f.st->apply(Intent{IntentKind::IntakeSave});
        s = f.snap();
        CHECK(s->intake.message_is_error);
        CHECK_THAT(s->intake.message, Catch::Contains("Not saved") && Catch::Contains("put the full spool on the scale"));
        CHECK_FALSE(s->intake.saved);
        CHECK(f.records() == 0);
    }
    SECTION("a human spool id already in the local catalog") {
        f.type_field("spool_id", "fil-003");  // FIL-003 exists (case-insensitive)
        f.st->apply(Intent{IntentKind::IntakeSave});
        auto s = f.snap();
        CHECK(s->intake.message_is_error);
        CHECK_THAT(s->intake.message, Catch::Contains("already used on this station"));
        CHECK_FALSE(s->intake.saved);
        CHECK(f.records() == 0);
        // A free id saves (nominal weight: nothing on the scale).
        f.type_field("spool_id", "PLA-NEW-01");
        f.st->apply(Intent{IntentKind::IntakeSave});
        REQUIRE(f.until([](const StationSnapshot& x) { return x.intake.saved; }));
        CHECK(f.snap()->intake.saved_spool_id == "PLA-NEW-01");
        CHECK(f.records() == 1);
    }
}

TEST_CASE("add spool from an open purchase line and Print label marks the unsent record labelled") {
    Fixture f(true);
    f.st->apply(Intent{IntentKind::Navigate, "intake"});
    auto s = f.snap();
    CHECK(s->intake.from_purchase);  // open lines: the screen starts with them
    REQUIRE(s->intake.lines.size() == 1);
    CHECK_THAT(s->intake.lines[0].detail, Catch::Contains("PO-2026-014") && Catch::Contains("0 of 2 in"));
    f.st->apply(Intent{IntentKind::IntakeSave});  // no line picked yet
    CHECK_THAT(f.snap()->intake.message, Catch::Contains("purchase line"));
    CHECK(f.records() == 0);
    f.st->apply(Intent{IntentKind::IntakePickLine, kLine});
    s = f.snap();
    CHECK(s->intake.lines[0].selected);
    CHECK(s->intake.material == "PETG");
    CHECK(s->intake.brand == "Prusament");
    CHECK(s->intake.color == "Galaxy Black");
    REQUIRE(s->intake.initial_weight_g);
    CHECK(*s->intake.initial_weight_g == 1000);  // the line's weight per spool (no reading)
    CHECK(s->intake.weight_source == "purchase line");

    // A printer that writes PNG files.
    const std::string out = f.dir + "/labels";
    fs::create_directories(out);
    f.st->apply(Intent{IntentKind::Navigate, "setup"});
    f.st->apply(Intent{IntentKind::SetupEdit, {}, 0, static_cast<int>(SetupField::PrinterSpec)});
    f.st->apply(Intent{IntentKind::SetupKey, "png:" + out});
    f.st->apply(Intent{IntentKind::SetupEditDone});
    f.st->apply(Intent{IntentKind::SetupSave});
    REQUIRE(f.snap()->setup.config.printer.spec == "png:" + out);
    f.st->apply(Intent{IntentKind::Back});
    s = f.snap();
    REQUIRE(s->screen == Screen::Intake);
    CHECK(s->intake.lines[0].selected);  // the form survived the trip to Setup

    f.st->apply(Intent{IntentKind::IntakeSave});
    REQUIRE(f.until([](const StationSnapshot& x) { return x.intake.saved; }));
    s = f.snap();
    CHECK(s->intake.printer_configured);
    auto rec = f.st->store().get_record(f.st->last_record_id());
    REQUIRE(rec);
    REQUIRE(rec->new_spool);
    CHECK(rec->new_spool->purchase_item_id == kLine);
    CHECK(rec->new_spool->qr_code_data.empty());
    CHECK(f.st->store().purchase_line(kLine)->received == 1);  // the pick list moves at once

    f.st->apply(Intent{IntentKind::IntakePrint});
    CHECK(f.snap()->intake.printing);
    f.st->apply(Intent{IntentKind::IntakePrint});  // double tap: one label
    REQUIRE(f.until([](const StationSnapshot& x) { return !x.intake.printing; }));
    s = f.snap();
    CHECK(s->intake.printed);
    CHECK(f.has_toast("printed", false));
    int files = 0;
    for (const auto& e : fs::directory_iterator(out)) files += e.is_regular_file() ? 1 : 0;
    CHECK(files == 1);
    // The label's payload travels with the still unsent record (central then counts the spool as labelled), and
    // the cached spool has it too.
    rec = f.st->store().get_record(f.st->last_record_id());
    REQUIRE(rec->new_spool);
    CHECK(rec->new_spool->qr_code_data == s->intake.saved_label);
    CHECK(f.st->store().spool_by_uuid(s->intake.saved_uuid)->qr_code_data == s->intake.saved_label);

    // Add another: the line still has one spool to come.
    f.st->apply(Intent{IntentKind::IntakeAnother});
    s = f.snap();
    CHECK_FALSE(s->intake.saved);
    REQUIRE(s->intake.lines.size() == 1);
    CHECK_THAT(s->intake.lines[0].detail, Catch::Contains("1 of 2 in"));
    // Done: back where the operator came from.
    f.st->apply(Intent{IntentKind::IntakeDone});
    CHECK(f.snap()->screen != Screen::Intake);
}

TEST_CASE("store: mark_label_printed carries the payload only on a record never sent") {
    const std::string dir = fs::temp_directory_path() / ("station-intake-label-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    {
        StationStore store(dir + "/station.db");
        NewSpoolRecord a;
        a.spool.material = "PLA";
        a.spool.initial_weight_g = 1000;
        const auto ra = store.create_spool(a);
        NewSpoolRecord b = a;
        const auto rb = store.create_spool(b);
        store.mark_sent({rb.id}, 1);  // b is on its way: may already be applied as it was
        CHECK(store.mark_label_printed(ra.spool_uuid, "batchivo://spool/" + ra.spool_uuid));
        CHECK_FALSE(store.mark_label_printed(rb.spool_uuid, "batchivo://spool/" + rb.spool_uuid));
        CHECK(store.get_record(ra.id)->new_spool->qr_code_data == "batchivo://spool/" + ra.spool_uuid);
        CHECK(store.get_record(rb.id)->new_spool->qr_code_data.empty());
        // Both cached spools count as labelled on the station.
        CHECK(store.spool_by_uuid(ra.spool_uuid)->qr_code_data == "batchivo://spool/" + ra.spool_uuid);
        CHECK(store.spool_by_uuid(rb.spool_uuid)->qr_code_data == "batchivo://spool/" + rb.spool_uuid);
        // Printed again: still carried (true), the first payload kept.
        CHECK(store.mark_label_printed(ra.spool_uuid, "other"));
        CHECK(store.get_record(ra.id)->new_spool->qr_code_data == "batchivo://spool/" + ra.spool_uuid);
    }
    fs::remove_all(dir);
}
