// `label print`: a spool's label (resolved like every other command, from anything its label carries) rendered
// at a label size and sent to a printer spec (platform/printing/printers/printer.hpp).
#include <cstdio>
#include <memory>
#include <string>

#include "station/cli/cli_common.hpp"
#include "station/core/label_printing.hpp"

namespace batchivo::station {

using namespace cli;

void add_label_commands(CLI::App& app, GlobalOptions& g) {
    auto* label = app.add_subcommand("label", "Spool labels");
    label->require_subcommand(1);

    struct PrintArgs {
        std::string spool;
        std::string printer;
        std::string size;
        bool json = false;
    };
    auto a = std::make_shared<PrintArgs>();
    auto* print = label->add_subcommand("print", "Print a spool's label (QR code, spool id, material, weight, date)");
    print->add_option("--spool", a->spool, "Spool: anything its label carries (UUID, URL, spool id, QR text)")
        ->required();
    print->add_option("--printer", a->printer,
                      "Printer spec: cups:QUEUE | brother-ql:/dev/usb/lpN | zpl:/dev/usb/lpN | zpl:tcp:HOST[:PORT] | "
                      "png:DIR | pdf:FILE (default: the config's [printer] spec)");
    print->add_option("--size", a->size, "Label size: 62mm | 50x30 | 40x30 (default: the config's, else 62mm)");
    print->add_flag("--json", a->json, "Print the result as one JSON object");
    print->callback([&g, a] {
        g.exit_code = 1;
        auto ctx = open_context(g);
        if (!ctx) return;
        const std::string printer = a->printer.empty() ? ctx->config.printer.spec : a->printer;
        if (printer.empty()) {
            std::fprintf(stderr, "No printer: pass --printer SPEC or set [printer] spec in the station config.\n");
            return;
        }
        if (auto spec = printing::parse_printer_spec(printer); !spec) {
            std::fprintf(stderr, "Bad printer spec: %s\n", spec.error().message.c_str());
            return;
        }
        auto size = parse_station_label_size(a->size.empty() ? ctx->config.printer.size : a->size);
        if (!size) {
            std::fprintf(stderr, "Bad --size: %s\n", size.error().message.c_str());
            return;
        }
        try {
            StationStore store(ctx->dir.db());
            auto found = resolve_spool_ref(store, a->spool);
            if (!found.spool) {
                std::fprintf(stderr, "%s\n", found.error.c_str());
                return;
            }
            const Spool& s = *found.spool;
            auto r = print_spool_label(s, printer, *size);
            if (!r) {
                std::fprintf(stderr, "Label for %s not printed (%s): %s\n", s.spool_id.c_str(),
                             r.error().code.c_str(), r.error().message.c_str());
                return;
            }
            const std::string size_name(printing::info(*size).name);
            if (a->json) {
                nlohmann::json j = {{"uuid", s.id},
                                    {"spool_id", s.spool_id},
                                    {"payload", printing::label_payload(s)},
                                    {"size", size_name},
                                    {"printer", printer},
                                    {"destination", r->destination},
                                    {"bytes", r->bytes}};
                if (r->cups_job_id) j["cups_job_id"] = r->cups_job_id;
                std::printf("%s\n", j.dump().c_str());
            } else {
                std::printf("Printed the %s label of %s to %s (%zu bytes).\n", size_name.c_str(), s.spool_id.c_str(),
                            r->destination.c_str(), r->bytes);
            }
            g.exit_code = 0;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "Label not printed: %s\n", e.what());
        }
    });
}

}  // namespace batchivo::station
