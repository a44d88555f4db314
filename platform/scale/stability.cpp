#include "platform/scale/stability.hpp"

#include <algorithm>
#include <cmath>

namespace batchivo::platform {

namespace {
bool eligible(const ScaleReading& r) {
    return r.grams && std::isfinite(*r.grams) &&
           (r.status == ScaleStatus::Stable || r.status == ScaleStatus::AtZero);
}
}  // namespace

void StabilityTracker::reset() {
    window_.clear();
    streak_start_.reset();
    last_at_.reset();
    stable_ = false;
}

StabilityResult StabilityTracker::update(const ScaleReading& r) {
    StabilityResult out;
    if (last_at_ && r.at - *last_at_ > opt_.max_gap) reset();  // readings stopped for a while: start over
    if (last_at_ && r.at < *last_at_) reset();                 // time went backwards: don't trust the window
    last_at_ = r.at;
    if (!eligible(r)) {
        window_.clear();
        streak_start_.reset();
        stable_ = false;
        return out;
    }
    if (!streak_start_) streak_start_ = r.at;
    window_.push_back({r.at, *r.grams});
    while (!window_.empty() && window_.front().at < r.at - opt_.window) window_.pop_front();

    double lo = window_.front().grams, hi = lo, sum = 0;
    for (const auto& s : window_) {
        lo = std::min(lo, s.grams);
        hi = std::max(hi, s.grams);
        sum += s.grams;
    }
    const bool long_enough = r.at - *streak_start_ >= opt_.window;
    const bool now_stable = long_enough && (hi - lo) < opt_.spread_g;
    out.stable = now_stable;
    out.event = now_stable && !stable_;
    if (now_stable) out.stable_grams = sum / static_cast<double>(window_.size());
    stable_ = now_stable;
    return out;
}

void AutoZero::restart() {
    since_.reset();
    n_ = 0;
    sum_ = 0;
}

bool AutoZero::update(const ScaleReading& raw) {
    if (!opt_.enabled) return false;
    const bool ok = raw.grams && std::isfinite(*raw.grams) &&
                    (raw.status == ScaleStatus::Stable || raw.status == ScaleStatus::AtZero ||
                     raw.status == ScaleStatus::UnderZero);
    if (!ok) {
        restart();
        return false;
    }
    const double g = *raw.grams - offset_;
    if (std::fabs(g) > opt_.limit_g) {
        restart();
        return false;
    }
    if (!since_ || n_ == 0) {
        since_ = raw.at;
        min_ = max_ = g;
        sum_ = 0;
        n_ = 0;
    }
    min_ = std::min(min_, g);
    max_ = std::max(max_, g);
    if (max_ - min_ >= opt_.spread_g) {  // moved: start holding again from here
        since_ = raw.at;
        min_ = max_ = g;
        sum_ = 0;
        n_ = 0;
    }
    sum_ += g;
    ++n_;
    if (raw.at - *since_ >= opt_.hold) {
        const double mean = sum_ / n_;
        restart();
        if (std::fabs(mean) >= opt_.min_correction_g) {
            offset_ += mean;
            return true;
        }
    }
    return false;
}

ScaleReading AutoZero::apply(const ScaleReading& raw, double zero_band_g) const {
    ScaleReading r = raw;
    if (offset_ == 0 || !r.grams) return r;
    *r.grams -= offset_;
    if (r.status == ScaleStatus::Stable || r.status == ScaleStatus::AtZero || r.status == ScaleStatus::UnderZero) {
        const double g = *r.grams;
        if (g < -zero_band_g) r.status = ScaleStatus::UnderZero;
        else if (std::fabs(g) <= zero_band_g) r.status = ScaleStatus::AtZero;
        else r.status = ScaleStatus::Stable;
    }
    return r;
}

}  // namespace batchivo::platform
