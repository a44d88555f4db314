#include "station/core/screens/registry.hpp"

#include "station/core/screens/detail.hpp"
#include "station/core/screens/intake.hpp"
#include "station/core/screens/reorder.hpp"
#include "station/core/screens/setup.hpp"
#include "station/core/screens/stock.hpp"
#include "station/core/screens/sync.hpp"
#include "station/core/screens/usage.hpp"
#include "station/core/screens/weigh.hpp"

namespace batchivo::station {

namespace {

template <class C>
std::unique_ptr<ScreenController> make(ScreenHost& host) {
    return std::make_unique<C>(host);
}

const ScreenInfo kScreens[] = {
    // id                  name       rail label      rail item          controller
    {Screen::Weigh,       "weigh",   "Weigh",        Screen::Weigh,    make<WeighScreen>},
    {Screen::LogUsage,    "usage",   "Log\nusage",   Screen::LogUsage, make<UsageScreen>},
    {Screen::Stock,       "stock",   "Stock",        Screen::Stock,    make<StockScreen>},
    {Screen::SpoolDetail, "detail",  "",             Screen::Stock,    make<DetailScreen>},
    {Screen::Reorder,     "reorder", "",             Screen::Stock,    make<ReorderScreen>},
    {Screen::Intake,      "intake",  "",             Screen::Stock,    make<IntakeScreen>},
    {Screen::Sync,        "sync",    "Sync",         Screen::Sync,     make<SyncScreen>},
    {Screen::Setup,       "setup",   "Setup",        Screen::Setup,    make<SetupScreen>},
};

}  // namespace

std::span<const ScreenInfo> screen_registry() { return kScreens; }

const ScreenInfo* screen_info(Screen s) {
    for (const auto& r : kScreens)
        if (r.id == s) return &r;
    return nullptr;
}

std::string_view to_string(Screen s) {
    const auto* r = screen_info(s);
    return r ? r->name : kScreens[0].name;
}

std::optional<Screen> screen_from_string(std::string_view s) {
    for (const auto& r : kScreens)
        if (r.name == s) return r.id;
    if (s == "home") return kScreens[0].id;
    return std::nullopt;
}

}  // namespace batchivo::station
