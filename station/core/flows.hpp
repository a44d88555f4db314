// The smaller flows as plain state machines (no I/O unless a store/path is passed explicitly, no ImGui):
// log usage on a keypad, stock lookup over an in-memory catalog index, the sync screen's model and the setup
// flow (pairing, devices, HX711 two-point calibration, tare default, auto-commit, blanking, save).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "station/core/snapshot.hpp"
#include "sync/client/lookup_api.hpp"

namespace batchivo::station {

// ---------------------------------------------------------------- log usage
class UsageFlow {
public:
    void set_spool(const Spool& s);
    void clear_spool();
    void key(char digit);  // '0'..'9' or '.'
    void backspace();
    void clear_entry();
    // The record to write for the typed grams; nullopt (and an error message) when the entry is not valid.
    std::optional<NewRecord> submit();
    void saved(int resulting_weight_g);
    void spool_updated(const Spool& s);
    UsageView view() const;
    const std::optional<Spool>& spool() const { return spool_; }

private:
    std::optional<Spool> spool_;
    std::string entry_;
    std::string message_;
    bool error_ = false;
};

// ---------------------------------------------------------------- stock lookup
// An immutable, in-memory copy of the catalog prepared for search: every keystroke filters this (no disk).
class CatalogIndex {
public:
    CatalogIndex() = default;
    explicit CatalogIndex(std::vector<Spool> spools);
    struct Result {
        std::vector<const Spool*> rows;  // first `limit`, sorted by spool_id
        int64_t total = 0;
    };
    Result search(const std::string& text, const std::string& material, std::optional<StockStatus> status,
                  int limit = 60) const;
    const std::vector<std::string>& materials() const { return materials_; }
    const std::vector<Spool>& spools() const { return spools_; }
    const Spool* by_uuid(const std::string& uuid) const;
    size_t size() const { return spools_.size(); }

private:
    std::vector<Spool> spools_;        // sorted by spool_id
    std::vector<std::string> hay_;     // lowercase "spool_id brand material color location"
    std::vector<StockStatus> status_;
    std::vector<std::string> material_lower_;
    std::vector<std::string> materials_;
};

StockRow make_stock_row(const Spool& s);

class StockFlow {
public:
    void set_index(std::shared_ptr<const CatalogIndex> idx);
    void key(char c);
    void backspace();
    void clear();
    void toggle_keyboard() { show_keyboard(!keyboard_); }
    void show_keyboard(bool on) { keyboard_ = view_.keyboard = on; }
    void set_material(const std::string& m);     // toggles: the same chip again clears the filter
    void set_status(std::optional<StockStatus> s);
    void set_query(const std::string& q);
    StockView view() const { return view_; }
    const CatalogIndex* index() const { return idx_.get(); }

private:
    void run();
    std::shared_ptr<const CatalogIndex> idx_;
    std::string query_;
    std::string material_;
    std::optional<StockStatus> status_;
    bool keyboard_ = false;
    StockView view_;
};

// Remaining weight over time for a spool's detail plot, from its records (newest first) and current weight.
std::vector<UsagePoint> usage_plot(const std::vector<OutboxRecord>& newest_first, int current_weight_g,
                                   int64_t now_epoch_ms);

// A spool's history for its detail: central's recent transactions (newest first) merged with this station's
// records, each transaction once (a local record central already has, matched by client id, shows as central's).
// Without `server` the local records alone. Newest first.
std::vector<DetailTx> merge_history(const std::vector<OutboxRecord>& local_newest_first,
                                    const std::optional<sync::SpoolHistory>& server);
// Remaining weight over time from merged history (newest first), ending at the current weight now.
std::vector<UsagePoint> history_plot(const std::vector<DetailTx>& newest_first, int current_weight_g,
                                     int64_t now_epoch_ms);

// ---------------------------------------------------------------- sync screen
class SyncModel {
public:
    void refresh(StationStore& store, const SyncStatusView& status);
    void set_status(const SyncStatusView& status) { view_.status = status; }
    bool retry(StationStore& store, const std::string& id);
    void ask_discard(const std::string& id);
    void cancel_discard();
    bool confirm_discard(StationStore& store);  // discards the record the confirmation was opened for
    SyncView view() const { return view_; }

private:
    SyncView view_;
};

// ---------------------------------------------------------------- setup
// HX711 two-point calibration: raw counts at an empty pan, then with a known weight.
struct Calibration {
    double offset = 0;
    double grams_per_count = 0;
};
std::optional<Calibration> two_point_calibration(double zero_raw, double known_raw, double known_g, std::string& error);

// Typed pairing: a whole pairing payload ("batchivo-pair:v1?...") is used as is; otherwise `server_url` plus a
// PAIR-XXXX-XXXX code become a payload without CA or pin, so the server's certificate is verified against the
// system trust store (a publicly trusted certificate). Verification is never turned off. The address must be
// https:// (a missing scheme means https://); plain http:// only for this machine (loopback). nullopt + `error`.
std::optional<std::string> typed_pairing_payload(const std::string& server_url, const std::string& code,
                                                 std::string& error);

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
};

}  // namespace batchivo::station
