// CLI: device pair (one-time pairing code, terminal QR, PNG), device list, device revoke.
#include <iostream>

#include "sync/central/admin/commands.hpp"
#include "sync/central/admin/qr.hpp"
#include "sync/central/api/tls.hpp"

namespace batchivo::central {

using nlohmann::json;

namespace {

struct Options {
    std::string tenant, name, server_url, png, cert, device_id;
    int ttl_minutes = 15;
    bool no_ca = false;
    bool as_json = false;
};

int pair(const CliContext& ctx, const Options& o) {
    if (o.ttl_minutes < 1 || o.ttl_minutes > 24 * 60) throw StoreError("invalid_input", "--ttl-minutes must be 1..1440");
    auto s = ctx.open_store();
    const Tenant t = require_tenant(*s, o.tenant);
    wire::PairingPayload p;
    p.server_url = o.server_url;
    if (o.server_url.rfind("https://", 0) == 0 && !o.no_ca) {
        if (!o.cert.empty()) {
            p.pin = spki_pin_of_cert_file(o.cert);
        } else {
            const auto tls = ensure_tls(ctx.data_dir + "/tls");
            p.ca_der_base64url = cert_der_base64url(tls.ca_file);
            p.pin = spki_pin_of_cert_file(tls.cert_file);
        }
    }
    AuthStore& auth = *s;
    const PairingCode pc = auth.create_pairing_code(t.id, o.name, o.ttl_minutes * 60);
    p.code = pc.code;
    const std::string payload = wire::format_pairing_payload(p);
    if (!wire::parse_pairing_payload(payload)) throw StoreError("invalid_input", "--server-url is not a valid http(s) URL");
    if (!o.png.empty()) {
        if (const auto written = write_qr_png(payload, o.png); !written)
            throw StoreError(written.error().code, written.error().message);
    }
    if (o.as_json) {
        print_json({{"code", pc.code}, {"payload", payload}});
    } else {
        std::cout << qr_terminal(payload) << "\nPairing code: " << pc.code << "  (tenant " << t.slug << ", station \""
                  << o.name << "\", expires " << pc.expires_at << ", one use)\nPayload: " << payload << "\n";
        if (!o.png.empty()) std::cout << "QR PNG: " << o.png << "\n";
    }
    return 0;
}

}  // namespace

void add_device_commands(CLI::App& app, CliContext& ctx) {
    auto o = std::make_shared<Options>();
    auto* device = app.add_subcommand("device", "Station devices");
    device->require_subcommand(1);

    auto* pr = device->add_subcommand("pair", "Create a one-time pairing code (text, terminal QR, PNG)");
    pr->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    pr->add_option("--name", o->name, "Station name, e.g. \"Printer bay 1\"")->required();
    pr->add_option("--server-url", o->server_url, "URL stations use to reach this server")->required();
    pr->add_option("--ttl-minutes", o->ttl_minutes, "Minutes until the code expires")->capture_default_str();
    pr->add_option("--png", o->png, "Also write the QR code to this PNG file");
    pr->add_option("--cert", o->cert, "The server certificate in use (default: the generated one in the data dir)");
    pr->add_flag("--no-ca", o->no_ca, "Do not embed the CA/pin (server has a publicly trusted certificate)");
    pr->add_flag("--json", o->as_json, "Print {\"code\",\"payload\"} only");
    pr->callback([&ctx, o] { ctx.action = [&ctx, o] { return pair(ctx, *o); }; });

    auto* dlist = device->add_subcommand("list", "List a tenant's devices");
    dlist->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    dlist->add_flag("--json", o->as_json, "Print JSON");
    dlist->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            auto s = ctx.open_store();
            const Tenant t = require_tenant(*s, o->tenant);
            AuthStore& auth = *s;
            json arr = json::array();
            for (const auto& d : auth.list_devices(t.id)) {
                if (o->as_json)
                    arr.push_back({{"id", d.id}, {"name", d.name}, {"created_at", d.created_at}, {"last_seen_at", d.last_seen_at},
                                   {"revoked_at", d.revoked_at.empty() ? json(nullptr) : json(d.revoked_at)}});
                else
                    std::cout << d.id << "\t" << d.name << "\tlast seen " << (d.last_seen_at.empty() ? "never" : d.last_seen_at)
                              << (d.revoked_at.empty() ? "" : "\tREVOKED " + d.revoked_at) << "\n";
            }
            if (o->as_json) print_json(arr);
            return 0;
        };
    });

    auto* drevoke = device->add_subcommand("revoke", "Revoke a device token");
    drevoke->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    drevoke->add_option("--device", o->device_id, "Device id")->required();
    drevoke->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            auto s = ctx.open_store();
            const Tenant t = require_tenant(*s, o->tenant);
            AuthStore& auth = *s;
            if (!auth.revoke_device(t.id, o->device_id)) {
                std::cerr << "no active device " << o->device_id << " in tenant " << t.slug << "\n";
                return 1;
            }
            std::cout << "revoked " << o->device_id << "\n";
            return 0;
        };
    });
}

}  // namespace batchivo::central
