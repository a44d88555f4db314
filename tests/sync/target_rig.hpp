// What the suites of the non-central targets share around their fake server (fake_spoolman.hpp,
// fake_batchivo.hpp): a data dir, the station store in it, engine options for real libcurl against the fake's
// socket, and records as the kiosk writes them. Each suite's rig adds its fake and how it connects.
#pragma once

#include <memory>
#include <string>

#include "sync/store/station_store.hpp"
#include "sync_test_util.hpp"

namespace batchivo::test {

struct TargetRig {
    TempDir dir;
    std::unique_ptr<StationStore> store;
    int total_timeout_ms = 5'000;

    explicit TargetRig(const char* tag) : dir(tag), store(std::make_unique<StationStore>(dir.db())) {}

    // The engine over the target stored in `dir` (make_target), real libcurl, catalog pages of 100.
    EngineOptions options() const {
        auto o = engine_options(dir, {});
        o.target.client_factory = {};
        o.target.total_timeout_ms = total_timeout_ms;
        o.catalog_page = 100;
        return o;
    }
    // A usage of `grams` typed without a scale.
    OutboxRecord record_use(const std::string& uuid, const std::string& label, int grams) {
        NewRecord r;
        r.spool_uuid = uuid;
        r.spool_label = label;
        r.type = TransactionType::Usage;
        r.quantity_grams = -grams;
        return store->record(r);
    }
    // A weighing: gross on the scale, the tare the operator saw.
    OutboxRecord record_weighing(const std::string& uuid, const std::string& label, double gross, double tare) {
        NewRecord r;
        r.spool_uuid = uuid;
        r.spool_label = label;
        r.type = TransactionType::Adjustment;
        r.measurement = Measurement{gross, tare, TareSource::Spool, gross - tare};
        return store->record(r);
    }
};

}  // namespace batchivo::test
