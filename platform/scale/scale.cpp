#include "platform/scale/scale.hpp"

namespace batchivo::platform {

std::string_view to_string(ScaleStatus s) {
    switch (s) {
        case ScaleStatus::Stable: return "stable";
        case ScaleStatus::InMotion: return "in_motion";
        case ScaleStatus::AtZero: return "at_zero";
        case ScaleStatus::UnderZero: return "under_zero";
        case ScaleStatus::Overload: return "overload";
        case ScaleStatus::Fault: return "fault";
        case ScaleStatus::Disconnected: return "disconnected";
    }
    return "fault";
}

ScaleReading disconnected_reading(std::string note, std::chrono::steady_clock::time_point at) {
    ScaleReading r;
    r.status = ScaleStatus::Disconnected;
    r.at = at;
    r.note = std::move(note);
    return r;
}

}  // namespace batchivo::platform
