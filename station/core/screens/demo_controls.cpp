#include "station/core/screens/demo_controls.hpp"

#include <algorithm>
#include <cmath>

namespace batchivo::station {

void DemoControls::enable(std::string central_url, std::string central_error) {
    view_.enabled = true;
    view_.central_url = std::move(central_url);
    view_.central_error = std::move(central_error);
}

std::optional<double> DemoControls::gross_for(const Spool& s) const {
    TareInputs in;
    in.spool = &s;
    in.catalog = &host_.tares();
    in.station_default_g = host_.config().weigh.default_tare_g;
    auto t = resolve_tare(in);
    double tare = t ? t->grams : 200.0;
    double used = s.current_weight_g > 60 ? 37.4 : 0;
    return std::round((s.current_weight_g - used + tare) * 10) / 10;
}

void DemoControls::select(int index) {
    if (view_.spools.empty()) return;
    int n = static_cast<int>(view_.spools.size());
    view_.selected = ((index % n) + n) % n;
    view_.grams = gross_for(view_.spools[size_t(view_.selected)].spool).value_or(1000);
}

void DemoControls::catalog_loaded(const std::shared_ptr<const CatalogIndex>& idx) {
    if (!view_.enabled) return;
    view_.spools.clear();
    for (const auto& s : idx->spools())
        if (view_.spools.size() < 200) view_.spools.push_back(SpoolCard{s, stock_info(s)});
    if (view_.selected >= static_cast<int>(view_.spools.size())) view_.selected = 0;
    if (view_.grams == 0 && !view_.spools.empty()) select(view_.selected);
}

bool DemoControls::handle(const Intent& in) {
    ScaleLink* scale = links_.scale();
    CameraLink* camera = links_.camera();
    switch (in.kind) {
        case IntentKind::DemoTogglePanel: view_.panel_open = !view_.panel_open; return true;
        case IntentKind::DemoSelect: select(view_.selected + in.index); return true;
        case IntentKind::DemoAdjustGrams: view_.grams = std::max(0.0, view_.grams + in.value); return true;
        case IntentKind::DemoPlace:
            if (scale) scale->place(in.value > 0 ? in.value : view_.grams);
            return true;
        case IntentKind::DemoRemove:
            if (scale) scale->remove();
            return true;
        case IntentKind::DemoShowLabel:
            if (camera) {
                std::string text = in.text;
                if (text.empty() && !view_.spools.empty()) {
                    const auto& s = view_.spools[size_t(view_.selected)].spool;
                    text = s.qr_code_data.empty() ? "batchivo://spool/" + s.id : s.qr_code_data;
                }
                camera->show_label("");  // take the previous label away so the same one reads again
                camera->show_label(text);
            }
            return true;
        case IntentKind::DemoShowPairing:
            if (camera) {
                auto payload = links_.pairing_payload();
                if (!payload.empty()) camera->show_label(payload);
            }
            return true;
        case IntentKind::DemoScaleConnected:
            if (scale) scale->set_connected(in.value != 0);
            return true;
        default: return false;
    }
}

}  // namespace batchivo::station
