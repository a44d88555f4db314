#include "platform/scale/scale_readout.hpp"

#include <chrono>
#include <cmath>

namespace batchivo::platform {

std::string_view status_label(ScaleStatus s) {
    switch (s) {
        case ScaleStatus::Stable:
            return "stable";
        case ScaleStatus::InMotion:
            return "in motion";
        case ScaleStatus::AtZero:
            return "at zero";
        case ScaleStatus::UnderZero:
            return "under zero";
        case ScaleStatus::Overload:
            return "overload";
        case ScaleStatus::Fault:
            return "fault";
        case ScaleStatus::Disconnected:
            return "disconnected";
    }
    return "fault";
}

ScaleReadout failed_readout(std::string device, std::string error) {
    ScaleReadout r;
    r.device = std::move(device);
    r.error = std::move(error);
    return r;
}

std::optional<ScaleReadout> ScaleReadoutFilter::update(const ScaleState& p) {
    using namespace std::chrono;
    ScaleReadout s;
    s.connected = p.connected;
    const auto g = p.stable && p.stable_grams ? p.stable_grams : p.grams;
    if (g) s.grams = std::round(*g * 10) / 10;
    if (s.grams && *s.grams == 0) s.grams = 0.0;  // no "-0.0 g"
    s.stable = p.stable;
    s.status = std::string(status_label(p.status));
    s.device = p.describe;
    s.error = p.connected ? std::string() : p.message;
    const auto at = p.at.time_since_epoch().count() ? p.at : steady_clock::now();
    s.at_ms = duration_cast<milliseconds>(at.time_since_epoch()).count();
    if (s.stable && !last_.stable) stable_since_ = s.at_ms;
    if (!s.stable) stable_since_ = 0;
    s.stable_since_ms = stable_since_;
    ScaleReadout cmp = s;
    cmp.at_ms = last_.at_ms;
    cmp.stable_since_ms = last_.stable_since_ms;
    if (have_last_ && cmp == last_) return std::nullopt;
    last_ = s;
    have_last_ = true;
    return s;
}

}  // namespace batchivo::platform
