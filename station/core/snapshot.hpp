// What the screens draw and what they return. A StationSnapshot is an immutable value built by the Station on the
// UI thread whenever state changes; screens are functions (snapshot, layout) -> intents and never touch the
// store, devices or locks. Nothing here depends on ImGui.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "station/core/config.hpp"
#include "station/core/devices.hpp"
#include "station/core/sync_link.hpp"
#include "sync/domain/reorder.hpp"
#include "sync/domain/spool.hpp"
#include "sync/domain/stock.hpp"
#include "sync/domain/weighing.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo::station {

// Every screen; each has one row in the screen registry (station/core/screens/registry.cpp), which also gives
// the names below.
enum class Screen { Weigh, LogUsage, Stock, SpoolDetail, Reorder, Sync, Setup, Intake };
std::string_view to_string(Screen s);
std::optional<Screen> screen_from_string(std::string_view s);

struct SpoolCard {
    Spool spool;
    StockInfo stock;
};

// ---- weigh flow
enum class WeighStage { Idle, Problem, Card, Weighing, Saved };
enum class WeighProblem {
    None,
    UnknownLabel,       // nothing we recognise
    ForeignLabel,       // another system's label (Spoolman spool)
    FilamentLabel,      // a Spoolman filament, not a spool
    NotInCatalog,       // a spool label we recognise but the catalog does not have (yet / another tenant)
    PairingLabel,       // a pairing QR shown on the weigh screen
    AboveInitial,       // net above the spool's initial weight: probably the wrong tare
    NegativeNet,        // gross below the tare
    UnstableLong,       // the reading keeps moving
    ScaleDisconnected,
    NoTare,             // no tare source at all
    NoChange,           // same as the last weighing: nothing to record
};
std::string_view to_string(WeighStage s);
std::string_view to_string(WeighProblem p);

struct WeighView {
    WeighStage stage = WeighStage::Idle;
    WeighProblem problem = WeighProblem::None;
    std::string problem_text;  // operator-facing explanation
    std::string scanned;       // the raw label text of the last scan
    std::optional<SpoolCard> card;
    std::optional<double> gross_g;
    std::optional<Tare> tare;
    std::vector<Tare> tare_candidates;
    int tare_index = -1;
    std::optional<double> net_g;
    bool stable = false;
    std::optional<int> used_since_last_g;  // positive = used, negative = added
    bool can_confirm = false;
    bool saving = false;               // the confirmed record is being written (durably) right now
    bool auto_commit = false;
    double auto_commit_progress = -1;  // 0..1 while counting down to auto-commit; -1 otherwise
    int undo_remaining_ms = 0;         // > 0 while undo is offered
    std::string saved_text;            // "Saved — will sync" ...
    std::string saved_spool;           // spool_id the saved text is about
    std::optional<int> saved_weight_g;
    bool on_pan = false;
};

// ---- log usage (keypad)
struct UsageView {
    std::optional<SpoolCard> card;
    std::string entry;      // digits typed
    std::string message;    // error or confirmation
    bool message_is_error = false;
    std::optional<int> resulting_weight_g;  // preview when the entry is valid
    bool can_submit = false;
    bool saving = false;  // the submitted record is being written (durably) right now
};

// ---- stock lookup
struct StockRow {
    std::string uuid;
    std::string spool_id, brand, material, color, color_hex, location;
    int remaining_g = 0;
    double remaining_percent = 0;
    StockStatus status = StockStatus::Ok;
};
// Products view of the Stock screen: "can we print N?" from the cached catalog (sync/domain/product.hpp).
struct ProductRow {
    std::string sku, name;
    std::optional<int> max_units;  // nullopt: needs no filament
    double cost_per_unit = 0;
    bool has_problem = false;      // a BOM line names a spool missing from the catalog, or an inactive one
};
struct ProductLineRow {
    std::string spool_id, slot, via, material, color_hex;
    int grams_per_unit = 0;
    int linked_remaining_g = 0;    // the BOM line's own spool
    int available_g = 0;           // with equivalent spools (same material, brand, color)
    int equivalent_count = 0;      // spools counted in available_g
    std::optional<int> max_units;
    bool limiting = false;
    bool missing = false;          // the spool is not in the catalog
};
struct ProductCheckView {
    std::string sku, name;
    std::optional<int> max_units;
    double cost_per_unit = 0;
    std::vector<ProductLineRow> lines;
    std::vector<std::string> problems;
};

struct StockView {
    bool products_mode = false;            // the Products view: query searches SKU / name
    std::vector<ProductRow> products;      // matches (products view)
    int64_t products_total = 0;            // products in the cache
    std::optional<ProductCheckView> product;  // the opened product
    std::string query;
    std::string material;                  // "" = any
    std::optional<StockStatus> status;
    std::vector<std::string> materials;    // chips
    std::vector<StockRow> rows;            // first page
    int64_t total = 0;                     // matches overall
    bool keyboard = false;
    std::optional<int64_t> catalog_as_of_ms;
    int64_t catalog_size = 0;
    double search_ms = 0;
};

