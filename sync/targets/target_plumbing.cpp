#include "sync/targets/target_plumbing.hpp"

namespace batchivo::sync {

CurlOptions transport_options(CurlOptions endpoint, int connect_ms, int total_ms, const std::atomic<bool>* abort) {
    endpoint.connect_timeout_ms = std::min(connect_ms, total_ms);
    endpoint.total_timeout_ms = total_ms;
    endpoint.abort_flag = abort;
    return endpoint;
}

}  // namespace batchivo::sync
