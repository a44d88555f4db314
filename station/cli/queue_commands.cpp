// `queue list|show|retry|discard`: the transaction log / outbox as the operator sees it (docs/SYNC.md, states).
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "station/cli/cli_common.hpp"

namespace batchivo::station {

using namespace cli;

namespace {

void print_record_line(const OutboxRecord& r) {
    std::printf("%6lld  %s  %-9s  %-10s  %6d g  %-14s  %s%s%s\n", static_cast<long long>(r.seq), r.id.c_str(),
                std::string(to_string(r.state)).c_str(), std::string(to_string(r.type)).c_str(), r.quantity_grams,
                r.spool_label.empty() ? r.spool_uuid.substr(0, 8).c_str() : r.spool_label.c_str(),
                time_text(r.device_time_ms).c_str(), r.reason.empty() ? "" : "  ", r.reason.c_str());
}

// Runs `fn` on the record named by `ref` (id, unique id prefix or #seq) in the station's store; the exit status is
// 1 unless `fn` sets it to 0.
template <class Fn>
void on_record(GlobalOptions& g, const std::string& ref, Fn fn) {
    g.exit_code = 1;
    auto ctx = open_context(g);
    if (!ctx) return;
    StationStore store(ctx->dir.db());
    auto r = store.get_record(ref);
    if (!r) {
        std::fprintf(stderr, "No record '%s' (or the prefix is ambiguous).\n", ref.c_str());
        return;
    }
    fn(store, *r);
}

}  // namespace

void add_queue_commands(CLI::App& app, GlobalOptions& g) {
    auto* q = app.add_subcommand("queue", "Inspect and manage the station's transaction log / outbox");
    q->require_subcommand(1);

    struct ListArgs {
        bool json = false;
        std::string state;
        int limit = 200;
    };
    auto la = std::make_shared<ListArgs>();
    auto* list = q->add_subcommand("list", "List records, newest first");
    list->add_flag("--json", la->json, "Print a JSON array");
    list->add_option("--state", la->state, "Only records in this state: pending | sent | applied | rejected | discarded");
    list->add_option("--limit", la->limit, "At most this many records (default 200)");
    list->callback([&g, la] {
        g.exit_code = 1;
        auto ctx = open_context(g);
        if (!ctx) return;
        std::optional<RecordState> st;
        if (!la->state.empty()) {
            st = record_state_from_string(la->state);
            if (!st) {
                std::fprintf(stderr, "Unknown state '%s'.\n", la->state.c_str());
                return;
            }
        }
        try {
            StationStore store(ctx->dir.db());
            auto recs = store.list_records(st, la->limit);
            if (la->json) {
                auto arr = nlohmann::json::array();
                for (auto& r : recs) arr.push_back(record_json(r));
                std::printf("%s\n", arr.dump(2).c_str());
            } else {
                auto c = store.counts();
                std::printf("%lld pending, %lld applied, %lld rejected, %lld discarded\n",
                            static_cast<long long>(c.pending), static_cast<long long>(c.applied),
                            static_cast<long long>(c.rejected), static_cast<long long>(c.discarded));
                if (!recs.empty())
                    std::printf("%6s  %-36s  %-9s  %-10s  %8s  %-14s  %s\n", "seq", "id", "state", "type", "grams",
                                "spool", "device time");
                for (auto& r : recs) print_record_line(r);
            }
            g.exit_code = 0;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "batchivo-station: %s\n", e.what());
        }
    });

    auto id = std::make_shared<std::string>();
    auto* show = q->add_subcommand("show", "Show one record (id, unique id prefix, or sequence number)");
    show->add_option("ID", *id, "Record id, unique prefix, or #seq")->required();
    show->callback([&g, id] {
        on_record(g, *id, [&g](StationStore&, const OutboxRecord& r) {
            std::printf("%s\n", record_json(r).dump(2).c_str());
            g.exit_code = 0;
        });
    });

    auto rid = std::make_shared<std::string>();
    auto* retry = q->add_subcommand("retry", "Put a rejected record back in the queue (same id: applied at most once)");
    retry->add_option("ID", *rid, "Record id, unique prefix, or #seq")->required();
    retry->callback([&g, rid] {
        on_record(g, *rid, [&g](StationStore& store, const OutboxRecord& r) {
            if (r.state == RecordState::Applied || r.state == RecordState::Discarded) {
                std::fprintf(stderr, "Record %lld is %s; only rejected (or pending) records can be retried.\n",
                             static_cast<long long>(r.seq), std::string(to_string(r.state)).c_str());
                return;
            }
            if (!store.retry(r.id)) {
                std::fprintf(stderr, "Record %lld could not be put back in the queue.\n", static_cast<long long>(r.seq));
                return;
            }
            std::printf("Record %lld (%s) is pending again; it will be sent with the same id.\n",
                        static_cast<long long>(r.seq), r.id.c_str());
            g.exit_code = 0;
        });
    });

    auto did = std::make_shared<std::string>();
    auto* discard = q->add_subcommand("discard", "Mark a rejected or pending record discarded (kept, never sent)");
    discard->add_option("ID", *did, "Record id, unique prefix, or #seq")->required();
    discard->callback([&g, did] {
        on_record(g, *did, [&g](StationStore& store, const OutboxRecord& r) {
            if (r.state == RecordState::Sent) {
                std::fprintf(stderr,
                             "Record %lld was already sent and central may have applied it; run `sync --once` first.\n",
                             static_cast<long long>(r.seq));
                return;
            }
            if (!store.discard(r.id)) {
                std::fprintf(stderr, "Record %lld is %s and cannot be discarded.\n", static_cast<long long>(r.seq),
                             std::string(to_string(r.state)).c_str());
                return;
            }
            std::printf("Record %lld (%s) is discarded: kept in the log, never sent.\n", static_cast<long long>(r.seq),
                        r.id.c_str());
            g.exit_code = 0;
        });
    });
}

}  // namespace batchivo::station
