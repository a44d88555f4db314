// The Station end to end without a display: real store, simulated scale and camera, intents as the screens
// would send them. No network (not paired: records stay queued).
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "station/core/demo.hpp"
#include "station/core/station.hpp"

using namespace batchivo;
using namespace batchivo::station;

namespace {

struct Fixture {
    std::string dir;
    std::unique_ptr<Station> st;
    Fixture() {
        dir = std::filesystem::temp_directory_path() / ("station-e2e-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        {
            StationStore store(dir + "/station.db");
            auto cat = make_demo_catalog("0193d000-0000-7000-8000-000000000001", 40);
            store.upsert_material_types(cat.materials);
            store.upsert_spools(cat.spools);
            store.upsert_reorder_settings(cat.reorder);
        }
        StationOptions o;
        o.data_dir = dir;
        st = std::make_unique<Station>(o);
        std::string err;
        REQUIRE(st->start([] {}).ok());
    }
    ~Fixture() {
        st.reset();
        std::filesystem::remove_all(dir);
    }
    // Runs frames until `pred` holds or the timeout passes.
    template <class P>
    bool until(P pred, int timeout_ms = 8000) {
        auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        while (std::chrono::steady_clock::now() < end) {
            st->frame(steady_now_ms());
            if (pred(*st->snapshot())) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }
};

}  // namespace

TEST_CASE("station: scan, weigh on the simulated scale, confirm -> durable queued record") {
    Fixture f;
    REQUIRE(f.until([](const StationSnapshot& s) { return s.stock.catalog_size == 40; }));
    f.st->scanned("FIL-002");
    f.st->frame(steady_now_ms());
    auto s = f.st->snapshot();
    REQUIRE(s->weigh.card);
    CHECK(s->weigh.card->spool.spool_id == "FIL-002");
    CHECK(s->weigh.stage == WeighStage::Card);
    const int before = s->weigh.card->spool.current_weight_g;
    const double tare = *s->weigh.card->spool.empty_spool_weight_g;
    REQUIRE(f.st->scale()->place(before - 25 + tare));
    REQUIRE(f.until([](const StationSnapshot& x) { return x.weigh.can_confirm; }));
    // Confirm: "Saving…" while the store task writes (the UI thread does not wait), a second tap is ignored.
    f.st->apply(Intent{IntentKind::Confirm});
    f.st->apply(Intent{IntentKind::Confirm});
    CHECK(f.st->saving());
    f.st->frame(steady_now_ms());
    REQUIRE(f.until([](const StationSnapshot& x) { return x.weigh.stage == WeighStage::Saved; }));
    s = f.st->snapshot();
    CHECK_FALSE(s->weigh.saving);
    CHECK_FALSE(f.st->saving());
    CHECK(f.st->store().counts().pending == 1);  // one record for two taps
    auto rec = f.st->store().get_record(f.st->last_record_id());
    REQUIRE(rec);
    CHECK(rec->state == RecordState::Pending);
    CHECK(rec->quantity_grams == -25);
    CHECK(rec->spool_label == "FIL-002");
    CHECK(f.st->store().spool_by_spool_id("FIL-002")->current_weight_g == before - 25);
    // undo within the window: a compensating record restores the weight
    f.st->apply(Intent{IntentKind::Undo});
    f.st->apply(Intent{IntentKind::Undo});  // a double tap takes it back once
    REQUIRE(f.until([&](const StationSnapshot&) { return !f.st->saving(); }));
    CHECK(f.st->store().spool_by_spool_id("FIL-002")->current_weight_g == before);
    CHECK(f.st->store().counts().pending == 2);
}

TEST_CASE("station: label problems, navigation and stock search") {
    Fixture f;
    REQUIRE(f.until([](const StationSnapshot& s) { return s.stock.catalog_size == 40; }));
    f.st->scanned("web+spoolman:s-42");
    f.st->frame(steady_now_ms());
    CHECK(f.st->snapshot()->weigh.problem == WeighProblem::ForeignLabel);
    f.st->scanned("FIL-999");
    f.st->frame(steady_now_ms());
    CHECK(f.st->snapshot()->weigh.problem == WeighProblem::NotInCatalog);
    f.st->scanned("PAIR-7KQM-X4ZT");
    f.st->frame(steady_now_ms());
    CHECK(f.st->snapshot()->weigh.problem == WeighProblem::PairingLabel);

    f.st->apply(Intent{IntentKind::Navigate, "stock"});
    f.st->apply(Intent{IntentKind::StockKey, "PETG"});
    f.st->frame(steady_now_ms());
    auto s = f.st->snapshot();
    CHECK(s->screen == Screen::Stock);
    CHECK(s->can_go_back);
    REQUIRE(s->stock.total > 0);
    for (const auto& r : s->stock.rows) CHECK(r.material == "PETG");
    f.st->apply(Intent{IntentKind::OpenSpool, s->stock.rows.front().uuid});
    f.st->frame(steady_now_ms());
    CHECK(f.st->snapshot()->screen == Screen::SpoolDetail);
    const std::string opened = s->stock.rows.front().uuid;
    f.st->apply(Intent{IntentKind::LogUsageForCard, opened});  // "Log usage" on the detail screen
    f.st->frame(steady_now_ms());
    REQUIRE(f.st->snapshot()->usage.card);
    CHECK(f.st->snapshot()->usage.card->spool.id == opened);
    f.st->apply(Intent{IntentKind::Back});
    f.st->apply(Intent{IntentKind::Back});
    f.st->frame(steady_now_ms());
    CHECK(f.st->snapshot()->screen == Screen::Stock);
    f.st->apply(Intent{IntentKind::Navigate, "reorder"});
    f.st->frame(steady_now_ms());
    CHECK_FALSE(f.st->snapshot()->reorder.lines.empty());
    f.st->apply(Intent{IntentKind::Home});
    f.st->frame(steady_now_ms());
    CHECK(f.st->snapshot()->screen == Screen::Weigh);
    CHECK_FALSE(f.st->snapshot()->can_go_back);

    // log usage on the keypad for a scanned spool
    f.st->apply(Intent{IntentKind::Navigate, "usage"});
    f.st->scanned("FIL-001");
    for (char c : std::string("15")) f.st->apply(Intent{IntentKind::KeypadKey, std::string(1, c)});
    f.st->apply(Intent{IntentKind::KeypadSubmit});
    f.st->apply(Intent{IntentKind::KeypadSubmit});  // a double tap while saving writes nothing more
    f.st->frame(steady_now_ms());
    REQUIRE(f.until([&](const StationSnapshot& x) { return !f.st->saving() && !x.usage.saving; }));
    CHECK(f.st->store().counts().pending == 1);
    auto rec = f.st->store().get_record(f.st->last_record_id());
    REQUIRE(rec);
    CHECK(rec->quantity_grams == -15);
    CHECK_FALSE(rec->measurement);
}

TEST_CASE("station: the screen blanks after the configured idle time and a touch wakes it") {
    Fixture f;
    f.st->stop();
    f.st.reset();
    {
        StationConfig c;
        c.display.blank_after_s = 1;
        REQUIRE(save_config(f.dir + "/config.toml", c).ok());
    }
    StationOptions o;
    o.data_dir = f.dir;
    f.st = std::make_unique<Station>(o);
    std::string err;
    REQUIRE(f.st->start([] {}).ok());
    CHECK_FALSE(f.st->snapshot()->blanked);
    REQUIRE(f.until([](const StationSnapshot& s) { return s.blanked; }, 3000));
    CHECK(f.st->user_activity(steady_now_ms()));  // the touch only wakes
    f.st->frame(steady_now_ms());
    CHECK_FALSE(f.st->snapshot()->blanked);
}

TEST_CASE("station: HX711 two-point calibration from Setup reads the load cell's sysfs file") {
    Fixture f;
    const std::string raw = f.dir + "/in_voltage0_raw";
    auto write_raw = [&](long v) {
        std::ofstream o(raw, std::ios::trunc);
        o << v << "\n";
    };
    f.st->apply(Intent{IntentKind::Navigate, "setup"});
    f.st->apply(Intent{IntentKind::SetupCalZero});
    f.st->frame(steady_now_ms());
    CHECK(f.st->snapshot()->setup.message_is_error);  // not the hx711 driver yet
    f.st->apply(Intent{IntentKind::SetupScaleDriver, "hx711"});
    f.st->apply(Intent{IntentKind::SetupEdit, {}, 0, int(SetupField::ScaleDevice)});
    f.st->apply(Intent{IntentKind::SetupKey, raw});
    f.st->apply(Intent{IntentKind::SetupEditDone});
    write_raw(0x800000 + 1000);  // empty pan
    f.st->apply(Intent{IntentKind::SetupCalZero});
    f.st->apply(Intent{IntentKind::SetupEdit, {}, 0, int(SetupField::CalKnownWeight)});
    for (int i = 0; i < 5; ++i) f.st->apply(Intent{IntentKind::SetupBackspace});
    f.st->apply(Intent{IntentKind::SetupKey, "1000"});
    f.st->apply(Intent{IntentKind::SetupEditDone});
    write_raw(0x800000 + 421000);  // 1000 g on the pan
    f.st->apply(Intent{IntentKind::SetupCalKnown});
    f.st->frame(steady_now_ms());
    auto s = f.st->snapshot();
    INFO(s->setup.message);
    CHECK(s->setup.cal_stage == CalStage::Done);
    CHECK(s->setup.config.scale.hx711_offset == Approx(1000));
    CHECK(s->setup.config.scale.hx711_grams_per_count == Approx(1000.0 / 420000.0));
    CHECK(s->setup.dirty);
    f.st->apply(Intent{IntentKind::SetupSave});
    auto saved = load_config(f.dir + "/config.toml");
    REQUIRE(saved.ok());
    CHECK(saved->scale.driver == "hx711");
    CHECK(saved->scale.hx711_grams_per_count == Approx(1000.0 / 420000.0));
}
