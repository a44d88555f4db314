// `spool new`: adds a spool on the station. Durable at once (a "spool created" outbox record and the spool in the
// local catalog, usable for weighing and labels before any sync); central assigns a spool_id when none is given
// and the sync result brings it back. station/core/intake_flow.hpp computes the weights. With --print the label's
// payload is added to the record before it is sent, so central counts the spool as labelled.
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "platform/printing/label/label.hpp"
#include "station/cli/cli_common.hpp"
#include "station/core/intake_flow.hpp"
#include "station/core/label_printing.hpp"

namespace batchivo::station {

using namespace cli;

void add_spool_commands(CLI::App& app, GlobalOptions& g) {
    auto* spool = app.add_subcommand("spool", "Spools on this station");
    spool->require_subcommand(1);

    struct NewArgs {
        std::string material, brand, color, color_hex, spool_id, location, purchase_item, printer, size, notes;
        std::optional<double> gross, tare;
        bool json = false;
    };
    auto a = std::make_shared<NewArgs>();
    auto* add = spool->add_subcommand(
        "new", "Add a new spool: durable at once, usable before it syncs; central assigns a spool id if none is given");
    add->add_option("--material", a->material, "Material type, e.g. PLA (taken from --purchase-item when omitted)");
    add->add_option("--brand", a->brand, "Brand, e.g. \"Bambu Lab\"");
    add->add_option("--color", a->color, "Color, e.g. Black");
    add->add_option("--color-hex", a->color_hex, "Color swatch as #RRGGBB");
    add->add_option("--gross", a->gross,
                    "The full spool's weight in grams: initial weight = gross - tare (without it: the nominal weight)");
    add->add_option("--tare", a->tare, "Empty-spool weight in grams, used when no more specific tare is known");
    add->add_option("--spool-id", a->spool_id, "Human spool id (default: central assigns one, e.g. PLA-BLK-003)");
    add->add_option("--location", a->location, "Storage location");
    add->add_option("--purchase-item", a->purchase_item, "UUID of the open purchase line this spool fills");
    add->add_option("--notes", a->notes, "Notes kept with the record");
    add->add_option("--print", a->printer,
                    "Print the label: a printer spec (cups:QUEUE, brother-ql:/dev/usb/lpN, zpl:..., png:DIR, pdf:FILE) "
                    "or 'default' for the config's [printer] spec");
    add->add_option("--size", a->size, "Label size for --print: 62mm | 50x30 | 40x30 (default: the config's)");
    add->add_flag("--json", a->json, "Print the result as one JSON object");
    add->callback([&g, a] {
        g.exit_code = 1;
        auto ctx = open_context(g);
        if (!ctx) return;
        std::string printer;
        std::optional<printing::LabelSize> size;
        if (!a->printer.empty()) {
            printer = a->printer == "default" ? ctx->config.printer.spec : a->printer;
            if (printer.empty()) {
                std::fprintf(stderr, "No printer: --print default needs [printer] spec in the station config.\n");
                return;
            }
            if (auto spec = printing::parse_printer_spec(printer); !spec) {
                std::fprintf(stderr, "Bad printer spec: %s\n", spec.error().message.c_str());
                return;
            }
            auto sz = parse_station_label_size(a->size.empty() ? ctx->config.printer.size : a->size);
            if (!sz) {
                std::fprintf(stderr, "Bad --size: %s\n", sz.error().message.c_str());
                return;
            }
            size = *sz;
        }
        try {
            StationStore store(ctx->dir.db());
            auto tares = load_tare_catalog();
            IntakeInput in;
            in.material = a->material;
            in.brand = a->brand;
            in.color = a->color;
            in.color_hex = a->color_hex;
            in.gross_g = a->gross;
            in.manual_tare_g = a->tare;
            in.spool_id = a->spool_id;
            in.location = a->location;
            in.purchase_item_id = a->purchase_item;
            in.notes = a->notes;
            auto plan = plan_intake(in, store, tares ? &*tares : nullptr, ctx->config.weigh.default_tare_g);
            if (!plan) {
                std::fprintf(stderr, "Spool not added: %s\n", plan.error().message.c_str());
                return;
            }
            const OutboxRecord rec = store.create_spool(plan->record);
            const auto spool = store.spool_by_uuid(rec.spool_uuid);
            if (!spool) {
                std::fprintf(stderr, "Spool not found after saving it (store problem).\n");
                return;
            }
            const std::string payload = printing::label_payload(*spool);
            nlohmann::json j = {{"uuid", spool->id},
                                {"spool_id", spool->spool_id},
                                {"material", spool->material_name},
                                {"brand", spool->brand},
                                {"color", spool->color},
                                {"initial_weight_g", spool->initial_weight_g},
                                {"weight_source", plan->weight_source},
                                {"tare_g", plan->tare ? nlohmann::json(plan->tare->grams) : nlohmann::json(nullptr)},
                                {"tare_source", plan->tare ? nlohmann::json(std::string(to_string(plan->tare->source)))
                                                           : nlohmann::json(nullptr)},
                                {"label", payload},
                                {"record_id", rec.id},
                                {"seq", rec.seq}};
            if (!spool->storage_location.empty()) j["location"] = spool->storage_location;
            if (!plan->record.spool.purchase_item_id.empty()) j["purchase_item_id"] = plan->record.spool.purchase_item_id;
            int rc = 0;
            if (!printer.empty()) {
                auto r = print_spool_label(*spool, printer, *size);
                if (r) {
                    j["printed"] = {{"printer", printer}, {"destination", r->destination}, {"bytes", r->bytes}};
                    // The label's payload travels with the (still unsent) record: central marks the spool labelled.
                    j["labelled_on_sync"] = store.mark_label_printed(spool->id, payload);
                } else {
                    j["printed"] = nullptr;
                    j["print_error"] = r.error().message;
                    rc = 3;  // the spool is saved; only the label failed
                }
            }
            if (a->json) {
                std::printf("%s\n", j.dump().c_str());
            } else {
                std::printf("Added spool %s (%s %s %s), %d g (%s", spool->spool_id.empty() ? "(id assigned at sync)" : spool->spool_id.c_str(),
                            spool->material_name.c_str(), spool->brand.c_str(), spool->color.c_str(),
                            spool->initial_weight_g, plan->weight_source.c_str());
                if (plan->tare && plan->record.measurement)
                    std::printf(": gross %s - tare %s from %s", grams(plan->record.measurement->gross_g).c_str(),
                                grams(plan->tare->grams).c_str(), std::string(to_string(plan->tare->source)).c_str());
                std::printf("). Saved on this station as record #%lld; it syncs with the queue.\n", static_cast<long long>(rec.seq));
                std::printf("  uuid  %s\n  label %s\n", spool->id.c_str(), payload.c_str());
                if (j.contains("printed") && !j["printed"].is_null())
                    std::printf("  label printed to %s\n", j["printed"]["destination"].get<std::string>().c_str());
            }
            if (rc == 3) std::fprintf(stderr, "Spool saved, but the label did not print: %s\n", j["print_error"].get<std::string>().c_str());
            g.exit_code = rc;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "Spool not added: %s\n", e.what());
        }
    });
}

}  // namespace batchivo::station
