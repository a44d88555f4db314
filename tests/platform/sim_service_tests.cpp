// The simulated scale (script + runtime controls) and the ScaleService on top of it.
#include <catch2/catch.hpp>

#include <fstream>
#include <mutex>

#include "platform/scale/scale_registry.hpp"
#include "platform/scale/scale_service.hpp"
#include "platform/scale/sim_scale.hpp"
#include "test_util.hpp"

using namespace batchivo::platform;
using batchivo::Error;
using batchivo::Result;
using namespace std::chrono_literals;

TEST_CASE("sim script parsing: steps, comments and clear errors") {
    auto steps = parse_sim_script("# demo\nnoise 0.1\nplace 250  # a spool\nwait 500\nstatus overload\nstatus normal\n"
                                  "remove\nmotion 300\ndisconnect\nreconnect\n");
    REQUIRE(steps);
    REQUIRE(steps->size() == 9);
    CHECK((*steps)[1].kind == SimStep::Kind::Place);
    CHECK((*steps)[1].value == 250);
    CHECK((*steps)[3].status == ScaleStatus::Overload);
    CHECK_FALSE((*steps)[4].status);
    CHECK(parse_sim_script("place\n").error() == Error{"invalid_data", "line 1: 'place' needs a number"});
    CHECK(parse_sim_script("wait 10\nwait -5\n").error().message == "line 2: 'wait' needs a non-negative number");
    CHECK(parse_sim_script("jump 3\n").error().message == "line 1: unknown step 'jump'");
    CHECK_FALSE(parse_sim_script("status sideways\n").ok());
    CHECK_FALSE(parse_sim_script("remove now\n").ok());
}

TEST_CASE("sim scale: place moves the reading, then it settles with small noise, remove, forced statuses") {
    SimScaleOptions o;
    o.period = 10ms;
    o.motion = 200ms;
    o.noise_g = 0.2;
    SimScale s(o);
    REQUIRE(s.open().ok());
    s.place(250);
    bool saw_motion = false;
    std::optional<ScaleReading> r;
    for (int i = 0; i < 15; ++i) {
        r = s.read(100ms);
        REQUIRE(r);
        saw_motion |= r->status == ScaleStatus::InMotion;
    }
    CHECK(saw_motion);
    std::this_thread::sleep_for(220ms);
    for (int i = 0; i < 20; ++i) {
        r = s.read(100ms);
        REQUIRE(r);
        CHECK(r->status == ScaleStatus::Stable);
        CHECK(*r->grams == Approx(250.0).margin(1.5));
    }
    s.set_status(ScaleStatus::Overload);
    r = s.read(100ms);
    CHECK(r->status == ScaleStatus::Overload);
    CHECK_FALSE(r->grams);
    s.set_status(std::nullopt);
    s.remove();
    std::this_thread::sleep_for(220ms);
    r = s.read(100ms);
    CHECK(r->status == ScaleStatus::AtZero);
    // zero at a load: the display reads 0 with the load on
    s.place(100);
    std::this_thread::sleep_for(220ms);
    REQUIRE(s.zero().ok());
    r = s.read(100ms);
    CHECK(*r->grams == Approx(0.0).margin(1.0));
}

TEST_CASE("sim scale: disconnect and reconnect at runtime") {
    SimScaleOptions o;
    o.period = 10ms;
    SimScale s(o);
    REQUIRE(s.open().ok());
    REQUIRE(s.read(100ms));
    s.disconnect();
    auto r = s.read(100ms);
    REQUIRE(r);
    CHECK(r->status == ScaleStatus::Disconnected);
    s.close();
    CHECK(s.open().error() == Error{"disconnected", "simulated scale is unplugged"});
    s.reconnect();
    CHECK(s.open().ok());
    r = s.read(100ms);
    REQUIRE(r);
    CHECK(r->status != ScaleStatus::Disconnected);
}

TEST_CASE("sim scale from a script file drives weights and an unplug") {
    ptest::TempDir dir;
    {
        std::ofstream f(dir.file("demo.sim"));
        f << "motion 0\nnoise 0\nplace 500\nwait 250\nstatus fault\nwait 250\nstatus normal\ndisconnect\n";
    }
    ScaleSettings st;
    st.driver = "sim";
    st.device = dir.file("demo.sim");
    auto created = create_scale(st);
    REQUIRE(created.ok());
    auto sc = std::move(*created);
    CHECK_THAT(sc->describe(), Catch::Contains("demo.sim"));
    REQUIRE(sc->open().ok());
    std::vector<ScaleStatus> seen;
    for (int i = 0; i < 100; ++i) {
        auto r = sc->read(50ms);
        if (!r) continue;
        if (seen.empty() || seen.back() != r->status) seen.push_back(r->status);
        if (r->status == ScaleStatus::Stable) CHECK(*r->grams == Approx(500.0));
        if (r->status == ScaleStatus::Disconnected) break;
    }
    CHECK(seen == std::vector<ScaleStatus>{ScaleStatus::Stable, ScaleStatus::Fault, ScaleStatus::Disconnected});
    st.device = dir.file("missing.sim");
    auto missing = create_scale(st);
    REQUIRE(missing.ok());
    auto opened = (*missing)->open();
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().code == "io");
    CHECK_THAT(opened.error().message, Catch::Contains("missing.sim"));
}

