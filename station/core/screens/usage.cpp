#include "station/core/screens/usage.hpp"

#include <cstdlib>

namespace batchivo::station {

void UsageFlow::set_spool(const Spool& s) {
    spool_ = s;
    entry_.clear();
    message_.clear();
    error_ = false;
}
void UsageFlow::clear_spool() {
    spool_.reset();
    entry_.clear();
    message_.clear();
}
void UsageFlow::key(char c) {
    message_.clear();
    if (c == '.') {
        if (entry_.find('.') != std::string::npos) return;
        if (entry_.empty()) entry_ = "0";
        entry_ += '.';
        return;
    }
    if (c < '0' || c > '9') return;
    auto dot = entry_.find('.');
    if (dot != std::string::npos && entry_.size() - dot > 1) return;  // one decimal is plenty for grams
    if (dot == std::string::npos && entry_.size() >= 5) return;
    if (entry_ == "0") entry_.clear();
    entry_ += c;
}
void UsageFlow::backspace() {
    if (!entry_.empty()) entry_.pop_back();
    message_.clear();
}
void UsageFlow::clear_entry() {
    entry_.clear();
    message_.clear();
}
std::optional<NewRecord> UsageFlow::submit() {
    if (saving_) return std::nullopt;
    error_ = true;
    if (!spool_) {
        message_ = "Scan a spool first.";
        return std::nullopt;
    }
    if (entry_.empty()) {
        message_ = "Type the grams used.";
        return std::nullopt;
    }
    double g = std::strtod(entry_.c_str(), nullptr);
    auto r = evaluate_usage(g, spool_->current_weight_g);
    if (!r.ok) {
        message_ = r.message;
        return std::nullopt;
    }
    NewRecord rec;
    rec.spool_uuid = spool_->id;
    rec.spool_label = spool_->spool_id;
    rec.type = TransactionType::Usage;
    rec.quantity_grams = r.quantity_grams;
    rec.notes = "logged on the keypad";
    saving_ = true;
    message_ = "Saving\u2026";
    error_ = false;
    return rec;
}
void UsageFlow::saved(int resulting_weight_g) {
    saving_ = false;
    if (spool_) spool_->current_weight_g = resulting_weight_g;
    message_ = "Saved \u2014 will sync. " + std::to_string(resulting_weight_g) + " g left.";
    error_ = false;
    entry_.clear();
}
void UsageFlow::save_failed(const std::string& message) {
    saving_ = false;
    message_ = "Not saved: " + message;
    error_ = true;
}
void UsageFlow::spool_updated(const Spool& s) {
    if (spool_ && spool_->id == s.id) spool_ = s;
}
UsageView UsageFlow::view() const {
    UsageView v;
    if (spool_) v.card = SpoolCard{*spool_, stock_info(*spool_)};
    v.entry = entry_;
    v.message = message_;
    v.message_is_error = error_;
    v.saving = saving_;
    if (spool_ && !entry_.empty()) {
        auto r = evaluate_usage(std::strtod(entry_.c_str(), nullptr), spool_->current_weight_g);
        if (r.ok) {
            v.resulting_weight_g = r.resulting_weight_g;
            v.can_submit = !saving_;
        }
    }
    return v;
}

// ---------------------------------------------------------------- controller
bool UsageScreen::handle(const Intent& in) {
    switch (in.kind) {
        case IntentKind::LogUsageForCard:  // with a spool's uuid (the weigh card hands on its spool's)
            if (in.text.empty()) return false;
            if (auto sp = host_.store().spool_by_uuid(in.text)) flow_.set_spool(*sp);
            host_.navigate(Screen::LogUsage);
            return true;
        case IntentKind::KeypadKey:
            if (!in.text.empty()) flow_.key(in.text[0]);
            return true;
        case IntentKind::KeypadBackspace: flow_.backspace(); return true;
        case IntentKind::KeypadClear: flow_.clear_entry(); return true;
        case IntentKind::KeypadSubmit:
            if (auto r = flow_.submit()) {
                host_.record(*r, [this](Result<Recorded> res) {
                    if (res) flow_.saved(res->resulting_weight_g);
                    else flow_.save_failed(res.error().message);
                    host_.changed();
                });
            }
            return true;
        default: return false;
    }
}

void UsageScreen::entered() {
    if (!flow_.spool())
        if (auto sp = host_.spool_in_hand()) flow_.set_spool(*sp);
}

bool UsageScreen::scanned(const platform::LabelRef&, const std::optional<Spool>& spool) {
    if (!spool) return false;
    flow_.set_spool(*spool);
    return true;
}

void UsageScreen::catalog_loaded(const std::shared_ptr<const CatalogIndex>& idx) {
    if (!flow_.spool()) return;
    if (const Spool* s = idx->by_uuid(flow_.spool()->id)) flow_.spool_updated(*s);
}

}  // namespace batchivo::station