struct UsagePoint {
    int64_t at_ms = 0;
    int weight_g = 0;
};
// One line of a spool's history: a transaction from central, or a record of this station not (yet) on central.
struct DetailTx {
    int64_t at_ms = 0;  // epoch ms (server: occurred_at; local: device time)
    TransactionType type = TransactionType::Usage;
    int quantity_grams = 0;
    bool on_server = false;       // central has it (from the server's list)
    RecordState local_state = RecordState::Pending;  // for local records
    bool counts = true;           // changes the weight (not rejected/discarded)
    std::string reason;           // server's reason for a rejected local record
};
enum class HistorySource {
    LocalOnly,    // not paired: only this station's records exist
    Loading,      // asking central (local records shown meanwhile)
    Server,       // central's recent transactions merged with this station's unsynced records
    Unavailable,  // central could not be asked: local records only, with the reason
};
struct DetailView {
    std::optional<SpoolCard> card;
    std::vector<OutboxRecord> recent;  // this station's records for the spool, newest first
    std::vector<DetailTx> rows;        // merged history, newest first
    std::vector<UsagePoint> plot;      // remaining weight over time, oldest first
    HistorySource source = HistorySource::LocalOnly;
    std::string history_note;          // e.g. "Server history unavailable (offline): ..."
    bool printer_configured = false;   // [printer] spec set: "Print label" enabled
    bool printing = false;             // a label is being printed (in a task)
};

struct ReorderView {
    std::vector<ReorderLine> lines;
};

// ---- add spool (intake): station/core/screens/intake.hpp
enum class IntakeField { None, Brand, Color, Location, SpoolId };
std::string_view to_string(IntakeField f);
struct IntakeLineRow {        // an open purchase line with spools still to come
    std::string id;
    std::string title;        // "PLA · Bambu Lab · Black"
    std::string detail;       // "PO-2026-014 · Filament Co · 2 of 5 in · 1000 g each"
    bool selected = false;
};
struct IntakeView {
    bool from_purchase = false;             // picking a purchase line (else: typing material, brand, color)
    std::vector<IntakeLineRow> lines;       // open purchase lines (empty: no purchase to pick from)
    std::vector<std::string> materials;     // chips: central's material types (else the spools' materials)
    std::string material, brand, color, location, spool_id;
    IntakeField editing = IntakeField::None;
    std::string edit_buffer;
    std::vector<std::string> suggestions;   // while editing brand/color: existing spools' and the tare data's
    // the weight: live gross from the scale, the tare with its source, initial = gross - tare (or the nominal)
    bool scale_connected = false;
    std::optional<double> gross_g;          // nullopt: no reading (or nothing on the pan): the nominal weight applies
    bool stable = false;
    std::optional<double> tare_g;
    std::string tare_source;                // "tare data (Bambu Lab PLA)", "station default", ...
    std::optional<int> initial_weight_g;    // what Save would record
    std::string weight_source;              // "scale" | "purchase line" | "tare data" | "default"
    std::string message;                    // why Save is refused, or "Saving…"
    bool message_is_error = false;
    bool can_save = false;
    bool saving = false;
    // after Save
    bool saved = false;
    std::string saved_uuid, saved_spool_id, saved_summary, saved_label;
    int saved_weight_g = 0;
    int64_t saved_seq = 0;
    bool printer_configured = false;        // [printer] spec set: "Print label" enabled
    bool printing = false;
    bool printed = false;
};

// ---- sync screen
struct SyncView {
    sync::SyncStatus status;
    std::vector<OutboxRecord> rejected;
    std::vector<OutboxRecord> recent;  // latest records of any state
    // Applied records the server answered with a notice (a typed spool id another spool had taken: central gave
    // this one a fresh id), from the last 7 days, newest first.
    std::vector<OutboxRecord> notices;
    std::string confirm_discard_id;    // non-empty: the "discard?" confirmation is open
    std::string message;
};

// ---- setup
enum class SetupField {
    None, PairCode, ScaleDevice, CameraDevice, DefaultTare, CalKnownWeight, StationName, ServerUrl, PrinterSpec,
    // the Server tab's Spoolman / Batchivo connection
    TargetUrl, TargetApiKey, TargetEmail, TargetPassword, TargetTenant
};
// One line of "what this kind of server can and cannot do" (docs/TARGETS.md), for the Server tab.
struct TargetFact {
    std::string topic;  // "Exactly once", "Audit trail", "History", "Tenants"
    std::string text;
    bool good = true;   // a guarantee (green) or a limit (amber)
};
enum class CalStage { Idle, ZeroCaptured, Done };
// A hardware driver the Setup screen offers, from the platform registries (scale_drivers(), camera_drivers()).
struct DriverChoice {
    std::string name;         // the config value
    std::string label;        // for the operator
    std::string device_hint;  // an example device path ("" = needs none)
};
struct SetupView {
    std::vector<DriverChoice> scale_drivers;   // in registry order
    std::vector<DriverChoice> camera_drivers;
    StationConfig config;          // the draft being edited
    bool dirty = false;
    SetupField editing = SetupField::None;
    std::string edit_buffer;
    bool edit_numeric = false;
    CalStage cal_stage = CalStage::Idle;
    double cal_zero_raw = 0;
    double cal_known_g = 500;
    std::string message;
    bool message_is_error = false;
    bool paired = false;
    std::string tenant;
    std::string pair_url;  // typed pairing: the server address (https://...)
    bool pairing = false;  // a pairing request is in progress (on the pairing thread)
    std::vector<std::string> label_sizes;  // the station's label sizes ("62mm", "50x30", "40x30")
    bool printing = false;  // a test label is being printed (in a task)
    // Server tab: which kind of server this station syncs with, and the form for connecting another one.
    std::string current_target = "central";  // the sync target in use ("central", "spoolman", "batchivo")
    std::string target_kind = "central";     // the kind chosen on the tab
    std::string target_url;
    bool target_api_key_set = false;         // the key and the password are never put in the snapshot
    std::string target_email;
    bool target_password_set = false;
    std::string target_tenant;               // optional tenant UUID (Batchivo)
    bool connecting = false;                 // connect_target() runs in a network task
    int64_t connect_blocked_pending = 0;     // >0: refused for this many unconfirmed records (offer "discard")
    std::vector<TargetFact> target_facts;    // for target_kind
};

