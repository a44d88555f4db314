// The station's pairing credentials: `<data dir>/credentials.json`, owner-only (0600), written atomically (temp
// file, fsync, rename, fsync of the directory). Holds the server URL, the CA that signs the server's certificate
// (PEM), the public-key pin, the device token and the tenant the token belongs to.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sync/http/http_client.hpp"

namespace batchivo::sync {

struct Credentials {
    std::string server_url;
    std::string ca_pem;        // empty when the server has a publicly trusted certificate
    std::string pin;           // "sha256//..." or empty
    std::string device_token;
    std::string device_id;
    std::string tenant_id;
    std::string tenant_slug;
    std::string tenant_name;
    std::string station_name;
    std::string paired_at;     // ISO-8601 UTC

    TlsTrust trust() const { return {ca_pem, pin}; }
};

std::string credentials_path(const std::string& data_dir);

// nullopt with `error` empty: no file (not paired). nullopt with `error` set: unreadable or malformed file.
// A file readable by group/others is tightened to 0600 on load.
std::optional<Credentials> load_credentials(const std::string& path, std::string& error);
bool save_credentials(const std::string& path, const Credentials& c, std::string& error);

// Codecs used by pairing (exposed for tests).
std::optional<std::string> base64_decode(std::string_view text);  // standard or URL alphabet, padding optional
std::string base64_encode(std::string_view bytes);                 // standard alphabet, padded
// DER certificate -> PEM ("-----BEGIN CERTIFICATE-----", 64-column lines). Empty when `der` is not a certificate.
std::string der_certificate_to_pem(std::string_view der);

}  // namespace batchivo::sync
