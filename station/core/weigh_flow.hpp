// The weigh flow as a plain state machine: idle -> scanned spool card (or a problem) -> weighing with live
// gross/tare/net/stability -> confirm (or auto-commit after the reading has been stable long enough) -> saved,
// with an undo window -> ready for the next spool. No I/O: the weigh screen's controller (screens/weigh.*) writes
// the records the flow asks for and feeds the results back; between the two the flow is "saving" and asks for
// nothing more (a second tap or an auto-commit tick writes no second record). Time is passed in (steady ms) so tests drive it deterministically.
#pragma once

#include <optional>
#include <string>

#include "station/core/snapshot.hpp"
#include "sync/domain/tare_catalog.hpp"

namespace batchivo::station {

struct WeighSettings {
    bool auto_commit = false;
    int auto_commit_stable_ms = 2000;
    int undo_ms = 5000;
    int unstable_warn_ms = 8000;    // moving this long -> "scale unstable" explanation
    double on_pan_g = 5.0;          // gross above this = something is on the pan
    std::optional<double> station_default_tare_g;
    const TareCatalog* catalog = nullptr;  // may be null; must outlive the flow
};

class WeighFlow {
public:
    explicit WeighFlow(WeighSettings s = {}) : s_(s) {}
    void set_settings(const WeighSettings& s) { s_ = s; }

    // A scanned label could not be turned into a spool: explain it.
    void scan_problem(WeighProblem p, std::string message, std::string raw);
    // A scanned label resolved to a spool in the catalog.
    void scan_spool(const Spool& spool, std::string raw);
    void scale(const platform::ScaleReadout& st, int64_t now_ms);
    // Returns a record to write when auto-commit is due (the caller writes it and calls saved()).
    std::optional<NewRecord> tick(int64_t now_ms);
    void choose_tare(int index);
    void set_manual_tare(double grams);
    // The record the confirm button writes; nullopt when confirming is not allowed right now (or while saving).
    std::optional<NewRecord> confirm(int64_t now_ms);
    void saved(const OutboxRecord& rec, int resulting_weight_g, int64_t now_ms);
    void save_failed(const std::string& message);
    // Within the undo window: the compensating record that takes the last weighing back.
    std::optional<NewRecord> undo(int64_t now_ms);
    void undone(int restored_weight_g);
    void undo_failed();
    bool saving() const { return saving_; }  // a record it asked for is being written
    void clear();  // back to idle
    void spool_updated(const Spool& spool);  // catalog refresh of the card's spool

    WeighView view(int64_t now_ms) const;
    bool animating(int64_t now_ms) const;  // countdowns running
    const std::optional<Spool>& spool() const { return spool_; }

private:
    struct Eval {
        std::vector<Tare> candidates;
        std::optional<Tare> tare;
        int tare_index = -1;
        std::optional<WeighingResult> result;
    };
    Eval evaluate() const;
    bool on_pan() const;

    WeighSettings s_;
    WeighStage stage_ = WeighStage::Idle;
    WeighProblem problem_ = WeighProblem::None;
    std::string problem_text_;
    std::string scanned_;
    std::optional<Spool> spool_;
    std::optional<TareSource> preferred_tare_;
    std::optional<double> manual_tare_;
    platform::ScaleReadout scale_;
    int64_t moving_since_ms_ = 0;
    int64_t now_ms_ = 0;
    // saved state
    std::optional<OutboxRecord> saved_;
    int saved_weight_g_ = 0;
    int64_t saved_at_ms_ = 0;
    bool undo_done_ = false;
    std::string saved_text_;
    std::string saved_spool_;
    bool committed_this_placement_ = false;  // auto-commit once per placement
    bool saving_ = false;                    // between confirm()/undo() and saved()/undone()/..._failed()
};

}  // namespace batchivo::station
