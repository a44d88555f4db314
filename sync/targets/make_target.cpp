#include "sync/targets/make_target.hpp"

#include "sync/targets/central/central_target.hpp"

namespace batchivo::sync {

std::shared_ptr<SyncTarget> make_target(const TargetOptions& opts) {
    CentralTargetOptions c;
    c.credentials_path = credentials_path(opts.data_dir);
    c.connect_timeout_ms = opts.connect_timeout_ms;
    c.total_timeout_ms = opts.total_timeout_ms;
    c.lookup_timeout_ms = opts.lookup_timeout_ms;
    c.client_factory = opts.client_factory;
    return std::make_shared<CentralTarget>(std::move(c));
}

}  // namespace batchivo::sync
