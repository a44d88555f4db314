// CLI: demo — seed the demo tenant in a directory and serve it over HTTPS for the kiosk's --demo (one JSON line on
// stdout when ready; see docs/CENTRAL.md "The demo server").
#include <filesystem>
#include <iostream>

#include "sync/central/admin/cli.hpp"
#include "sync/central/admin/commands.hpp"
#include "sync/central/admin/serving.hpp"
#include "sync/central/api/tls.hpp"

namespace batchivo::central {

namespace {

struct Options {
    std::string dir, listen = "127.0.0.1:0";
    bool no_stdin_watch = false;
};

int demo(const Options& o) {
    const auto listen = parse_listen(o.listen);
    if (!listen) throw StoreError(listen.error().code, listen.error().message);
    ServerOptions so;
    so.host = listen->host;
    so.port = listen->port;
    std::filesystem::create_directories(o.dir);
    std::shared_ptr<Store> s = open_store("sqlite:" + o.dir + "/central.db");
    s->migrate();
    const Tenant t = seed_demo(*s);
    const auto tls = ensure_tls(o.dir + "/tls", {so.host});
    so.cert_file = tls.cert_file;
    so.key_file = tls.key_file;
    return serve_until_signal(s, so, !o.no_stdin_watch, [&](CentralServer& srv) {
        const PairingCode pc = s->create_pairing_code(t.id, "Demo station", 3600);
        wire::PairingPayload p{srv.url(), pc.code, cert_der_base64url(tls.ca_file), spki_pin_of_cert_file(tls.cert_file)};
        std::cout << nlohmann::ordered_json{{"url", srv.url()},
                                            {"pairing_payload", wire::format_pairing_payload(p)},
                                            {"tenant", t.slug}}
                         .dump()
                  << std::endl;
        std::cerr << "batchivo-central demo: serving tenant " << t.slug << " on " << srv.url() << "\n";
    });
}

}  // namespace

void add_demo_command(CLI::App& app, CliContext& ctx) {
    auto o = std::make_shared<Options>();
    auto* d = app.add_subcommand("demo", "Seed a demo tenant in DIR and serve it over HTTPS (for the kiosk's --demo)");
    d->add_option("--data-dir", o->dir, "Directory for the demo database and TLS material")->required();
    d->add_option("--listen", o->listen, "HOST:PORT (loopback)")->capture_default_str();
    d->add_flag("--no-stdin-watch", o->no_stdin_watch, "Keep serving when stdin closes (manual runs)");
    d->callback([&ctx, o] { ctx.action = [o] { return demo(*o); }; });
}

}  // namespace batchivo::central
