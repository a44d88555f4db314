#include "platform/scale/scale_registry.hpp"

#include "platform/scale/hid_scale.hpp"
#include "platform/scale/hx711_scale.hpp"
#include "platform/scale/serial_scale.hpp"
#include "platform/scale/sim_scale.hpp"

namespace batchivo::platform {

namespace {

using Made = Result<std::unique_ptr<Scale>>;

Made serial(SerialProtocol proto, const ScaleSettings& s) {
    SerialSettings ss;
    ss.device = s.device;
    ss.baud = s.baud;
    ss.parity = s.parity;
    ss.data_bits = s.data_bits;
    ss.stop_bits = s.stop_bits;
    if (auto v = validate_serial(ss); !v) return v.error();
    return std::unique_ptr<Scale>(std::make_unique<SerialScale>(proto, ss));
}

Made sim(const ScaleSettings& s) {
    SimScaleOptions quiet;
    quiet.noise_g = 0.03;  // a good lab scale; keeps the kiosk's idle display (0.1 g) from flickering
    if (s.device.empty()) return std::unique_ptr<Scale>(std::make_unique<SimScale>(quiet));
    return std::unique_ptr<Scale>(SimScale::from_file(s.device));
}

Made hid(const ScaleSettings& s) {
    return std::unique_ptr<Scale>(std::make_unique<HidScale>(s.device));
}

Made hx711(const ScaleSettings& s) {
    return std::unique_ptr<Scale>(
        std::make_unique<Hx711Scale>(s.device, Hx711Calibration{s.hx711_offset, s.hx711_grams_per_count}));
}

// One row per driver. The Setup screen shows them in this order.
const std::vector<ScaleDriver> kDrivers = {
    {"sim", "Simulated scale (demo)", DevicePath::Optional, "optional script file", true, false, sim},
    {"hid", "USB HID scale (Dymo, Stamps.com, ...)", DevicePath::Required, "/dev/hidraw0", false, false, hid},
    {"mt-sics", "Mettler Toledo (MT-SICS, serial)", DevicePath::Required, "/dev/ttyUSB0", false, true,
     [](const ScaleSettings& s) { return serial(SerialProtocol::MtSics, s); }},
    {"and", "A&D balance (serial)", DevicePath::Required, "/dev/ttyUSB0", false, true,
     [](const ScaleSettings& s) { return serial(SerialProtocol::AnD, s); }},
    {"ohaus", "Ohaus balance (serial)", DevicePath::Required, "/dev/ttyUSB0", false, true,
     [](const ScaleSettings& s) { return serial(SerialProtocol::Ohaus, s); }},
    {"cas", "CAS / generic indicator (serial)", DevicePath::Required, "/dev/ttyUSB0", false, true,
     [](const ScaleSettings& s) { return serial(SerialProtocol::Cas, s); }},
    {"hx711", "HX711 load cell (Raspberry Pi)", DevicePath::Required,
     "/sys/bus/iio/devices/iio:device0/in_voltage0_raw", false, false, hx711},
};

}  // namespace

const std::vector<ScaleDriver>& scale_drivers() {
    return kDrivers;
}

const ScaleDriver* find_scale_driver(std::string_view name) {
    return find_driver(kDrivers, name);
}

std::string scale_driver_names() {
    return driver_names(kDrivers);
}

Result<> validate_scale_settings(const ScaleSettings& s) {
    if (auto r = check_driver_name(kDrivers, "scale.driver", s.driver); !r) return r;
    auto bad = [](std::string msg) { return Error{"invalid_config", std::move(msg)}; };
    if (s.baud <= 0) return bad("scale.baud must be positive");
    if (s.parity != "none" && s.parity != "even" && s.parity != "odd")
        return bad("scale.parity must be none, even or odd");
    if (s.data_bits < 5 || s.data_bits > 8) return bad("scale.data_bits must be 5..8");
    if (s.stop_bits != 1 && s.stop_bits != 2) return bad("scale.stop_bits must be 1 or 2");
    if (!(s.stable_spread_g > 0)) return bad("scale.stable_spread_g must be positive");
    if (s.stable_window_ms < 100) return bad("scale.stable_window_ms must be at least 100");
    return {};
}

Result<std::unique_ptr<Scale>> create_scale(const ScaleSettings& s) {
    auto d = resolve_driver(kDrivers, "scale", s.driver, s.device);
    if (!d) return d.error();
    return (*d)->make(s);
}

}  // namespace batchivo::platform
