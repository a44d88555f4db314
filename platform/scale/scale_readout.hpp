// What the kiosk shows of a scale: the ScaleService's state (scale_service.hpp) reduced to what an operator
// can see (0.1 g, the stable mean while stable, a status word, when the current stable run began). The kiosk
// uses ScaleReadout directly (station::ScaleState is an alias of it); ScaleReadoutFilter turns the service's
// stream of states into readouts and drops the ones that look the same, so a resting scale does not redraw
// the screen.
//
// ScaleReadoutFilter is not thread-safe: feed it from one thread (the service's callback).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/scale/scale.hpp"
#include "platform/scale/scale_service.hpp"

namespace batchivo::platform {

struct ScaleReadout {
    bool connected = false;
    std::optional<double> grams;  // gross, rounded to 0.1 g (the stable mean while stable)
    bool stable = false;
    std::string status = "disconnected";  // status_label(): stable | in motion | at zero | ... | disconnected
    std::string device;                   // describe() of the backend
    std::string error;                    // last open/read error while disconnected
    int64_t at_ms = 0;                    // steady clock ms of the reading
    int64_t stable_since_ms = 0;          // steady ms when the current stable run began (0 = not stable)
    bool operator==(const ScaleReadout&) const = default;
};

// Operator wording of a status: "in motion", "at zero" (to_string(ScaleStatus) is the snake_case JSON form).
std::string_view status_label(ScaleStatus s);

// The readout for a backend that could not be built (unknown driver, missing device path).
ScaleReadout failed_readout(std::string device, std::string error);

class ScaleReadoutFilter {
  public:
    // The readout of `state`, or nullopt when nothing visible changed since the last readout returned
    // (time stamps alone do not count).
    std::optional<ScaleReadout> update(const ScaleState& state);

  private:
    ScaleReadout last_;
    bool have_last_ = false;
    int64_t stable_since_ = 0;
};

}  // namespace batchivo::platform
