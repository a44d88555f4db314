#include "station/core/screens/reorder.hpp"

#include "station/core/screens/stock.hpp"

namespace batchivo::station {

void ReorderScreen::entered() {
    auto idx = host_.catalog();
    view_.lines = reorder_report(host_.store().reorder_settings(), idx ? idx->spools() : host_.store().all_spools());
}

bool ReorderScreen::scanned(const platform::LabelRef&, const std::optional<Spool>& spool) {
    return open_scanned_spool(host_, spool);
}

}  // namespace batchivo::station
