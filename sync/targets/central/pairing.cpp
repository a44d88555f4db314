#include "sync/targets/central/pairing.hpp"

#include <memory>

#include "sync/targets/central/station_api.hpp"
#include "sync/targets/connection.hpp"
#include "sync/domain/text.hpp"
#include "sync/domain/time.hpp"
#include "sync/protocol/wire.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo::sync {

PairResult pair_station(std::string_view payload, const std::string& data_dir, const PairOptions& opts) {
    PairResult out;
    const std::string text(trim(payload));
    if (wire::looks_like_pairing_code(text)) {
        out.error = "That is only a pairing code. Scan the pairing QR code (or paste its full text, "
                    "batchivo-pair:v1?...), which also carries the server address and certificate.";
        return out;
    }
    auto p = wire::parse_pairing_payload(text);
    if (!p) {
        out.error = "Not a Batchivo pairing code: expected the text of the pairing QR (batchivo-pair:v1?url=...&code=...).";
        return out;
    }
    const bool https = p->server_url.rfind("https://", 0) == 0;
    if (!https && !(p->server_url.rfind("http://", 0) == 0 && is_loopback_url(p->server_url))) {
        out.error = "The pairing code points to " + p->server_url +
                    ", which is not an HTTPS address; the station only talks to central over verified HTTPS.";
        return out;
    }
    Credentials c;
    c.server_url = p->server_url;
    c.pin = p->pin;
    if (!p->ca_der_base64url.empty()) {
        auto der = base64_decode(p->ca_der_base64url);
        if (der) c.ca_pem = der_certificate_to_pem(*der);
        if (c.ca_pem.empty()) {
            out.error = "The pairing code's server certificate is damaged; print a new pairing code.";
            return out;
        }
    }
    if (!c.pin.empty() && c.pin.rfind("sha256//", 0) != 0) {
        out.error = "The pairing code's key pin is not in the sha256//... form; print a new pairing code.";
        return out;
    }

    CurlOptions co;
    co.base_url = c.server_url;
    co.trust = c.trust();
    co.connect_timeout_ms = opts.connect_timeout_ms;
    co.total_timeout_ms = opts.total_timeout_ms;
    co.abort_flag = opts.abort_flag;
    std::unique_ptr<HttpClient> http;
    try {
        http = make_http_client(co, opts.client_factory);
    } catch (const std::exception& e) {
        out.error = e.what();
        return out;
    }
    wire::PairRequest req;
    req.code = p->code;
    req.device_name = opts.device_name;
    auto res = api_pair(*http, req, now_epoch_ms());
    switch (res.cls.what) {
        case Disposition::Success:
            break;
        case Disposition::TlsAlert:
            out.error = "The server at " + c.server_url +
                        " did not prove it is the one in the pairing code (certificate or key pin mismatch). "
                        "Nothing was stored. Check the network for interception, or print a new pairing code. (" +
                        res.cls.message + ")";
            return out;
        case Disposition::Revoked:
        case Disposition::BadRequest:
            out.error = "Central refused the pairing code (" + res.cls.message +
                        "). Codes are single-use and expire quickly: print a new one.";
            return out;
        default:
            out.error = "Could not reach central at " + c.server_url + " (" + res.cls.message + "). Try again.";
            return out;
    }
    const auto& pr = *res.value;
    if (pr.token.empty()) {
        out.error = "Central answered without a device token; nothing was stored.";
        return out;
    }
    c.device_token = pr.token;
    c.device_id = pr.device_id;
    c.tenant_id = pr.tenant_id;
    c.tenant_slug = pr.tenant_slug;
    c.tenant_name = pr.tenant_name;
    c.station_name = pr.station_name;
    c.paired_at = iso8601_utc_ms(now_epoch_ms());

    // The store: tenant bookkeeping. A different tenant than before means the cached catalog belongs to someone
    // else: drop it and pull from scratch. The outbox is never touched.
    try {
        std::unique_ptr<StationStore> own;
        StationStore* store = opts.store;
        if (!store) {
            own = std::make_unique<StationStore>(data_dir + "/station.db");
            store = own.get();
        }
        const auto prev = store->meta("tenant_id");
        out.pending_from_previous_pairing = store->counts().pending;
        out.tenant_changed = prev && !prev->empty() && to_lower(*prev) != to_lower(c.tenant_id);
        // The cache holds one server's catalog: another server, tenant or kind of target (a Spoolman or Batchivo
        // connection still stored) means it is cleared, keeping only spools that unconfirmed records refer to.
        std::string previous;
        if (const auto conn = load_connection(connection_path(data_dir)); !conn || !*conn) {
            std::string ignored;
            if (const auto old = load_credentials(credentials_path(data_dir), ignored))
                previous = StationStore::catalog_source_key("central", old->server_url, old->tenant_id);
        }
        const auto reset =
            store->reset_catalog_for_target(StationStore::catalog_source_key("central", c.server_url, c.tenant_id),
                                            previous);
        out.catalog_cleared = reset.cleared;
        store->set_meta("tenant_id", c.tenant_id);
        store->set_meta("device_id", c.device_id);
    } catch (const std::exception& e) {
        out.warning = std::string("the station store could not be updated: ") + e.what();
        // Still store the credentials: the code is consumed, and the token is valid.
    }
    std::string err;
    if (!save_credentials(credentials_path(data_dir), c, err)) {
        out.error = "Paired, but the credentials could not be saved: " + err;
        out.ok = false;
        return out;
    }
    out.ok = true;
    out.credentials = std::move(c);
    return out;
}

}  // namespace batchivo::sync
