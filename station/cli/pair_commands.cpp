// `pair PAYLOAD`: pairs the station with batchivo-central (sync/targets/central/pairing.hpp), with the timeouts the
// kiosk uses ([sync] in the config, via sync_setup()).
#include <cstdio>
#include <memory>
#include <string>

#include "station/cli/cli_common.hpp"
#include "station/core/sync_link.hpp"
#include "sync/targets/central/credentials.hpp"
#include "sync/targets/central/pairing.hpp"
#include "sync/targets/make_target.hpp"

namespace batchivo::station {

using namespace cli;

void add_pair_commands(CLI::App& app, GlobalOptions& g) {
    auto* cmd = app.add_subcommand("pair", "Pair this station with central using the pairing QR's text");
    auto payload = std::make_shared<std::string>();
    auto name = std::make_shared<std::string>();
    cmd->add_option("PAYLOAD", *payload, "The pairing QR code's text (batchivo-pair:v1?url=...&code=...)")->required();
    cmd->add_option("--name", *name, "What this station calls itself (default: station_name from the config)");
    cmd->callback([&g, payload, name] {
        auto ctx = open_context(g);
        if (!ctx) {
            g.exit_code = 1;
            return;
        }
        sync::PairOptions o;
        o.device_name = name->empty() ? ctx->config.station_name : *name;
        const auto setup = sync_setup(ctx->config.sync, ctx->dir.root);
        o.connect_timeout_ms = setup.target.connect_timeout_ms;
        o.total_timeout_ms = setup.target.total_timeout_ms;
        auto r = sync::pair_station(*payload, ctx->dir.root, o);
        if (!r.ok) {
            std::fprintf(stderr, "Pairing failed: %s\n", r.error.c_str());
            g.exit_code = 1;
            return;
        }
        // Pairing with central makes central the target again (make_target prefers a stored connection).
        if (auto rm = sync::select_central_target(ctx->dir.root); !rm)
            std::fprintf(stderr, "Warning: %s\n", rm.error().message.c_str());
        const auto& c = r.credentials;
        std::printf("Paired with %s (%s) at %s as \"%s\" (device %s).\n", c.tenant_name.c_str(), c.tenant_slug.c_str(),
                    c.server_url.c_str(), c.station_name.c_str(), c.device_id.c_str());
        std::printf("Credentials saved to %s (owner-only).\n", sync::credentials_path(ctx->dir.root).c_str());
        if (r.catalog_cleared)
            std::printf("%s: its catalog cache was cleared.\n",
                        r.tenant_changed ? "This station belonged to another tenant before"
                                         : "This station was connected to another server before");
        if (r.pending_from_previous_pairing > 0)
            std::printf("%lld unsynced record(s) from before will be sent with the new pairing.\n",
                        static_cast<long long>(r.pending_from_previous_pairing));
        if (!r.warning.empty()) std::fprintf(stderr, "Warning: %s\n", r.warning.c_str());
    });
}

}  // namespace batchivo::station
