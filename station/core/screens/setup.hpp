// Setup: the server (batchivo-central pairing by scanned QR or typed address + code; or a Spoolman / Batchivo server
// by URL [+ API key | email, password, tenant], connected in a network task through connect_target()), devices, HX711 two-point calibration, weighing defaults,
// screen blanking, the label printer (spec, size, test label); Save writes config.toml.
// SetupFlow is the screen's state over a draft config (no I/O except save(); testable alone); SetupScreen is its
// controller: it handles the setup intents, pairs in a network task ("Pairing…" until the answer is back), reads
// the load cell for calibration and hands a saved config to the host. Fills StationSnapshot::setup.
// UI thread only.
#pragma once

#include <optional>
#include <string>

#include "station/core/screens/screen.hpp"
#include "station/core/sync_link.hpp"

namespace batchivo::station {

// HX711 two-point calibration: raw counts at an empty pan, then with a known weight.
struct Calibration {
    double offset = 0;
    double grams_per_count = 0;
};
// Error "invalid_calibration" with the reason for the operator.
Result<Calibration> two_point_calibration(double zero_raw, double known_raw, double known_g);

// Typed pairing: a whole pairing payload ("batchivo-pair:v1?...") is used as is; otherwise `server_url` plus a
// PAIR-XXXX-XXXX code become a payload without CA or pin, so the server's certificate is verified against the
// system trust store (a publicly trusted certificate). Verification is never turned off. The address must be
// https:// (a missing scheme means https://); plain http:// only for this machine (loopback). Error
// "invalid_pairing_input" with the reason for the operator.
Result<std::string> typed_pairing_payload(const std::string& server_url, const std::string& code);

// What each kind of server can and cannot do, in operator words (the guarantees table of docs/TARGETS.md).
std::vector<TargetFact> target_facts(const std::string& kind);

class SetupFlow {
public:
    void load(const StationConfig& cfg, bool paired, const std::string& tenant);
    void set_paired(bool paired, const std::string& tenant);
    void set_scale_driver(const std::string& d);
    void set_camera_driver(const std::string& d);
    void toggle_auto_commit();
    // field: "auto_commit_s", "undo_s", "stable_spread", "blank"; delta in the field's unit.
    void adjust(const std::string& field, double delta);
    void set_blank(int seconds);
    void set_printer_size(const std::string& size);  // one of the station's label sizes; else a message
    void begin_edit(SetupField f);
    void key(char c);
    void backspace();
    // Applies the edited value; for PairCode returns the pairing payload to pair with (the caller pairs): a typed
    // whole payload as is, or the typed server address + code (typed_pairing_payload); nullopt + message if invalid.
    std::optional<std::string> finish_edit();
    void cancel_edit();
    void cal_zero(std::optional<double> raw);
    void cal_known(std::optional<double> raw);
    void cal_reset();
    bool save(const std::string& path);  // save_config; message set either way
    void revert();
    void set_pairing(bool on) { view_.pairing = on; }
    void set_printing(bool on) { view_.printing = on; }
    // Server tab.
    void set_current_target(const std::string& kind);
    void set_target_kind(const std::string& kind);  // central | spoolman | batchivo; else a message
    // The request for the Connect button (the caller runs connect_target() off the UI thread); nullopt + message
    // when a field is missing or the URL is not allowed. `force` discards unconfirmed records (after a warning).
    std::optional<ConnectRequest> connect_request(bool force);
    void connect_started();
    void connect_finished(const Result<ConnectReport>& r, int64_t pending);
    void message(std::string m, bool error) {
        view_.message = std::move(m);
        view_.message_is_error = error;
    }
    const StationConfig& draft() const { return view_.config; }
    const StationConfig& saved_config() const { return saved_; }
    SetupView view() const { return view_; }

private:
    StationConfig saved_;
    SetupView view_;
    std::string api_key_;   // secrets stay out of the snapshot
    std::string password_;  // cleared after every connect attempt
};

class SetupScreen : public ScreenController {
public:
    explicit SetupScreen(ScreenHost& host) : host_(host) {}
    bool handle(const Intent& in) override;
    void fill(StationSnapshot& s, int64_t) const override;
    void entered() override;
    bool scanned(const platform::LabelRef& label, const std::optional<Spool>& spool) override;  // pairing QR codes
    void sync_status_changed(const sync::SyncStatus& s) override {
        flow_.set_paired(s.paired, s.tenant);
        flow_.set_current_target(s.target);
    }
    void config_changed(const StationConfig&) override;  // the first config (start) becomes the draft
    bool pairing() const { return pairing_; }

private:
    void start_pairing(std::string payload);
    void calibrate(bool zero);
    void test_print();  // the draft's printer and size, in a network task; the result is the setup message
    void start_connect(bool force);  // Spoolman / Batchivo, in a network task
    ScreenHost& host_;
    SetupFlow flow_;
    bool pairing_ = false;
    bool printing_ = false;
    bool connecting_ = false;
    bool loaded_ = false;
};

}  // namespace batchivo::station
