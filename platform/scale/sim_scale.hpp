// A simulated scale: scriptable (a script file or an in-process list of steps: weights, noise, motion,
// disconnects, statuses) and controllable at runtime from any thread (place/remove/disconnect/reconnect), as
// the kiosk's demo mode does. Placing a weight moves the reading for motion_ms (status InMotion), then it
// settles around the target with small noise (Stable, or AtZero near zero).
//
// Script file syntax, one step a line ('#' starts a comment):
//   place <grams>      put a load on the pan (with motion)
//   remove             empty the pan (with motion)
//   noise <grams>      standard deviation of the settled noise
//   motion <ms>        how long readings move after place/remove
//   wait <ms>          let time pass before the next step
//   status <overload|fault|underzero|normal>   force a device status until `status normal`
//   disconnect | reconnect
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "platform/scale/scale.hpp"

namespace batchivo::platform {

struct SimStep {
    enum class Kind { Place, Remove, Noise, Motion, Wait, Status, Disconnect, Reconnect } kind;
    double value = 0;  // grams / ms
    std::optional<ScaleStatus> status;  // for Kind::Status; nullopt = normal
};

// Parses the script syntax above; error "invalid_data" ("line 3: ...") when malformed.
Result<std::vector<SimStep>> parse_sim_script(const std::string& text);

struct SimScaleOptions {
    std::chrono::milliseconds period{100};  // one reading per period
    double noise_g = 0.2;
    std::chrono::milliseconds motion{700};
    uint32_t seed = 42;
    double initial_grams = 0;
};

class SimScale : public Scale {
public:
    explicit SimScale(SimScaleOptions opt = {}, std::vector<SimStep> script = {});
    // Loads the script from a file at open() (errors reported by open(): "io" when it cannot be read,
    // "invalid_data" when malformed; "disconnected" while unplugged).
    static std::unique_ptr<SimScale> from_file(const std::string& path, SimScaleOptions opt = {});

    std::string describe() const override;
    Result<> open() override;
    void close() override;
    std::optional<ScaleReading> read(std::chrono::milliseconds timeout) override;
    bool supports_zero() const override { return true; }
    Result<> zero() override;

    // Runtime controls, thread-safe.
    void place(double grams);
    void remove();
    void disconnect();  // the next read() reports Disconnected; open() fails until reconnect()
    void reconnect();
    void set_noise(double sigma_g);
    void set_status(std::optional<ScaleStatus> forced);
    double target_grams() const;

private:
    void apply_step_locked(const SimStep& s, std::chrono::steady_clock::time_point now);
    void run_script_locked(std::chrono::steady_clock::time_point now);
    double value_locked(std::chrono::steady_clock::time_point now);

    SimScaleOptions opt_;
    std::string script_path_;
    mutable std::mutex mu_;
    std::vector<SimStep> script_;
    size_t script_pos_ = 0;
    std::optional<std::chrono::steady_clock::time_point> script_next_;
    bool opened_ = false;
    bool unplugged_ = false;
    bool disconnect_pending_ = false;
    double target_ = 0, from_ = 0, zero_offset_ = 0, noise_ = 0.2;
    std::chrono::milliseconds motion_{700};
    std::chrono::steady_clock::time_point motion_start_{};
    std::optional<ScaleStatus> forced_;
    std::chrono::steady_clock::time_point next_reading_{};
    std::mt19937 rng_;
};

}  // namespace batchivo::platform
