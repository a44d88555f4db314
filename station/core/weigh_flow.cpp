#include "station/core/weigh_flow.hpp"

#include <cmath>

namespace batchivo::station {

std::string_view to_string(WeighStage s) {
    switch (s) {
        case WeighStage::Idle: return "idle";
        case WeighStage::Problem: return "problem";
        case WeighStage::Card: return "card";
        case WeighStage::Weighing: return "weighing";
        case WeighStage::Saved: return "saved";
    }
    return "?";
}

std::string_view to_string(WeighProblem p) {
    switch (p) {
        case WeighProblem::None: return "none";
        case WeighProblem::UnknownLabel: return "unknown_label";
        case WeighProblem::ForeignLabel: return "foreign_label";
        case WeighProblem::FilamentLabel: return "filament_label";
        case WeighProblem::NotInCatalog: return "not_in_catalog";
        case WeighProblem::PairingLabel: return "pairing_label";
        case WeighProblem::AboveInitial: return "above_initial";
        case WeighProblem::NegativeNet: return "negative_net";
        case WeighProblem::UnstableLong: return "unstable";
        case WeighProblem::ScaleDisconnected: return "scale_disconnected";
        case WeighProblem::NoTare: return "no_tare";
        case WeighProblem::NoChange: return "no_change";
    }
    return "?";
}

void WeighFlow::scan_problem(WeighProblem p, std::string message, std::string raw) {
    stage_ = WeighStage::Problem;
    problem_ = p;
    problem_text_ = std::move(message);
    scanned_ = std::move(raw);
    spool_.reset();
    saved_.reset();
    preferred_tare_.reset();
    manual_tare_.reset();
}

void WeighFlow::scan_spool(const Spool& spool, std::string raw) {
    spool_ = spool;
    scanned_ = std::move(raw);
    problem_ = WeighProblem::None;
    problem_text_.clear();
    preferred_tare_.reset();
    manual_tare_.reset();
    saved_.reset();
    saved_text_.clear();
    committed_this_placement_ = false;
    stage_ = on_pan() ? WeighStage::Weighing : WeighStage::Card;
}

bool WeighFlow::on_pan() const { return scale_.connected && scale_.grams && *scale_.grams >= s_.on_pan_g; }

void WeighFlow::scale(const platform::ScaleReadout& st, int64_t now_ms) {
    scale_ = st;
    now_ms_ = now_ms;
    if (st.connected && st.stable) moving_since_ms_ = 0;
    else if (moving_since_ms_ == 0) moving_since_ms_ = now_ms;
    const bool pan = on_pan();
    switch (stage_) {
        case WeighStage::Card:
            if (pan) stage_ = WeighStage::Weighing;
            break;
        case WeighStage::Weighing:
            if (!pan && st.connected) {
                stage_ = WeighStage::Card;
                committed_this_placement_ = false;
            }
            break;
        case WeighStage::Saved:
            if (!pan && st.connected) committed_this_placement_ = false;
            else if (pan && !committed_this_placement_) {
                stage_ = WeighStage::Weighing;  // the spool went back on: a new weighing, the undo offer ends
                saved_.reset();
            }
            break;
        default: break;
    }
}

std::optional<NewRecord> WeighFlow::tick(int64_t now_ms) {
    now_ms_ = now_ms;
    if (stage_ == WeighStage::Saved && saved_ && now_ms - saved_at_ms_ >= s_.undo_ms && !on_pan()) {
        stage_ = WeighStage::Idle;  // ready for the next spool; the saved banner stays
        spool_.reset();
        saved_.reset();
    }
    if (s_.auto_commit && stage_ == WeighStage::Weighing && !committed_this_placement_ && scale_.stable &&
        scale_.stable_since_ms > 0 && now_ms - scale_.stable_since_ms >= s_.auto_commit_stable_ms)
        return confirm(now_ms);
    return std::nullopt;
}

WeighFlow::Eval WeighFlow::evaluate() const {
    Eval e;
    if (!spool_) return e;
    TareInputs in;
    in.spool = &*spool_;
    in.catalog = s_.catalog;
    in.station_default_g = s_.station_default_tare_g;
    in.manual_g = manual_tare_;
    e.candidates = tare_candidates(in);
    e.tare = resolve_tare(in, preferred_tare_);
    if (e.tare)
        for (size_t i = 0; i < e.candidates.size(); ++i)
            if (e.candidates[i].source == e.tare->source) e.tare_index = static_cast<int>(i);
    if (e.tare && scale_.connected && scale_.grams)
        e.result = evaluate_weighing(*scale_.grams, *e.tare, spool_->initial_weight_g, spool_->current_weight_g);
    return e;
}

void WeighFlow::choose_tare(int index) {
    auto e = evaluate();
    if (index >= 0 && index < static_cast<int>(e.candidates.size())) {
        preferred_tare_ = e.candidates[size_t(index)].source;
        committed_this_placement_ = committed_this_placement_ && stage_ != WeighStage::Weighing;
    }
}

void WeighFlow::set_manual_tare(double grams) {
    manual_tare_ = grams;
    preferred_tare_ = TareSource::Manual;
}

std::optional<NewRecord> WeighFlow::confirm(int64_t now_ms) {
    now_ms_ = now_ms;
    if (saving_ || stage_ != WeighStage::Weighing || committed_this_placement_ || !scale_.stable) return std::nullopt;
    auto e = evaluate();
    if (!e.result || !e.result->ok() || !e.result->type) return std::nullopt;
    committed_this_placement_ = true;
    NewRecord r;
    r.spool_uuid = spool_->id;
    r.spool_label = spool_->spool_id;
    r.type = *e.result->type;
    r.quantity_grams = e.result->quantity_grams;
    r.measurement = Measurement{e.result->gross_g, e.result->tare.grams, e.result->tare.source, e.result->net_g};
    r.notes = "weighed at the station";
    saving_ = true;
    return r;
}

void WeighFlow::saved(const OutboxRecord& rec, int resulting_weight_g, int64_t now_ms) {
    saving_ = false;
    if (spool_ && spool_->id != rec.spool_uuid) {  // another spool was scanned while this one was being saved
        saved_text_ = "Saved \u2014 will sync";
        saved_spool_ = rec.spool_label;
        return;
    }
    saved_ = rec;
    saved_at_ms_ = now_ms;
    saved_weight_g_ = resulting_weight_g;
    undo_done_ = false;
    if (spool_) spool_->current_weight_g = resulting_weight_g;
    saved_text_ = "Saved \u2014 will sync";
    saved_spool_ = spool_ ? spool_->spool_id : rec.spool_label;
    stage_ = WeighStage::Saved;
}

void WeighFlow::save_failed(const std::string& message) {
    saving_ = false;
    committed_this_placement_ = false;
    problem_text_ = "Not saved: " + message;
}

std::optional<NewRecord> WeighFlow::undo(int64_t now_ms) {
    if (saving_ || stage_ != WeighStage::Saved || !saved_ || undo_done_ || now_ms - saved_at_ms_ >= s_.undo_ms)
        return std::nullopt;
    NewRecord r;
    r.spool_uuid = saved_->spool_uuid;
    r.spool_label = saved_->spool_label;
    r.type = TransactionType::Adjustment;
    r.quantity_grams = -saved_->quantity_grams;
    r.notes = "undo of " + saved_->id;
    saving_ = true;
    return r;
}

void WeighFlow::undo_failed() { saving_ = false; }

void WeighFlow::undone(int restored_weight_g) {
    saving_ = false;
    undo_done_ = true;
    if (spool_) spool_->current_weight_g = restored_weight_g;
    saved_.reset();
    saved_text_ = "Undone \u2014 the weighing was taken back";
    stage_ = on_pan() ? WeighStage::Weighing : WeighStage::Card;
    committed_this_placement_ = on_pan();  // no immediate auto-commit of the same placement
}

void WeighFlow::clear() {
    stage_ = WeighStage::Idle;
    problem_ = WeighProblem::None;
    problem_text_.clear();
    spool_.reset();
    saved_.reset();
    preferred_tare_.reset();
    manual_tare_.reset();
}

void WeighFlow::spool_updated(const Spool& spool) {
    if (spool_ && spool_->id == spool.id) spool_ = spool;
}

bool WeighFlow::animating(int64_t now_ms) const {
    if (stage_ == WeighStage::Saved && saved_ && now_ms - saved_at_ms_ < s_.undo_ms + 100) return true;
    if (s_.auto_commit && stage_ == WeighStage::Weighing && !committed_this_placement_ && scale_.stable) return true;
    return false;
}

WeighView WeighFlow::view(int64_t now_ms) const {
    WeighView v;
    v.stage = stage_;
    v.problem = problem_;
    v.problem_text = problem_text_;
    v.scanned = scanned_;
    v.saved_text = saved_text_;
    v.saved_spool = saved_spool_;
    v.auto_commit = s_.auto_commit;
    v.on_pan = on_pan();
    v.saving = saving_;
    v.stable = scale_.connected && scale_.stable;
    if (scale_.connected) v.gross_g = scale_.grams;
    if (spool_) v.card = SpoolCard{*spool_, stock_info(*spool_)};
    if (saved_) v.saved_weight_g = saved_weight_g_;
    if (stage_ == WeighStage::Saved && saved_ && !undo_done_) {
        int64_t left = s_.undo_ms - (now_ms - saved_at_ms_);
        v.undo_remaining_ms = left > 0 ? static_cast<int>(left) : 0;
    }
    if (stage_ == WeighStage::Problem || stage_ == WeighStage::Idle) return v;

    auto e = evaluate();
    v.tare_candidates = e.candidates;
    v.tare = e.tare;
    v.tare_index = e.tare_index;
    if (!scale_.connected) {
        v.problem = WeighProblem::ScaleDisconnected;
        v.problem_text = "The scale is not connected" + (scale_.error.empty() ? std::string(".") : ": " + scale_.error);
        return v;
    }
    if (stage_ == WeighStage::Saved && saved_) {
        if (e.result) v.net_g = e.result->net_g;
        v.used_since_last_g = -saved_->quantity_grams;  // what was just recorded
        return v;
    }
    if (stage_ != WeighStage::Weighing) return v;
    if (!e.tare) {
        v.problem = WeighProblem::NoTare;
        v.problem_text = "No empty-spool weight is known for this spool. Set a station default tare in Setup.";
        return v;
    }
    if (e.result) {
        v.net_g = e.result->net_g;
        if (e.result->type || e.result->ok()) v.used_since_last_g = -e.result->quantity_grams;
        if (!e.result->ok()) {
            v.problem = e.result->error == WeighingError::AboveInitial ? WeighProblem::AboveInitial
                                                                          : WeighProblem::NegativeNet;
            v.problem_text = e.result->message;
            if (e.result->error == WeighingError::AboveInitial)
                v.problem_text += " Check the tare: tap it to choose another.";
            return v;
        }
        if (!e.result->type) {
            v.problem = WeighProblem::NoChange;
            v.problem_text = "Same weight as the last weighing \u2014 nothing to record.";
            return v;
        }
    }
    if (!scale_.stable && moving_since_ms_ > 0 && now_ms - moving_since_ms_ >= s_.unstable_warn_ms) {
        v.problem = WeighProblem::UnstableLong;
        v.problem_text = "The reading keeps moving. Let the spool rest, keep the pan clear of cables and drafts.";
    }
    v.can_confirm =
        !saving_ && scale_.stable && !committed_this_placement_ && e.result && e.result->ok() && e.result->type;
    if (v.can_confirm && s_.auto_commit && scale_.stable_since_ms > 0) {
        double p = double(now_ms - scale_.stable_since_ms) / std::max(1, s_.auto_commit_stable_ms);
        v.auto_commit_progress = std::min(1.0, std::max(0.0, p));
    }
    return v;
}

}  // namespace batchivo::station
