#include "platform/scale/sim_scale.hpp"

#include <cmath>
#include <fstream>
#include <sstream>
#include <thread>

#include "platform/pacing.hpp"

namespace batchivo::platform {

namespace {
std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
}  // namespace

Result<std::vector<SimStep>> parse_sim_script(const std::string& text) {
    auto bad = [](std::string msg) { return Error{"invalid_data", std::move(msg)}; };
    std::string error;
    std::vector<SimStep> steps;
    std::istringstream in(text);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (auto h = line.find('#'); h != std::string::npos) line.erase(h);
        std::istringstream ls(line);
        std::string cmd;
        if (!(ls >> cmd)) continue;
        cmd = lower(cmd);
        SimStep s{SimStep::Kind::Wait, 0, std::nullopt};
        auto need_number = [&](SimStep::Kind k, bool non_negative) -> bool {
            s.kind = k;
            if (!(ls >> s.value) || !std::isfinite(s.value) || (non_negative && s.value < 0)) {
                error = "line " + std::to_string(n) + ": '" + cmd + "' needs a " +
                        (non_negative ? "non-negative " : "") + "number";
                return false;
            }
            return true;
        };
        if (cmd == "place") { if (!need_number(SimStep::Kind::Place, false)) return bad(error); }
        else if (cmd == "noise") { if (!need_number(SimStep::Kind::Noise, true)) return bad(error); }
        else if (cmd == "motion") { if (!need_number(SimStep::Kind::Motion, true)) return bad(error); }
        else if (cmd == "wait") { if (!need_number(SimStep::Kind::Wait, true)) return bad(error); }
        else if (cmd == "remove") s.kind = SimStep::Kind::Remove;
        else if (cmd == "disconnect") s.kind = SimStep::Kind::Disconnect;
        else if (cmd == "reconnect") s.kind = SimStep::Kind::Reconnect;
        else if (cmd == "status") {
            s.kind = SimStep::Kind::Status;
            std::string v;
            ls >> v;
            v = lower(v);
            if (v == "overload") s.status = ScaleStatus::Overload;
            else if (v == "fault") s.status = ScaleStatus::Fault;
            else if (v == "underzero") s.status = ScaleStatus::UnderZero;
            else if (v == "normal") s.status.reset();
            else return bad("line " + std::to_string(n) + ": status must be overload, fault, underzero or normal");
        } else {
            return bad("line " + std::to_string(n) + ": unknown step '" + cmd + "'");
        }
        std::string extra;
        if (ls >> extra) return bad("line " + std::to_string(n) + ": unexpected '" + extra + "'");
        steps.push_back(s);
    }
    return steps;
}

SimScale::SimScale(SimScaleOptions opt, std::vector<SimStep> script)
    : opt_(opt), script_(std::move(script)), target_(opt.initial_grams), from_(opt.initial_grams),
      noise_(opt.noise_g), motion_(opt.motion), rng_(opt.seed) {}

std::unique_ptr<SimScale> SimScale::from_file(const std::string& path, SimScaleOptions opt) {
    auto s = std::make_unique<SimScale>(opt);
    s->script_path_ = path;
    return s;
}

std::string SimScale::describe() const {
    return script_path_.empty() ? "simulated scale" : "simulated scale (script " + script_path_ + ")";
}

Result<> SimScale::open() {
    std::lock_guard<std::mutex> lk(mu_);
    auto now = std::chrono::steady_clock::now();
    if (!script_path_.empty() && script_.empty() && script_pos_ == 0) {
        std::ifstream f(script_path_);
        if (!f) return Error{"io", "cannot read simulation script " + script_path_};
        std::stringstream ss;
        ss << f.rdbuf();
        auto steps = parse_sim_script(ss.str());
        if (!steps) return Error{steps.error().code, script_path_ + ": " + steps.error().message};
        script_ = std::move(*steps);
    }
    if (!script_next_) script_next_ = now;
    run_script_locked(now);
    if (unplugged_) return Error{"disconnected", "simulated scale is unplugged"};
    opened_ = true;
    disconnect_pending_ = false;
    next_reading_ = now;
    return {};
}

void SimScale::close() {
    std::lock_guard<std::mutex> lk(mu_);
    opened_ = false;
}

void SimScale::apply_step_locked(const SimStep& s, std::chrono::steady_clock::time_point now) {
    switch (s.kind) {
        case SimStep::Kind::Place:
            from_ = value_locked(now);
            target_ = s.value;
            motion_start_ = now;
            break;
        case SimStep::Kind::Remove:
            from_ = value_locked(now);
            target_ = 0;
            motion_start_ = now;
            break;
        case SimStep::Kind::Noise: noise_ = s.value; break;
        case SimStep::Kind::Motion: motion_ = std::chrono::milliseconds(static_cast<long>(s.value)); break;
        case SimStep::Kind::Wait: break;
        case SimStep::Kind::Status: forced_ = s.status; break;
        case SimStep::Kind::Disconnect:
            unplugged_ = true;
            disconnect_pending_ = true;
            break;
        case SimStep::Kind::Reconnect: unplugged_ = false; break;
    }
}

