// The one place that picks a station's sync target. Today: batchivo-central (credentials.json from pairing). The
// Spoolman and Batchivo targets (issue #10) are added here, chosen from the stored connection. Pure factory: the
// target it returns is shared by the engine and the station's look-ups (see target.hpp for threads).
#pragma once

#include <memory>
#include <string>

#include "sync/engine/target.hpp"
#include "sync/http/http_client.hpp"

namespace batchivo::sync {

struct TargetOptions {
    std::string data_dir;            // holds credentials.json
    int connect_timeout_ms = 5'000;
    int total_timeout_ms = 30'000;   // batches and catalog pages
    int lookup_timeout_ms = 8'000;   // history / whoami
    HttpClientFactory client_factory;  // tests substitute the transport; default: libcurl
};

std::shared_ptr<SyncTarget> make_target(const TargetOptions& opts);

}  // namespace batchivo::sync