TEST_CASE("scale service: stable weight events, software-free zero, disconnect/reconnect, prompt stop") {
    SimScaleOptions o;
    o.period = 20ms;
    o.motion = 150ms;
    o.noise_g = 0.1;
    auto sim = std::make_unique<SimScale>(o);
    SimScale* ctl = sim.get();
    std::mutex mu;
    std::vector<ScaleState> states;
    ScaleServiceOptions opt;
    opt.read_timeout = 50ms;
    opt.backoff_initial = 20ms;
    opt.stability = {2.0, 300ms, 1000ms};
    ScaleService svc(std::move(sim), opt, [&](const ScaleState& s) {
        std::lock_guard<std::mutex> lk(mu);
        states.push_back(s);
    });
    svc.start();
    REQUIRE(ptest::wait_for([&] { return svc.snapshot().stable; }));  // empty pan settles at zero
    const auto events0 = svc.snapshot().stable_events;
    ctl->place(1000);
    REQUIRE(ptest::wait_for([&] { auto s = svc.snapshot(); return s.stable && s.stable_grams && *s.stable_grams > 990; }));
    auto st = svc.snapshot();
    CHECK(*st.stable_grams == Approx(1000.0).margin(0.5));
    CHECK(st.stable_events == events0 + 1);
    CHECK(st.connected);
    CHECK(st.describe == "simulated scale");
    {
        std::lock_guard<std::mutex> lk(mu);
        bool moved = false;
        for (const auto& s : states) moved |= s.status == ScaleStatus::InMotion && !s.stable;
        CHECK(moved);
    }
    svc.zero();  // the sim supports the device zero
    REQUIRE(ptest::wait_for([&] { auto s = svc.snapshot(); return s.message == "zeroed" && s.grams && std::abs(*s.grams) < 1.0; }));
    ctl->disconnect();
    REQUIRE(ptest::wait_for([&] { return !svc.snapshot().connected; }));
    CHECK(svc.snapshot().status == ScaleStatus::Disconnected);
    CHECK_FALSE(svc.snapshot().stable);
    REQUIRE(ptest::wait_for([&] { return svc.snapshot().message.find("cannot open") != std::string::npos; }));
    ctl->reconnect();
    REQUIRE(ptest::wait_for([&] { return svc.snapshot().connected && svc.snapshot().grams.has_value(); }));
    svc.stop();
    CHECK(svc.snapshot().message == "stopped");
}

TEST_CASE("scale service: software zero for scales without a zero command, auto-zero of drift") {
    // a minimal scale that drifts and cannot be zeroed by command
    class Drifting : public Scale {
    public:
        std::string describe() const override { return "drifting"; }
        Result<> open() override { return {}; }
        void close() override {}
        std::optional<ScaleReading> read(std::chrono::milliseconds) override {
            std::this_thread::sleep_for(5ms);
            ScaleReading r;
            r.at = std::chrono::steady_clock::now();
            r.grams = grams;
            r.status = ScaleStatus::Stable;
            return r;
        }
        std::atomic<double> grams{3.0};
    };
    auto d = std::make_unique<Drifting>();
    auto* ctl = d.get();
    ScaleServiceOptions opt;
    opt.read_timeout = 20ms;
    opt.stability = {2.0, 100ms, 1000ms};
    opt.auto_zero.enabled = true;
    opt.auto_zero.hold = 200ms;
    opt.auto_zero.limit_g = 5.0;
    ScaleService svc(std::move(d), opt, nullptr);
    svc.start();
    REQUIRE(ptest::wait_for([&] { return svc.snapshot().zero_offset_g == Approx(3.0); }));
    REQUIRE(ptest::wait_for([&] { auto s = svc.snapshot(); return s.grams && *s.grams == Approx(0.0) && s.status == ScaleStatus::AtZero; }));
    ctl->grams = 253.0;  // a spool: not drift
    REQUIRE(ptest::wait_for([&] { auto s = svc.snapshot(); return s.stable && s.stable_grams && *s.stable_grams == Approx(250.0); }));
    svc.zero();  // software zero at the load
    REQUIRE(ptest::wait_for([&] { return svc.snapshot().zero_offset_g == Approx(253.0); }));
    CHECK_THAT(svc.snapshot().message, Catch::Contains("software"));
    svc.stop();
}