void SimScale::run_script_locked(std::chrono::steady_clock::time_point now) {
    while (script_pos_ < script_.size() && script_next_ && now >= *script_next_) {
        const SimStep& s = script_[script_pos_++];
        apply_step_locked(s, now);
        if (s.kind == SimStep::Kind::Wait)
            *script_next_ += std::chrono::milliseconds(static_cast<long>(s.value));
    }
}

double SimScale::value_locked(std::chrono::steady_clock::time_point now) {
    const double elapsed = std::chrono::duration<double, std::milli>(now - motion_start_).count();
    const double dur = static_cast<double>(motion_.count());
    std::normal_distribution<double> noise(0.0, 1.0);
    if (dur > 0 && elapsed >= 0 && elapsed < dur) {
        const double p = elapsed / dur;
        const double ease = 1 - std::pow(1 - p, 3);
        const double swing = target_ - from_;
        // overshoot and wobble that dies out, like a pan bouncing under a dropped spool
        const double wobble = 0.12 * std::fabs(swing) * std::sin(p * 9.0) * (1 - p) + 2.0 * (1 - p) * noise(rng_);
        return from_ + swing * ease + wobble - zero_offset_;
    }
    return target_ + noise_ * noise(rng_) - zero_offset_;
}

std::optional<ScaleReading> SimScale::read(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lk(mu_);
    auto now = std::chrono::steady_clock::now();
    run_script_locked(now);
    auto disconnected = [&] {
        disconnect_pending_ = false;
        opened_ = false;
        return disconnected_reading("simulated scale unplugged", now);
    };
    if (!opened_ || disconnect_pending_ || unplugged_) return disconnected();
    if (!sleep_until_due(lk, next_reading_, timeout)) return std::nullopt;
    now = std::chrono::steady_clock::now();
    run_script_locked(now);
    if (!opened_ || disconnect_pending_ || unplugged_) return disconnected();
    next_reading_ = std::max(next_reading_ + opt_.period, now);
    ScaleReading r;
    r.at = now;
    const bool moving = motion_.count() > 0 && now - motion_start_ < motion_;
    double v = std::round(value_locked(now) * 10.0) / 10.0;
    if (v == 0) v = 0;
    if (forced_) {
        r.status = *forced_;
        if (*forced_ == ScaleStatus::UnderZero) r.grams = -std::fabs(v) - 1.0;
        else r.note = *forced_ == ScaleStatus::Overload ? "over the weight limit" : "simulated fault";
    } else {
        r.grams = v;
        if (v < -0.5) r.status = ScaleStatus::UnderZero;
        else if (moving) r.status = ScaleStatus::InMotion;
        else if (std::fabs(v) <= 0.5) r.status = ScaleStatus::AtZero;
        else r.status = ScaleStatus::Stable;
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "sim %.1f g", v);
    r.raw = buf;
    return r;
}

Result<> SimScale::zero() {
    std::lock_guard<std::mutex> lk(mu_);
    if (!opened_) return Error{"disconnected", "simulated scale is not connected"};
    zero_offset_ = target_;
    return {};
}

void SimScale::place(double grams) {
    std::lock_guard<std::mutex> lk(mu_);
    apply_step_locked({SimStep::Kind::Place, grams, std::nullopt}, std::chrono::steady_clock::now());
}
void SimScale::remove() {
    std::lock_guard<std::mutex> lk(mu_);
    apply_step_locked({SimStep::Kind::Remove, 0, std::nullopt}, std::chrono::steady_clock::now());
}
void SimScale::disconnect() {
    std::lock_guard<std::mutex> lk(mu_);
    unplugged_ = true;
    disconnect_pending_ = true;
}
void SimScale::reconnect() {
    std::lock_guard<std::mutex> lk(mu_);
    unplugged_ = false;
}
void SimScale::set_noise(double sigma_g) {
    std::lock_guard<std::mutex> lk(mu_);
    noise_ = sigma_g;
}
void SimScale::set_status(std::optional<ScaleStatus> forced) {
    std::lock_guard<std::mutex> lk(mu_);
    forced_ = forced;
}
double SimScale::target_grams() const {
    std::lock_guard<std::mutex> lk(mu_);
    return target_;
}

}  // namespace batchivo::platform
