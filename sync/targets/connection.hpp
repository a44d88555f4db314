// The station's stored connection to a non-central target: `<data dir>/target.json`, owner-only (0600), written
// atomically (temp file, fsync, rename, directory fsync). Its `kind` picks the target in make_target(); without the
// file the station talks to batchivo-central (credentials.json from pairing). The API key is a secret: it is never
// logged or printed (status shows only whether one is set). A Batchivo connection (kind "batchivo") also holds the
// account's email, the tenant and the session tokens from login -- never the password; the tokens are secrets too.
#pragma once

#include <optional>
#include <string>

#include "sync/domain/result.hpp"
#include "sync/http/http_client.hpp"

namespace batchivo::sync {

struct TargetConnection {
    std::string kind;      // "spoolman" | "batchivo"
    std::string url;       // base URL, no trailing slash, e.g. http://192.168.1.20:7912
    std::string api_key;   // optional (sent as Authorization: Bearer); empty = none
    std::string ca_pem;    // optional CA for https (from --ca FILE); empty = the system trust store
    std::string connected_at;  // ISO-8601 UTC
    // Batchivo only.
    std::string email{};          // the account that signed in
    std::string tenant_id{};      // sent as X-Tenant-ID (chosen with --tenant, else the one Batchivo picked at login)
    std::string tenant_name{};    // for display; may be empty
    bool tenant_chosen{false};  // true: --tenant; false: Batchivo's default (the user's oldest membership)
    std::string access_token{};   // JWT (HS256), `exp` read from it
    std::string refresh_token{};  // rotated by POST /api/v1/auth/refresh
};

std::string connection_path(const std::string& data_dir);
// nullopt: no file. Error: unreadable or malformed.
Result<std::optional<TargetConnection>> load_connection(const std::string& path);
Result<> save_connection(const std::string& path, const TargetConnection& c);
Result<> remove_connection(const std::string& path);

// Whether `url` may be used: https://, or http:// on the local network (sync/http is_local_network_url).
// Error code "insecure_url" with an operator-readable message otherwise.
Result<> check_target_url(const std::string& url);
bool is_plain_http(const std::string& url);

// The transport for a stored connection (Spoolman, Batchivo): its URL, its CA (else the system trust store;
// verification is always on), and http:// allowed on the local network (connect refuses it elsewhere, and so does
// the transport). Timeouts and abort flag: transport_options() (target_plumbing.hpp).
CurlOptions connection_endpoint(const TargetConnection& c);
// The stored connection of `kind` at `path` for TargetPlumbing: nullopt when there is none or it is another kind;
// `problem` says why a file that is there cannot be used.
std::optional<TargetConnection> load_connection_of_kind(const std::string& path, const std::string& kind,
                                                        std::string& problem);

}  // namespace batchivo::sync
