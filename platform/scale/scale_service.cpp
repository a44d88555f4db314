#include "platform/scale/scale_service.hpp"

#include <cstdio>

namespace batchivo::platform {

namespace {
std::string fmt_g(double g) {
    char b[64];
    std::snprintf(b, sizeof b, "%.2f g", g);
    return b;
}
bool same(const ScaleState& a, const ScaleState& b) {
    return a.grams == b.grams && a.status == b.status && a.stable == b.stable && a.stable_grams == b.stable_grams &&
           a.stable_events == b.stable_events && a.connected == b.connected && a.message == b.message &&
           a.describe == b.describe && a.zero_offset_g == b.zero_offset_g;
}
}  // namespace

ScaleService::ScaleService(std::unique_ptr<Scale> scale, ScaleServiceOptions opt, Callback cb)
    : scale_(std::move(scale)), opt_(opt), cb_(std::move(cb)) {
    state_.describe = scale_ ? scale_->describe() : "no scale";
    state_.message = "starting";
}

ScaleService::~ScaleService() { stop(); }

void ScaleService::start() {
    if (thread_.joinable() || !scale_) return;
    {
        std::lock_guard<std::mutex> lk(mu_);
        stopping_ = false;
    }
    thread_ = std::thread([this] { run(); });
}

void ScaleService::stop() {
    {
        std::lock_guard<std::mutex> lk(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void ScaleService::zero() { zero_requested_ = true; }

ScaleState ScaleService::snapshot() const {
    std::lock_guard<std::mutex> lk(mu_);
    return state_;
}

bool ScaleService::sleep_for(std::chrono::milliseconds d) {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait_for(lk, d, [this] { return stopping_; });
    return !stopping_;
}

void ScaleService::publish(ScaleState s) {
    {
        std::lock_guard<std::mutex> lk(mu_);
        if (same(s, state_)) {
            state_.at = s.at;
            return;
        }
        state_ = s;
    }
    if (cb_) {
        try {
            cb_(s);
        } catch (...) {
            // exceptions never cross the thread boundary; a failing callback must not kill the scale
        }
    }
}

void ScaleService::run() {
    auto backoff = opt_.backoff_initial;
    StabilityTracker tracker(opt_.stability);
    AutoZero az(opt_.auto_zero);
    ScaleState st = snapshot();
    auto stopping = [this] {
        std::lock_guard<std::mutex> lk(mu_);
        return stopping_;
    };
    while (!stopping()) {
        st.describe = scale_->describe();
        if (auto opened = scale_->open(); !opened) {
            const std::string& err = opened.error().message;
            st.connected = false;
            st.status = ScaleStatus::Disconnected;
            st.grams.reset();
            st.stable = false;
            st.stable_grams.reset();
            st.message = "cannot open: " + err + " (retrying in " + std::to_string(backoff.count()) + " ms)";
            if (zero_requested_.exchange(false)) st.message = "cannot zero: scale not connected; " + st.message;
            st.at = std::chrono::steady_clock::now();
            publish(st);
            if (!sleep_for(backoff)) break;
            backoff = std::min(backoff * 2, opt_.backoff_max);
            continue;
        }
        st.describe = scale_->describe();
        st.connected = true;
        st.message.clear();
        st.at = std::chrono::steady_clock::now();
        publish(st);
        tracker.reset();
        std::optional<ScaleReading> last_raw;
        auto last_data = std::chrono::steady_clock::now();
        bool lost = false;
        bool got_reading = false;
        while (!stopping()) {
            if (zero_requested_.exchange(false)) {
                if (scale_->supports_zero()) {
                    if (auto z = scale_->zero(); z) {
                        az.set_offset(0);
                        st.message = "zeroed";
                    } else {
                        st.message = "zero failed: " + z.error().message;
                    }
                } else if (last_raw && last_raw->grams) {
                    az.set_offset(*last_raw->grams);
                    st.message = "zeroed (software, offset " + fmt_g(az.offset()) + ")";
                } else {
                    st.message = "cannot zero: no reading yet";
                }
                tracker.reset();
            }
            auto r = scale_->read(opt_.read_timeout);
            if (!r) {
                // Connected but silent: wrong driver, baud rate or cable, or a scale that switched itself off.
                const auto now = std::chrono::steady_clock::now();
                if (now - last_data > opt_.silence_warning && st.grams) {
                    st.grams.reset();
                    st.stable = false;
                    st.stable_grams.reset();
                    tracker.reset();
                }
                if (now - last_data > opt_.silence_warning && st.message.rfind("no readings", 0) != 0) {
                    st.message = "no readings for " + std::to_string(opt_.silence_warning.count() / 1000) +
                                 " s (wrong driver or baud rate? scale switched off?)";
                    st.at = now;
                    publish(st);
                }
                continue;
            }
            last_data = std::chrono::steady_clock::now();
            if (r->status == ScaleStatus::Disconnected) {
                lost = true;
                st.connected = false;
                st.status = ScaleStatus::Disconnected;
                st.grams.reset();
                st.stable = false;
                st.stable_grams.reset();
                st.message = "disconnected: " + (r->note.empty() ? std::string("device went away") : r->note) +
                             " (reconnecting)";
                st.at = std::chrono::steady_clock::now();
                publish(st);
                break;
            }
            if (got_reading) backoff = opt_.backoff_initial;  // a working connection resets the backoff
            got_reading = true;
            last_raw = *r;
            if (az.update(*r)) st.message = "auto-zero: offset " + fmt_g(az.offset());
            ScaleReading c = az.apply(*r);
            auto sr = tracker.update(c);
            st.grams = c.grams;
            st.status = c.status;
            st.stable = sr.stable;
            st.stable_grams = sr.stable_grams;
            if (sr.event) ++st.stable_events;
            st.zero_offset_g = az.offset();
            if (!c.note.empty()) st.message = c.note;
            else if (st.message.rfind("auto-zero", 0) != 0 && st.message.rfind("zero", 0) != 0 &&
                     st.message.rfind("cannot zero", 0) != 0)
                st.message.clear();
            st.at = c.at;
            publish(st);
        }
        scale_->close();
        if (lost) {
            if (!sleep_for(backoff)) break;
            backoff = std::min(backoff * 2, opt_.backoff_max);
        }
    }
    scale_->close();
    st.connected = false;
    st.status = ScaleStatus::Disconnected;
    st.message = "stopped";
    st.at = std::chrono::steady_clock::now();
    publish(st);
}

}  // namespace batchivo::platform
