// The one shared stability rule: turns a stream of readings into "stable weight" events, plus optional
// auto-zero of small drift while the pan is empty. Pure (no clock, no threads): timestamps come with the
// readings, so tests inject them.
#pragma once

#include <chrono>
#include <deque>
#include <optional>

#include "platform/scale/scale.hpp"

namespace batchivo::platform {

struct StabilityOptions {
    double spread_g = 2.0;                         // stable when max - min < spread_g ...
    std::chrono::milliseconds window{1000};        // ... over (at least) this long
    std::chrono::milliseconds max_gap{1500};        // no reading for this long: start over
};

struct StabilityResult {
    bool stable = false;                 // the window is full, eligible and within the spread
    std::optional<double> stable_grams;  // mean over the window while stable
    bool event = false;                  // true exactly on the reading that made it stable (a "stable weight" event)
};

// Only Stable and AtZero readings with a value count; anything else (InMotion, UnderZero, Overload, Fault,
// Disconnected, no value) clears the window. The window must span `window` of consecutive eligible readings.
class StabilityTracker {
public:
    explicit StabilityTracker(StabilityOptions opt = {}) : opt_(opt) {}
    StabilityResult update(const ScaleReading& r);
    void reset();
    const StabilityOptions& options() const { return opt_; }
    bool stable() const { return stable_; }

private:
    struct Sample {
        std::chrono::steady_clock::time_point at;
        double grams;
    };
    StabilityOptions opt_;
    std::deque<Sample> window_;
    std::optional<std::chrono::steady_clock::time_point> streak_start_;
    std::optional<std::chrono::steady_clock::time_point> last_at_;
    bool stable_ = false;
};

struct AutoZeroOptions {
    bool enabled = false;
    double limit_g = 5.0;                      // only drift within +-limit_g is zeroed (the pan must be empty)
    std::chrono::milliseconds hold{10000};     // ... after it held still this long
    double spread_g = 1.0;                     // "still": max - min below this over the hold time
    double min_correction_g = 0.05;            // don't bother below this
};

// Watches corrected readings (raw - offset) and moves the offset when the empty pan drifted.
// Eligible: Stable, AtZero or UnderZero with a value within +-limit_g. Any other reading restarts the hold.
class AutoZero {
public:
    explicit AutoZero(AutoZeroOptions opt = {}) : opt_(opt) {}
    // `raw_grams` is the device's value before correction. Returns true when the offset changed.
    bool update(const ScaleReading& raw);
    double offset() const { return offset_; }
    void set_offset(double g) { offset_ = g; restart(); }
    // raw - offset, with the status re-classified around zero when an offset is in effect
    // (|g| <= zero_band -> AtZero, g < -zero_band -> UnderZero, else Stable) for Stable/AtZero/UnderZero.
    ScaleReading apply(const ScaleReading& raw, double zero_band_g = 0.5) const;
    const AutoZeroOptions& options() const { return opt_; }

private:
    void restart();
    AutoZeroOptions opt_;
    double offset_ = 0;
    std::optional<std::chrono::steady_clock::time_point> since_;
    double min_ = 0, max_ = 0, sum_ = 0;
    int n_ = 0;
};

}  // namespace batchivo::platform
