// The Setup screen's Printer tab and the spool detail's "Print label" through the Station without a display: spec
// validation, size chips, the test label printed in a network task (the png:DIR backend writes real files), the
// detail's button disabled without a printer, and the result as a setup message / a toast.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "station/core/demo.hpp"
#include "station/core/station.hpp"

using namespace batchivo;
using namespace batchivo::station;
namespace fs = std::filesystem;

namespace {

struct Fixture {
    std::string dir;
    std::unique_ptr<Station> st;
    Fixture() {
        dir = fs::temp_directory_path() / ("station-printing-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
        {
            StationStore store(dir + "/station.db");
            auto cat = make_demo_catalog("0193d000-0000-7000-8000-000000000001", 5);
            store.upsert_material_types(cat.materials);
            store.upsert_spools(cat.spools);
        }
        StationOptions o;
        o.data_dir = dir;
        st = std::make_unique<Station>(o);
        REQUIRE(st->start([] {}).ok());
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
    void type_spec(const std::string& spec) {
        st->apply(Intent{IntentKind::SetupEdit, {}, 0, static_cast<int>(SetupField::PrinterSpec)});
        auto s = snap();
        for (size_t i = 0; i < s->setup.edit_buffer.size(); ++i) st->apply(Intent{IntentKind::SetupBackspace});
        st->apply(Intent{IntentKind::SetupKey, spec});
        st->apply(Intent{IntentKind::SetupEditDone});
    }
    bool has_toast(const std::string& part, bool error) {
        for (const auto& t : snap()->toasts)
            if (t.text.find(part) != std::string::npos && t.error == error) return true;
        return false;
    }
};

int files_in(const std::string& d) {
    if (!fs::exists(d)) return 0;
    int n = 0;
    for (const auto& e : fs::directory_iterator(d)) {
        std::ifstream in(e.path(), std::ios::binary);
        char sig[8] = {};
        in.read(sig, 8);
        if (std::string(sig + 1, 3) == "PNG" && fs::file_size(e.path()) > 100) ++n;
    }
    return n;
}

}  // namespace

TEST_CASE("setup printer tab: spec validation, size chips, test label in a network task") {
    Fixture f;
    REQUIRE(f.until([](const StationSnapshot& s) { return s.stock.catalog_size == 5; }));
    f.st->apply(Intent{IntentKind::Navigate, "setup"});
    auto s = f.snap();
    REQUIRE(s->screen == Screen::Setup);
    CHECK(s->setup.config.printer.spec.empty());
    CHECK(s->setup.label_sizes == std::vector<std::string>{"62mm", "50x30", "40x30"});

    // No printer yet: the test label explains, nothing runs.
    f.st->apply(Intent{IntentKind::SetupTestPrint});
    s = f.snap();
    CHECK_FALSE(s->setup.printing);
    CHECK(s->setup.message_is_error);
    CHECK_THAT(s->setup.message, Catch::Contains("printer spec first"));

    // A bad spec is refused with the parser's message; the draft keeps no printer.
    f.type_spec("laserjet:/dev/lp0");
    s = f.snap();
    CHECK(s->setup.message_is_error);
    CHECK(s->setup.config.printer.spec.empty());

    // Size chips: a station size is taken; anything else is refused and changes nothing.
    f.st->apply(Intent{IntentKind::SetupPrinterSize, "50x30"});
    CHECK(f.snap()->setup.config.printer.size == "50x30");
    f.st->apply(Intent{IntentKind::SetupPrinterSize, "a4-3x8"});
    s = f.snap();
    CHECK(s->setup.config.printer.size == "50x30");
    CHECK(s->setup.message_is_error);
    f.st->apply(Intent{IntentKind::SetupPrinterSize, "99x99"});
    CHECK(f.snap()->setup.config.printer.size == "50x30");

    // png:DIR: the test label is rendered and written in a network task; the message says where.
    const std::string out = f.dir + "/labels";
    fs::create_directories(out);
    f.type_spec("png:" + out);
    s = f.snap();
    CHECK(s->setup.config.printer.spec == "png:" + out);
    CHECK(s->setup.dirty);
    f.st->apply(Intent{IntentKind::SetupTestPrint});
    CHECK(f.snap()->setup.message.find("Printing a test label") != std::string::npos);
    f.st->apply(Intent{IntentKind::SetupTestPrint});  // a second tap while printing prints nothing more
    REQUIRE(f.until([](const StationSnapshot& x) { return !x.setup.printing; }));
    s = f.snap();
    INFO(s->setup.message);
    CHECK_FALSE(s->setup.message_is_error);
    CHECK_THAT(s->setup.message, Catch::Contains("Test label sent to " + out));
    CHECK(files_in(out) == 1);

    // A printer that fails: the message is an error, no file anywhere.
    f.type_spec("png:" + f.dir + "/station.db/not-a-dir");
    f.st->apply(Intent{IntentKind::SetupTestPrint});
    REQUIRE(f.until([](const StationSnapshot& x) { return !x.setup.printing && x.setup.message_is_error; }));
    CHECK_THAT(f.snap()->setup.message, Catch::Contains("Test label failed"));
}

TEST_CASE("spool detail print label: disabled without a printer, printed in a task, toast on success and failure") {
    Fixture f;
    REQUIRE(f.until([](const StationSnapshot& s) { return s.stock.catalog_size == 5; }));
    f.st->apply(Intent{IntentKind::Navigate, "stock"});
    REQUIRE_FALSE(f.snap()->stock.rows.empty());
    const std::string uuid = f.snap()->stock.rows.front().uuid;
    const std::string sid = f.snap()->stock.rows.front().spool_id;
    f.st->apply(Intent{IntentKind::OpenSpool, uuid});
    auto s = f.snap();
    REQUIRE(s->screen == Screen::SpoolDetail);
    CHECK_FALSE(s->detail.printer_configured);
    f.st->apply(Intent{IntentKind::DetailPrintLabel});
    CHECK_FALSE(f.snap()->detail.printing);
    CHECK(f.has_toast("No label printer", true));

    // Configure png:DIR in Setup and save it.
    const std::string out = f.dir + "/labels";
    fs::create_directories(out);
    f.st->apply(Intent{IntentKind::Navigate, "setup"});
    f.type_spec("png:" + out);
    f.st->apply(Intent{IntentKind::SetupSave});
    REQUIRE(f.snap()->setup.config.printer.spec == "png:" + out);
    f.st->apply(Intent{IntentKind::OpenSpool, uuid});
    s = f.snap();
    REQUIRE(s->screen == Screen::SpoolDetail);
    CHECK(s->detail.printer_configured);
    f.st->apply(Intent{IntentKind::DetailPrintLabel});
    CHECK(f.snap()->detail.printing);
    f.st->apply(Intent{IntentKind::DetailPrintLabel});  // double tap: one label
    REQUIRE(f.until([](const StationSnapshot& x) { return !x.detail.printing; }));
    CHECK(f.has_toast("Label for " + sid + " printed", false));
    CHECK(files_in(out) == 1);

    // A failing printer: an error toast.
    f.st->apply(Intent{IntentKind::Navigate, "setup"});
    f.type_spec("png:" + f.dir + "/station.db/not-a-dir");
    f.st->apply(Intent{IntentKind::SetupSave});
    f.st->apply(Intent{IntentKind::OpenSpool, uuid});
    f.st->apply(Intent{IntentKind::DetailPrintLabel});
    REQUIRE(f.until([](const StationSnapshot& x) { return !x.detail.printing; }));
    CHECK(f.has_toast("Label not printed", true));
    CHECK(files_in(out) == 1);
}