struct Toast {
    std::string text;
    bool error = false;
    int64_t until_ms = 0;  // steady ms
};

struct DemoView {
    bool enabled = false;
    bool panel_open = false;
    std::vector<SpoolCard> spools;  // candidates to place / show
    int selected = 0;
    double grams = 0;  // weight the demo places (gross)
    std::string central_url;
    std::string central_error;
};

struct StationSnapshot {
    uint64_t version = 0;
    int64_t now_ms = 0;  // steady ms when built
    std::string station_name;
    std::string tenant;
    Screen screen = Screen::Weigh;
    bool can_go_back = false;
    platform::ScaleReadout scale;
    CameraState camera;
    std::shared_ptr<const platform::GrayImage> preview;
    uint64_t preview_seq = 0;
    sync::SyncStatus sync;
    WeighView weigh;
    UsageView usage;
    StockView stock;
    DetailView detail;
    ReorderView reorder;
    SyncView sync_screen;
    IntakeView intake;
    SetupView setup;
    std::vector<Toast> toasts;
    DemoView demo;
    bool blanked = false;
    bool animating = false;  // something moves: render at full rate
};

// What the operator asked for. Screens return a list of these; the Station applies them on the UI thread:
// the global ones (navigation, wake, toasts) itself, every other group in the controller that owns it
// (station/core/screens/<screen>.cpp; the demo group in screens/demo_controls.cpp).
enum class IntentKind {
    // global (Station)
    Navigate, Back, Home, Wake, DismissToast,
    // weigh (LogUsageForCard / ShowSpoolDetail without a uuid = the weigh card's spool)
    Confirm, Undo, ChooseTare, ClearSpool, LogUsageForCard, ShowSpoolDetail,
    // log usage keypad
    KeypadKey, KeypadBackspace, KeypadClear, KeypadSubmit,
    // stock (OpenSpool: the spool detail)
    StockKey, StockBackspace, StockClear, StockToggleKeyboard, StockMaterial, StockStatus, OpenSpool,
    StockMode, StockOpenProduct, StockCloseProduct,  // StockMode: text "products" | "spools"; OpenProduct: text SKU
    // sync
    SyncNow, SyncRetry, SyncDiscardAsk, SyncDiscardConfirm, SyncDiscardCancel,
    // setup
    SetupScaleDriver, SetupCameraDriver, SetupToggleAutoCommit, SetupAdjust, SetupEdit, SetupKey, SetupBackspace,
    SetupEditDone, SetupEditCancel, SetupCalZero, SetupCalKnown, SetupCalReset, SetupBlank, SetupSave, SetupRevert,
    SetupPrinterSize, SetupTestPrint,  // SetupPrinterSize: text = size name
    SetupTargetKind, SetupConnect,     // SetupTargetKind: text = central|spoolman|batchivo; SetupConnect: value 1 = force
    // spool detail
    DetailPrintLabel,
    // add spool (intake). IntakeMode: text "purchase" | "manual"; IntakePickLine: text = line id; IntakeEdit: text =
    // field name (brand|color|location|spool_id); IntakeSuggest: text = the suggestion
    IntakeMode, IntakePickLine, IntakeMaterial, IntakeEdit, IntakeKey, IntakeBackspace, IntakeEditDone, IntakeSuggest,
    IntakeSave, IntakePrint, IntakeWeighNow, IntakeAnother, IntakeDone,
    // the weigh screen takes a spool by uuid (text), as if its label had been scanned
    WeighSpool,
    // demo
    DemoTogglePanel, DemoSelect, DemoAdjustGrams, DemoPlace, DemoRemove, DemoShowLabel, DemoShowPairing,
    DemoScaleConnected,
};

struct Intent {
    IntentKind kind;
    std::string text;
    double value = 0;
    int index = 0;
    Intent(IntentKind k, std::string t = {}, double v = 0, int i = 0) : kind(k), text(std::move(t)), value(v), index(i) {}
};
using Intents = std::vector<Intent>;

}  // namespace batchivo::station
