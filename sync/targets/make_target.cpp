#include "sync/targets/make_target.hpp"

#include "sync/store/station_store.hpp"
#include "sync/targets/batchivo/batchivo_target.hpp"
#include "sync/targets/central/central_target.hpp"
#include "sync/targets/connection.hpp"
#include "sync/targets/spoolman/spoolman_target.hpp"

namespace batchivo::sync {

std::string stored_target_kind(const std::string& data_dir) {
    auto c = load_connection(connection_path(data_dir));
    if (c && *c) return (*c)->kind;
    return "central";
}

std::shared_ptr<SyncTarget> make_target(const TargetOptions& opts) {
    const std::string kind = stored_target_kind(opts.data_dir);
    if (kind == "batchivo") {
        BatchivoTargetOptions b;
        b.connection_path = connection_path(opts.data_dir);
        b.connect_timeout_ms = opts.connect_timeout_ms;
        b.total_timeout_ms = opts.total_timeout_ms;
        b.lookup_timeout_ms = opts.lookup_timeout_ms;
        b.client_factory = opts.client_factory;
        return std::make_shared<BatchivoTarget>(std::move(b));
    }
    if (kind == "spoolman") {
        SpoolmanTargetOptions s;
        s.connection_path = connection_path(opts.data_dir);
        s.connect_timeout_ms = opts.connect_timeout_ms;
        s.total_timeout_ms = opts.total_timeout_ms;
        s.lookup_timeout_ms = opts.lookup_timeout_ms;
        s.client_factory = opts.client_factory;
        return std::make_shared<SpoolmanTarget>(std::move(s));
    }
    CentralTargetOptions c;
    c.credentials_path = credentials_path(opts.data_dir);
    c.connect_timeout_ms = opts.connect_timeout_ms;
    c.total_timeout_ms = opts.total_timeout_ms;
    c.lookup_timeout_ms = opts.lookup_timeout_ms;
    c.client_factory = opts.client_factory;
    return std::make_shared<CentralTarget>(std::move(c));
}

std::string catalog_source_of(const TargetIdentity& id) {
    if (!id.paired) return {};
    return StationStore::catalog_source_key(id.kind, id.server_url, id.tenant_id);
}

std::string stored_catalog_source(const TargetOptions& opts) { return catalog_source_of(make_target(opts)->identity()); }

Result<> select_central_target(const std::string& data_dir) { return remove_connection(connection_path(data_dir)); }

}  // namespace batchivo::sync
