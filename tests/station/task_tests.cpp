// The task runner (station/core/task.*) and the "Saving…" state of the weigh and usage flows: work runs off the
// calling thread, results come back through the EventQueue in order, exceptions become error results, and
// stop() finishes queued work but delivers nothing more.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "station/core/event_queue.hpp"
#include "station/core/screens/usage.hpp"
#include "station/core/task.hpp"
#include "station/core/weigh_flow.hpp"

using namespace batchivo;
using namespace batchivo::station;

namespace {

// Drains the queue until `done()` holds (or about a second has passed).
template <class P>
bool pump(EventQueue& q, P done) {
    for (int i = 0; i < 200 && !done(); ++i) {
        q.drain();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    q.drain();
    return done();
}

}  // namespace

TEST_CASE("task runner: work runs off the calling thread, results arrive through the queue in order") {
    EventQueue q;
    TaskRunner tasks(q);
    const auto ui = std::this_thread::get_id();
    std::vector<int> got;
    std::atomic<int> off_thread{0};
    for (int i = 0; i < 20; ++i)
        REQUIRE(tasks.run<int>(
            [i, ui, &off_thread](const std::atomic<bool>&) -> Result<int> {
                if (std::this_thread::get_id() != ui) ++off_thread;
                if (i % 3 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
                return i;
            },
            [&got, ui](Result<int> r) {
                CHECK(std::this_thread::get_id() == ui);  // delivered on the draining (UI) thread
                got.push_back(r.value_or(-1));
            }));
    CHECK(got.empty());  // nothing is delivered before the queue is drained
    REQUIRE(pump(q, [&] { return got.size() == 20; }));
    for (int i = 0; i < 20; ++i) CHECK(got[size_t(i)] == i);
    CHECK(off_thread == 20);
    CHECK(tasks.pending() == 0);
}

TEST_CASE("task runner: an exception inside a task becomes an error result and never crosses the thread") {
    EventQueue q;
    TaskRunner tasks(q);
    std::optional<Error> err;
    bool after = false;
    tasks.run<int>([](const std::atomic<bool>&) -> Result<int> { throw std::runtime_error("disk on fire"); },
                   [&](Result<int> r) {
                       if (!r.ok()) err = r.error();
                   });
    tasks.run<int>([](const std::atomic<bool>&) -> Result<int> { throw 42; },
                   [&](Result<int> r) { CHECK_FALSE(r.ok()); });
    tasks.run<int>([](const std::atomic<bool>&) -> Result<int> { return 1; }, [&](Result<int> r) { after = r.ok(); });
    REQUIRE(pump(q, [&] { return after; }));  // the worker survived both
    REQUIRE(err);
    CHECK(err->code == "exception");
    CHECK(err->message == "disk on fire");
    CHECK(q.failed() == 0);
}

TEST_CASE("task runner: stop() finishes queued work, aborts long work, and delivers no result afterwards") {
    EventQueue q;
    std::atomic<int> ran{0};
    std::atomic<bool> saw_abort{false};
    int delivered = 0;
    {
        TaskRunner tasks(q);
        tasks.run<int>(
            [&](const std::atomic<bool>& abort) -> Result<int> {  // a "network" task that honours the flag
                for (int i = 0; i < 500 && !abort; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
                saw_abort = abort.load();
                ++ran;
                return 0;
            },
            [&](Result<int>) { ++delivered; });
        for (int i = 0; i < 5; ++i)
            tasks.run<int>([&](const std::atomic<bool>&) -> Result<int> { return ++ran; },
                           [&](Result<int>) { ++delivered; });
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        tasks.stop();
        CHECK(ran == 6);  // queued work (a record write) is never dropped
        CHECK(saw_abort);
        CHECK(tasks.stopped());
        CHECK_FALSE(tasks.run<int>([](const std::atomic<bool>&) -> Result<int> { return 0; },
                                   [&](Result<int>) { ++delivered; }));
    }
    q.drain();
    CHECK(delivered == 0);  // results after stop() are dropped
}

TEST_CASE("weigh flow: confirm shows Saving until the write is back, a confirm while saving is ignored") {
    WeighFlow f;
    Spool s;
    s.id = "0193b000-0000-7000-8000-000000000001";
    s.spool_id = "FIL-001";
    s.initial_weight_g = 1000;
    s.current_weight_g = 800;
    s.empty_spool_weight_g = 200;
    platform::ScaleReadout st;
    st.connected = true;
    st.grams = 963.4;
    st.stable = true;
    st.stable_since_ms = 100;
    f.scan_spool(s, "FIL-001");
    f.scale(st, 1200);
    auto r = f.confirm(1200);
    REQUIRE(r);
    auto v = f.view(1201);
    CHECK(v.saving);
    CHECK(v.stage == WeighStage::Weighing);  // not "Saved" before the write is back
    CHECK_FALSE(v.can_confirm);
    CHECK_FALSE(f.confirm(1202));
    CHECK_FALSE(f.tick(5000));
    OutboxRecord rec;
    rec.id = "r1";
    rec.spool_uuid = s.id;
    rec.spool_label = s.spool_id;
    rec.quantity_grams = r->quantity_grams;
    f.saved(rec, 763, 1300);
    v = f.view(1301);
    CHECK_FALSE(v.saving);
    CHECK(v.stage == WeighStage::Saved);
    auto u = f.undo(1400);
    REQUIRE(u);
    CHECK(f.view(1401).saving);
    CHECK_FALSE(f.undo(1402));  // a double tap on Undo takes it back once
    f.undo_failed();
    CHECK_FALSE(f.saving());
    CHECK(f.undo(1500));  // a failed undo can be tried again
}

TEST_CASE("log usage flow: submit shows Saving, a second submit while saving writes nothing, errors keep the entry") {
    UsageFlow u;
    Spool s;
    s.id = "0193b000-0000-7000-8000-000000000001";
    s.spool_id = "FIL-001";
    s.initial_weight_g = 1000;
    s.current_weight_g = 800;
    u.set_spool(s);
    u.key('1');
    u.key('5');
    REQUIRE(u.submit());
    CHECK(u.view().saving);
    CHECK_FALSE(u.view().can_submit);
    CHECK_FALSE(u.submit());
    u.save_failed("disk full");
    CHECK_FALSE(u.saving());
    CHECK(u.view().message_is_error);
    CHECK(u.view().entry == "15");  // nothing lost: the operator can try again
    REQUIRE(u.submit());
    u.saved(785);
    CHECK_FALSE(u.view().saving);
    CHECK(u.view().entry.empty());
    CHECK(u.view().card->spool.current_weight_g == 785);
}
