// Internal to the admin CLI: what `serve` and `demo` share. serve_until_signal starts a CentralServer, calls
// `ready` once it listens, and blocks until SIGINT/SIGTERM (SIGHUP meanwhile reloads the TLS certificate files) (or stdin closing, with watch_stdin: the demo's
// child-process mode); returns the exit status (1 when the server cannot start, reason on stderr).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sync/central/api/server.hpp"

namespace batchivo::central {

struct TlsChoice {
    std::string cert, key, ca;  // ca empty for an operator certificate
};
// The operator's --cert/--key, else the generated material in <data_dir>/tls (created once for `hosts`).
// StoreError("invalid_input") when only one of cert and key is given.
TlsChoice resolve_tls(const std::string& data_dir, const std::string& cert, const std::string& key,
                      const std::vector<std::string>& hosts);

int serve_until_signal(std::shared_ptr<Store> store, ServerOptions so, bool watch_stdin,
                       const std::function<void(CentralServer&)>& ready);

}  // namespace batchivo::central
