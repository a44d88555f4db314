// Serial scales over a SerialPort: Mettler Toledo MT-SICS (polls SI), A&D (continuous, or polled with SI when
// the scale stays silent), Ohaus (continuous, or polled with IP), CAS/generic continuous indicators (listen only).
#pragma once

#include <chrono>
#include <string>

#include "platform/scale/scale.hpp"
#include "platform/scale/serial_parsers.hpp"
#include "platform/scale/serial_port.hpp"

namespace batchivo::platform {

enum class SerialProtocol { MtSics, AnD, Ohaus, Cas };

struct SerialScaleOptions {
    std::chrono::milliseconds poll_interval{150};   // MT-SICS always polls; A&D/Ohaus when silent
    std::chrono::milliseconds silent_before_poll{800};
};

class SerialScale : public Scale {
public:
    SerialScale(SerialProtocol proto, SerialSettings settings, SerialScaleOptions opt = {});
    ~SerialScale() override;
    std::string describe() const override;
    Result<> open() override;
    void close() override;
    std::optional<ScaleReading> read(std::chrono::milliseconds timeout) override;
    bool supports_zero() const override { return proto_ != SerialProtocol::Cas; }
    Result<> zero() override;
    bool polling() const { return polling_; }

private:
    ParsedLine parse(std::string_view line) const;
    const char* poll_command() const;
    SerialProtocol proto_;
    SerialSettings settings_;
    SerialScaleOptions opt_;
    SerialPort port_;
    bool polling_ = false;
    std::chrono::steady_clock::time_point opened_at_{}, last_poll_{}, last_line_{};
    std::string last_error_;
};

}  // namespace batchivo::platform
