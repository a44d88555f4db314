#include "station/core/screens/intake.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "platform/printing/label/label.hpp"
#include "station/core/label_printing.hpp"
#include "sync/domain/text.hpp"

namespace batchivo::station {

std::string_view to_string(IntakeField f) {
    switch (f) {
        case IntakeField::None: return "";
        case IntakeField::Brand: return "brand";
        case IntakeField::Color: return "color";
        case IntakeField::Location: return "location";
        case IntakeField::SpoolId: return "spool_id";
    }
    return "";
}

namespace {

std::optional<IntakeField> field_from_string(std::string_view s) {
    for (auto f : {IntakeField::Brand, IntakeField::Color, IntakeField::Location, IntakeField::SpoolId})
        if (to_string(f) == s) return f;
    return std::nullopt;
}

bool contains_ci(const std::string& hay, const std::string& needle) {
    return needle.empty() || to_lower(hay).find(to_lower(needle)) != std::string::npos;
}

std::string tare_source_text(const Tare& t, const std::string& brand, const std::string& material) {
    switch (t.source) {
        case TareSource::Catalog: return "tare data (" + (brand.empty() ? material : brand + " " + material) + ")";
        case TareSource::StationDefault: return "station default";
        case TareSource::Manual: return "typed";
        case TareSource::Spool: return "the spool's own";
    }
    return std::string(to_string(t.source));
}

}  // namespace

std::vector<std::string> intake_suggestions(IntakeField field, const std::string& typed, const std::string& material,
                                            const std::vector<Spool>& spools, const TareCatalog* tares, size_t limit) {
    std::vector<std::string> out;
    if (field != IntakeField::Brand && field != IntakeField::Color && field != IntakeField::Location) return out;
    const std::string t(trim(typed));
    std::map<std::string, std::pair<int, std::string>> counts;  // lower -> (uses, first spelling)
    for (const auto& s : spools) {
        const std::string& v = field == IntakeField::Brand ? s.brand : field == IntakeField::Color ? s.color : s.storage_location;
        if (trim(v).empty() || !contains_ci(v, t)) continue;
        if (field == IntakeField::Color && !material.empty() && !iequals(s.material_name, material)) continue;
        auto& c = counts[to_lower(v)];
        if (c.first++ == 0) c.second = v;
    }
    std::vector<std::pair<int, std::string>> ranked;
    for (auto& [k, v] : counts) ranked.push_back(v);
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::set<std::string> seen;
    for (auto& [n, v] : ranked) {
        if (out.size() >= limit) return out;
        if (seen.insert(to_lower(v)).second) out.push_back(v);
    }
    if (field == IntakeField::Brand && tares) {
        for (const auto& r : tares->rows()) {
            if (out.size() >= limit) break;
            if (!material.empty() && !iequals(r.material, material)) continue;
            if (!contains_ci(r.manufacturer, t)) continue;
            if (seen.insert(to_lower(r.manufacturer)).second) out.push_back(r.manufacturer);
        }
    }
    return out;
}

// ---------------------------------------------------------------- controller
IntakeInput IntakeScreen::input() const {
    IntakeInput in;
    in.material = material_;
    in.brand = brand_;
    in.color = color_;
    in.location = location_;
    in.spool_id = spool_id_;
    if (from_purchase_) in.purchase_item_id = line_id_;
    if (scale_.connected && scale_.grams && *scale_.grams >= kIntakeEmptyPanG) in.gross_g = *scale_.grams;
    in.notes = "added on the kiosk";
    return in;
}

std::string* IntakeScreen::field(IntakeField f) {
    switch (f) {
        case IntakeField::Brand: return &brand_;
        case IntakeField::Color: return &color_;
        case IntakeField::Location: return &location_;
        case IntakeField::SpoolId: return &spool_id_;
        case IntakeField::None: return nullptr;
    }
    return nullptr;
}

void IntakeScreen::reset_form() {
    line_id_.clear();
    material_.clear();
    brand_.clear();
    color_.clear();
    spool_id_.clear();  // the location stays: a pallet of spools usually goes to one shelf
    editing_ = IntakeField::None;
    buffer_.clear();
    message_.clear();
    message_is_error_ = false;
    saved_.reset();
    saved_source_.clear();
    printing_ = false;
    printed_ = false;
}

void IntakeScreen::load_choices() {
    // Small reads (tens of purchase lines and material types, hundreds of spools) when the screen opens.
    auto& store = host_.store();
    lines_ = store.open_purchase_lines(true);
    materials_.clear();
    for (const auto& m : store.material_types()) materials_.push_back(m.name);
    spools_ = store.all_spools();
    std::map<std::string, int> used;  // lower-case material -> active spools of it
    for (const auto& s : spools_)
        if (!s.material_name.empty()) ++used[to_lower(s.material_name)];
    if (materials_.empty())
        for (const auto& [m, n] : used) {
            (void)n;
            for (const auto& s : spools_)
                if (to_lower(s.material_name) == m) {
                    materials_.push_back(s.material_name);
                    break;
                }
        }
    // The chips the farm uses most come first (then the rest by name): the first page holds the usual ones.
    std::stable_sort(materials_.begin(), materials_.end(), [&](const std::string& a, const std::string& b) {
        const auto ua = used.find(to_lower(a)), ub = used.find(to_lower(b));
        const int na = ua == used.end() ? 0 : ua->second, nb = ub == used.end() ? 0 : ub->second;
        if (na != nb) return na > nb;
        return to_lower(a) < to_lower(b);
    });
    if (from_purchase_ && lines_.empty()) from_purchase_ = false;
    if (!line_id_.empty() && std::none_of(lines_.begin(), lines_.end(), [&](const PurchaseLine& l) { return l.id == line_id_; }))
        line_id_.clear();
}

void IntakeScreen::entered() {
    if (saved_ && !saving_) reset_form();
    load_choices();
    if (!lines_.empty() && line_id_.empty() && material_.empty() && brand_.empty() && color_.empty()) from_purchase_ = true;
    replan();
}

void IntakeScreen::replan() {
    if (saved_) return;
    const TareCatalog* tares = host_.tares().size() ? &host_.tares() : nullptr;
    if (from_purchase_ && line_id_.empty()) plan_ = Error{"invalid_input", "pick the purchase line this spool belongs to"};
    else plan_ = plan_intake(input(), host_.store(), tares, host_.config().weigh.default_tare_g);
    host_.changed();
}

void IntakeScreen::commit_edit() {
    if (editing_ == IntakeField::None) return;
    if (std::string* f = field(editing_)) *f = std::string(trim(buffer_));
    editing_ = IntakeField::None;
    buffer_.clear();
    message_.clear();
    replan();
}

bool IntakeScreen::handle(const Intent& in) {
    if (saving_ && in.kind != IntentKind::IntakeDone) {
        // A save is in flight: nothing on the form changes (a second Save writes nothing).
        switch (in.kind) {
            case IntentKind::IntakeMode: case IntentKind::IntakePickLine: case IntentKind::IntakeMaterial:
            case IntentKind::IntakeEdit: case IntentKind::IntakeKey: case IntentKind::IntakeBackspace:
            case IntentKind::IntakeEditDone: case IntentKind::IntakeSuggest: case IntentKind::IntakeSave:
            case IntentKind::IntakePrint: case IntentKind::IntakeWeighNow: case IntentKind::IntakeAnother:
                return true;
            default: return false;
        }
    }
    switch (in.kind) {
        case IntentKind::IntakeMode:
            commit_edit();
            from_purchase_ = in.text == "purchase" && !lines_.empty();
            if (!from_purchase_) line_id_.clear();
            message_.clear();
            replan();
            return true;
        case IntentKind::IntakePickLine: {
            commit_edit();
            auto it = std::find_if(lines_.begin(), lines_.end(), [&](const PurchaseLine& l) { return l.id == in.text; });
            if (it == lines_.end()) {
                message_ = "That purchase line is no longer open.";
                message_is_error_ = true;
                host_.changed();
                return true;
            }
            from_purchase_ = true;
            line_id_ = it->id;
            material_ = it->material;
            brand_ = it->brand;
            color_ = it->color;
            message_.clear();
            replan();
            return true;
        }
        case IntentKind::IntakeMaterial:
            commit_edit();
            material_ = in.text;
            message_.clear();
            replan();
            return true;
        case IntentKind::IntakeEdit: {
            const auto f = field_from_string(in.text);
            if (!f || saved_) return true;
            commit_edit();
            editing_ = *f;
            buffer_ = *field(*f);
            host_.changed();
            return true;
        }
        case IntentKind::IntakeKey:
            if (editing_ != IntakeField::None && buffer_.size() + in.text.size() <= static_cast<size_t>(kMaxSpoolIdLength) * 2) {
                buffer_ += in.text;
                host_.changed();
            }
            return true;
        case IntentKind::IntakeBackspace:
            if (!buffer_.empty()) {
                // one UTF-8 character
                size_t n = buffer_.size() - 1;
                while (n > 0 && (static_cast<unsigned char>(buffer_[n]) & 0xC0) == 0x80) --n;
                buffer_.erase(n);
                host_.changed();
            }
            return true;
        case IntentKind::IntakeEditDone: commit_edit(); return true;
        case IntentKind::IntakeSuggest:
            if (editing_ != IntakeField::None) {
                buffer_ = in.text;
                commit_edit();
            }
            return true;
        case IntentKind::IntakeSave: save(); return true;
        case IntentKind::IntakePrint: print_label(); return true;
        case IntentKind::IntakeWeighNow:
            if (saved_) host_.apply(Intent{IntentKind::WeighSpool, saved_->spool.id});
            return true;
        case IntentKind::IntakeAnother:
            reset_form();
            load_choices();
            replan();
            return true;
        case IntentKind::IntakeDone:
            if (!saving_) reset_form();
            host_.apply(Intent{IntentKind::Back});
            return true;
        default: return false;
    }
}

void IntakeScreen::save() {
    if (saving_ || saved_) return;
    commit_edit();
    if (from_purchase_ && line_id_.empty()) {
        message_ = "Pick the purchase line this spool belongs to.";
        message_is_error_ = true;
        host_.changed();
        return;
    }
    if (scale_.connected && scale_.grams && *scale_.grams >= kIntakeEmptyPanG && !scale_.stable) {
        message_ = "Wait for the scale to settle.";
        message_is_error_ = true;
        host_.changed();
        return;
    }
    const TareCatalog* tares = host_.tares().size() ? &host_.tares() : nullptr;
    auto plan = plan_intake(input(), host_.store(), tares, host_.config().weigh.default_tare_g);
    plan_ = plan;
    if (!plan) {
        message_ = "Not saved: " + plan.error().message;
        message_is_error_ = true;
        host_.changed();
        return;
    }
    saving_ = true;
    message_ = "Saving\u2026";
    message_is_error_ = false;
    host_.changed();
    host_.create_spool(plan->record, [this, source = plan->weight_source](Result<CreatedSpool> r) {
        saving_ = false;
        if (r) {
            saved_ = *r;
            saved_source_ = source;
            message_.clear();
            message_is_error_ = false;
            lines_ = host_.store().open_purchase_lines(true);
        } else {
            message_ = "Not saved: " + r.error().message;
            message_is_error_ = true;
        }
        host_.changed();
    });
}

void IntakeScreen::print_label() {
    if (!saved_ || printing_) return;
    const PrinterConfig pc = host_.config().printer;
    if (pc.spec.empty()) {
        host_.toast("No label printer: choose one in Setup \u2192 Printer.", true);
        return;
    }
    auto size = parse_station_label_size(pc.size);
    if (!size) {
        host_.toast(size.error().message, true);
        return;
    }
    // The newest local state (central may have assigned the spool id since the save).
    const Spool sp = host_.store().spool_by_uuid(saved_->spool.id).value_or(saved_->spool);
    printing_ = true;
    host_.changed();
    struct Printed {
        printing::PrintReceipt receipt;
        bool labelled_on_sync = false;  // the payload travels with the unsent "spool created" record
    };
    host_.network_tasks().run<Printed>(
        [spool = sp, spec = pc.spec, sz = *size, &store = host_.store()](const std::atomic<bool>&) -> Result<Printed> {
            auto r = print_spool_label(spool, spec, sz);
            if (!r) return r.error();
            // Off the UI thread: a durable store write. Central then counts the spool as labelled.
            return Printed{*r, store.mark_label_printed(spool.id, printing::label_payload(spool))};
        },
        [this, uuid = sp.id, name = sp.spool_id.empty() ? std::string("the new spool") : sp.spool_id](Result<Printed> r) {
            printing_ = false;
            if (r) {
                if (saved_ && saved_->spool.id == uuid) printed_ = true;
                host_.toast(r->labelled_on_sync ? "Label for " + name + " printed."
                                                : "Label for " + name + " printed (the spool had synced already: the server "
                                                  "still lists it as unlabelled).");
            } else {
                host_.toast("Label not printed: " + r.error().message, true);
            }
            host_.changed();
        });
}

void IntakeScreen::scale_changed(const platform::ScaleReadout& r, int64_t) {
    scale_ = r;
    if (host_.current() == Screen::Intake) replan();
}

void IntakeScreen::catalog_loaded(const std::shared_ptr<const CatalogIndex>& idx) {
    // A sync may have brought the spool id central assigned to the saved spool.
    if (saved_)
        if (const Spool* s = idx->by_uuid(saved_->spool.id)) {
            saved_->spool = *s;
            host_.changed();
        }
}

void IntakeScreen::fill(StationSnapshot& s, int64_t) const {
    IntakeView& v = s.intake;
    v.from_purchase = from_purchase_;
    for (const auto& l : lines_) {
        IntakeLineRow row;
        row.id = l.id;
        row.title = l.material + " \u00b7 " + (l.brand.empty() ? "?" : l.brand) + " \u00b7 " + (l.color.empty() ? "?" : l.color);
        row.detail = (l.po_number.empty() ? std::string("purchase") : l.po_number);
        if (!l.supplier.empty()) row.detail += " \u00b7 " + l.supplier;
        row.detail += " \u00b7 " + std::to_string(l.received) + " of " + std::to_string(l.quantity) + " in";
        if (l.weight_per_spool_g) row.detail += " \u00b7 " + std::to_string(*l.weight_per_spool_g) + " g each";
        row.selected = l.id == line_id_;
        v.lines.push_back(std::move(row));
    }
    v.materials = materials_;
    v.material = material_;
    v.brand = brand_;
    v.color = color_;
    v.location = location_;
    v.spool_id = spool_id_;
    v.editing = editing_;
    v.edit_buffer = buffer_;
    if (editing_ != IntakeField::None)
        v.suggestions = intake_suggestions(editing_, buffer_, material_, spools_,
                                           host_.tares().size() ? &host_.tares() : nullptr);
    v.scale_connected = scale_.connected;
    if (scale_.connected && scale_.grams && *scale_.grams >= kIntakeEmptyPanG) v.gross_g = *scale_.grams;
    v.stable = scale_.stable;
    if (plan_) {
        if (plan_->tare) {
            v.tare_g = plan_->tare->grams;
            v.tare_source = tare_source_text(*plan_->tare, plan_->record.spool.brand, plan_->record.spool.material);
        }
        v.initial_weight_g = plan_->initial_weight_g;
        v.weight_source = plan_->weight_source;
        v.can_save = !saving_ && !saved_ && (!v.gross_g || v.stable);
    }
    v.message = message_;
    v.message_is_error = message_is_error_;
    if (v.message.empty() && !plan_ && !saved_) {
        v.message = plan_.error().message;  // why Save is not offered yet (not red until Save is tapped)
        v.message_is_error = false;
    } else if (v.message.empty() && v.gross_g && !v.stable && !saved_) {
        v.message = "Waiting for the scale to settle\u2026";
    }
    v.saving = saving_;
    v.saved = saved_.has_value();
    if (saved_) {
        const Spool& sp = saved_->spool;
        v.saved_uuid = sp.id;
        v.saved_spool_id = sp.spool_id;
        v.saved_summary = sp.material_name + " \u00b7 " + (sp.brand.empty() ? "?" : sp.brand) + " \u00b7 " +
                          (sp.color.empty() ? "?" : sp.color);
        if (!sp.storage_location.empty()) v.saved_summary += " \u00b7 " + sp.storage_location;
        v.saved_label = printing::label_payload(sp);
        v.saved_weight_g = sp.initial_weight_g;
        v.saved_seq = saved_->record.seq;
        v.weight_source = saved_source_;
    }
    v.printer_configured = !host_.config().printer.spec.empty();
    v.printing = printing_;
    v.printed = printed_;
}

}  // namespace batchivo::station
