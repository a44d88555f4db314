#include "platform/scale/scale_factory.hpp"

#include "platform/scale/hid_scale.hpp"
#include "platform/scale/hx711_scale.hpp"
#include "platform/scale/serial_scale.hpp"
#include "platform/scale/sim_scale.hpp"

namespace batchivo::platform {

std::unique_ptr<Scale> make_scale(const ScaleSettings& s, std::string& error) {
    auto need_device = [&]() {
        if (s.device.empty()) {
            error = "scale driver '" + s.driver + "' needs a device path";
            return false;
        }
        return true;
    };
    if (s.driver == "sim") {
        if (s.device.empty()) return std::make_unique<SimScale>();
        return SimScale::from_file(s.device);
    }
    if (s.driver == "hid") {
        if (!need_device()) return nullptr;
        return std::make_unique<HidScale>(s.device);
    }
    if (s.driver == "hx711") {
        if (!need_device()) return nullptr;
        return std::make_unique<Hx711Scale>(s.device, Hx711Calibration{s.hx711_offset, s.hx711_grams_per_count});
    }
    SerialProtocol proto;
    if (s.driver == "mt-sics") proto = SerialProtocol::MtSics;
    else if (s.driver == "and") proto = SerialProtocol::AnD;
    else if (s.driver == "ohaus") proto = SerialProtocol::Ohaus;
    else if (s.driver == "cas") proto = SerialProtocol::Cas;
    else {
        error = "unknown scale driver '" + s.driver + "' (hid, mt-sics, and, ohaus, cas, hx711, sim)";
        return nullptr;
    }
    if (!need_device()) return nullptr;
    SerialSettings ss;
    ss.device = s.device;
    ss.baud = s.baud;
    ss.parity = s.parity;
    ss.data_bits = s.data_bits;
    ss.stop_bits = s.stop_bits;
    if (!validate_serial(ss, error)) return nullptr;
    return std::make_unique<SerialScale>(proto, ss);
}

}  // namespace batchivo::platform
