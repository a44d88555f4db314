#include "station/ui/screens/draw.hpp"

namespace batchivo::station::ui {

namespace {

const ScreenDraw kDraws[] = {
    {Screen::Weigh, draw_weigh},     {Screen::LogUsage, draw_usage}, {Screen::Stock, draw_stock},
    {Screen::SpoolDetail, draw_detail}, {Screen::Reorder, draw_reorder}, {Screen::Sync, draw_sync},
    {Screen::Setup, draw_setup},     {Screen::Intake, draw_intake},
};

}  // namespace

std::span<const ScreenDraw> screen_draws() { return kDraws; }

DrawScreen draw_for(Screen s) {
    for (const auto& d : kDraws)
        if (d.id == s) return d.draw;
    return nullptr;
}

}  // namespace batchivo::station::ui
