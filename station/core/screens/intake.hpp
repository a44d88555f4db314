// Add spool (intake): a new spool from an open purchase line or from material, brand and color typed on the
// on-screen keyboard, weighed on the scale (initial weight = gross - tare with the tare chain of weighing, or the
// nominal weight without a reading). The weights and the record come from station/core/intake_flow.hpp, the same
// code `spool new` uses; Save writes the "spool created" record through the host's store task ("Saving…"), then
// the screen shows the result with "Print label" (the configured [printer], in a network task), "Weigh it now",
// "Add another" and "Done".
//
// IntakeForm is the screen's state without a host (testable alone: fields, suggestions, the live plan);
// IntakeScreen is its controller and fills StationSnapshot::intake. UI thread only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "station/core/intake_flow.hpp"
#include "station/core/screens/screen.hpp"

namespace batchivo::station {

// Brand or color suggestions for what is typed: the existing spools' values (most used first), then the tare
// data's manufacturers (brands only, for the material when one is chosen); case-insensitive substring match,
// each value once, at most `limit`.
std::vector<std::string> intake_suggestions(IntakeField field, const std::string& typed, const std::string& material,
                                            const std::vector<Spool>& spools, const TareCatalog* tares, size_t limit = 6);

// Below this a reading counts as "nothing on the pan" (the nominal weight applies).
inline constexpr double kIntakeEmptyPanG = 5.0;

class IntakeScreen : public ScreenController {
public:
    explicit IntakeScreen(ScreenHost& host) : host_(host) {}
    bool handle(const Intent& in) override;
    void fill(StationSnapshot& s, int64_t) const override;
    void entered() override;
    void scale_changed(const platform::ScaleReadout& r, int64_t now_ms) override;
    void catalog_loaded(const std::shared_ptr<const CatalogIndex>& idx) override;
    void config_changed(const StationConfig&) override { replan(); }
    const Spool* spool() const override { return saved_ ? &saved_->spool : nullptr; }

    // For tests and the scenario runner: what Save would send to plan_intake now.
    IntakeInput input() const;

private:
    void reset_form();
    void load_choices();
    void replan();
    void commit_edit();
    void save();
    void print_label();
    std::string* field(IntakeField f);

    ScreenHost& host_;
    bool from_purchase_ = false;
    std::vector<PurchaseLine> lines_;
    std::vector<std::string> materials_;
    std::vector<Spool> spools_;  // for suggestions (loaded on entering)
    std::string line_id_, material_, brand_, color_, location_, spool_id_;
    IntakeField editing_ = IntakeField::None;
    std::string buffer_;
    platform::ScaleReadout scale_;
    Result<IntakePlan> plan_{Error{"invalid_input", "a material is required (e.g. PLA)"}};
    std::string message_;
    bool message_is_error_ = false;
    bool saving_ = false;
    std::optional<CreatedSpool> saved_;
    std::string saved_source_;
    bool printing_ = false;
    bool printed_ = false;
};

}  // namespace batchivo::station
