// Spool detail: a spool's card, its remaining weight over time and its recent transactions.
// The history is central's recent transactions (fetched in a network task when paired) merged with this
// station's own records; the merging and the plot are plain functions here. DetailScreen is the controller: it
// opens a spool (OpenSpool / ShowSpoolDetail with a uuid), asks central, and fills StationSnapshot::detail.
// "Print label" (DetailPrintLabel) prints the open spool's label with the configured [printer] in a network task
// and toasts the result.
// UI thread only; the fetch runs on the host's network task runner and only the latest request counts.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "station/core/screens/screen.hpp"

namespace batchivo::station {

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

class DetailScreen : public ScreenController {
public:
    explicit DetailScreen(ScreenHost& host) : host_(host) {}
    bool handle(const Intent& in) override;
    void fill(StationSnapshot& s, int64_t) const override;
    void returned() override;
    bool scanned(const platform::LabelRef& label, const std::optional<Spool>& spool) override;
    void sync_status_changed(const sync::SyncStatus& s) override;

private:
    void open(const std::string& uuid);
    void refresh();  // the merged history and plot of the open spool, from the store and the last server answer
    void request_history();
    void print_label();

    ScreenHost& host_;
    DetailView view_;
    std::string uuid_;
    std::optional<sync::SpoolHistory> server_;
    bool printing_ = false;
    uint64_t gen_ = 0;  // one per open(); a late answer for an older one is dropped
    std::shared_ptr<std::atomic<uint64_t>> latest_ = std::make_shared<std::atomic<uint64_t>>(0);
};

}  // namespace batchivo::station
