// Fuzzes central's whole request handling in-process (CentralServer::handle: the same dispatch the HTTPS workers
// run) against a SQLite store with one tenant, spools and a paired device. Input: byte 0 picks the token (none,
// valid, invalid) and the method; then the request target up to '\n' (prefixed with the API prefix unless it
// starts with '/'), one optional extra header line up to '\n', and the rest is the body.
// Invariants: never a 5xx, never an exception, every answer is a JSON object (a 304 has an empty body).
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_common.hpp"
#include "sync/central/api/http.hpp"
#include "sync/central/api/server.hpp"
#include "sync/central/store/store.hpp"
#include "sync/protocol/api.hpp"

using namespace batchivo;
using namespace batchivo::central;

namespace {

struct World {
    std::shared_ptr<Store> store;
    std::unique_ptr<CentralServer> server;
    std::string token;
};

World& world() {
    static World* w = [] {
        auto* x = new World;
        char tmpl[] = "/tmp/batchivo-fuzz-central-XXXXXX";
        const char* dir = mkdtemp(tmpl);
        FUZZ_ASSERT(dir != nullptr);
        x->store = open_store(std::string("sqlite:") + dir + "/central.db");
        x->store->migrate();
        const Tenant t = x->store->create_tenant("fuzz", "Fuzz farm");
        for (int i = 0; i < 3; ++i) {
            Spool s;
            s.id = "0193a1b2-0000-7000-8000-00000000c00" + std::to_string(i + 1);
            s.spool_id = "FIL-" + std::to_string(i + 1);
            s.material_name = "PLA";
            s.initial_weight_g = 1000;
            s.current_weight_g = 800;
            x->store->upsert_spool(t.id, s);
        }
        const auto pc = x->store->create_pairing_code(t.id, "Bay", 3600);
        x->token = x->store->redeem_pairing(pc.code, "fuzz").token;
        x->server = std::make_unique<CentralServer>(x->store);
        ServerOptions o;
        o.rate_per_s = 0;  // no rate limits: every input reaches the handlers
        o.pair_rate_per_s = 0;
        o.auth_fail_rate_per_s = 0;
        o.access_log = false;  // one stderr line per input would drown the fuzzer's output
        x->server->configure(o);
        set_rejection_log(false);
        return x;
    }();
    return *w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    World& w = world();
    if (size == 0) return 0;
    static const char* const kMethods[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "BREW"};
    const uint8_t flags = data[0];
    std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
    ApiRequest req;
    req.method = kMethods[(flags >> 2) & 7];
    auto take_line = [&rest]() {
        const size_t nl = rest.find('\n');
        std::string line = rest.substr(0, nl);
        rest = nl == std::string::npos ? std::string() : rest.substr(nl + 1);
        return line;
    };
    std::string target = take_line();
    req.target = !target.empty() && target[0] == '/' ? target : std::string(wire::kApiPrefix) + "/" + target;
    const std::string header = take_line();
    if (const size_t colon = header.find(':'); colon != std::string::npos)
        req.headers.emplace_back(header.substr(0, colon), header.substr(colon + 1));
    switch (flags & 3) {
        case 1:
        case 3: req.headers.emplace_back("Authorization", "Bearer " + w.token); break;
        case 2: req.headers.emplace_back("Authorization", "Bearer bvt_not-a-real-token"); break;
        default: break;
    }
    req.body = rest;
    ApiResponse res;
    try {
        res = w.server->handle(req);
    } catch (...) {
        FUZZ_ASSERT(!"handle() threw");
    }
    if (res.status >= 500) std::fprintf(stderr, "5xx for %s %s: %s\n", req.method.c_str(), req.target.c_str(), res.body.c_str());
    FUZZ_ASSERT(res.status >= 200 && res.status < 500);
    if (res.status == 304) {  // GET /catalog with a matching If-None-Match: no body, but the ETag
        FUZZ_ASSERT(res.body.empty());
        return 0;
    }
    FUZZ_ASSERT(nlohmann::json::accept(res.body));
    return 0;
}
