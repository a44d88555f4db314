// The weigh screen (home): scan a spool, weigh it, confirm (or auto-commit), undo.
// WeighScreen is the controller around WeighFlow (weigh_flow.*, the display-free state machine): it handles the
// weigh intents, turns scans into a spool card or an operator-facing explanation of the problem (the wording
// lives here), feeds scale readings in, writes the records the flow asks for through the host (the flow shows
// "Saving…" until the durable write is back) and fills StationSnapshot::weigh. UI thread only.
#pragma once

#include "station/core/screens/screen.hpp"
#include "station/core/weigh_flow.hpp"

namespace batchivo::station {

// The explanation shown when a scanned label does not lead to a spool in the catalog.
struct ScanProblem {
    WeighProblem problem;
    std::string text;
};
// `target` is the sync target's kind ("central", "spoolman", "batchivo"): a label of the connected server's own kind
// that the catalog lacks is "not in the catalog yet" (sync), another system's label is "foreign".
ScanProblem explain_scan(const platform::LabelRef& label, bool paired, std::string_view target = "central");

class WeighScreen : public ScreenController {
public:
    explicit WeighScreen(ScreenHost& host) : host_(host) {}
    bool handle(const Intent& in) override;
    void fill(StationSnapshot& s, int64_t now_ms) const override { s.weigh = flow_.view(now_ms); }
    bool scanned(const platform::LabelRef& label, const std::optional<Spool>& spool) override;  // always takes it
    void catalog_loaded(const std::shared_ptr<const CatalogIndex>& idx) override;
    void config_changed(const StationConfig& cfg) override;
    void scale_changed(const platform::ScaleReadout& st, int64_t now_ms) override { flow_.scale(st, now_ms); }
    void tick(int64_t now_ms) override;
    bool animating(int64_t now_ms) const override { return flow_.animating(now_ms); }
    const Spool* spool() const override { return flow_.spool() ? &*flow_.spool() : nullptr; }
    const WeighFlow& flow() const { return flow_; }

private:
    void commit(const NewRecord& r);
    ScreenHost& host_;
    WeighFlow flow_;
};

}  // namespace batchivo::station
