#include "platform/scale/serial_scale.hpp"

namespace batchivo::platform {

namespace {
const char* proto_name(SerialProtocol p) {
    switch (p) {
        case SerialProtocol::MtSics: return "MT-SICS";
        case SerialProtocol::AnD: return "A&D";
        case SerialProtocol::Ohaus: return "Ohaus";
        case SerialProtocol::Cas: return "CAS";
    }
    return "serial";
}
}  // namespace

SerialScale::SerialScale(SerialProtocol proto, SerialSettings settings, SerialScaleOptions opt)
    : proto_(proto), settings_(std::move(settings)), opt_(opt) {
    if (proto_ == SerialProtocol::Cas) settings_.mask_bit7 = true;  // 7E1 indicators read as 8N1
}

SerialScale::~SerialScale() { close(); }

std::string SerialScale::describe() const {
    std::string d = std::string(proto_name(proto_)) + " on " + settings_.device + " @ " + describe_serial(settings_);
    if (polling_) d += " (polled)";
    return d;
}

Result<> SerialScale::open() {
    if (auto r = port_.open(settings_); !r) return r;
    port_.discard_input();
    polling_ = proto_ == SerialProtocol::MtSics;
    opened_at_ = std::chrono::steady_clock::now();
    last_line_ = opened_at_;
    last_poll_ = {};
    return {};
}

void SerialScale::close() { port_.close(); }

ParsedLine SerialScale::parse(std::string_view line) const {
    switch (proto_) {
        case SerialProtocol::MtSics: return parse_mtsics_line(line);
        case SerialProtocol::AnD: return parse_and_line(line);
        case SerialProtocol::Ohaus: return parse_ohaus_line(line);
        case SerialProtocol::Cas: return parse_cas_line(line);
    }
    return {};
}

const char* SerialScale::poll_command() const {
    switch (proto_) {
        case SerialProtocol::MtSics: return "SI\r\n";
        case SerialProtocol::AnD: return "SI\r\n";
        case SerialProtocol::Ohaus: return "IP\r\n";
        case SerialProtocol::Cas: return nullptr;
    }
    return nullptr;
}

std::optional<ScaleReading> SerialScale::read(std::chrono::milliseconds timeout) {
    using clock = std::chrono::steady_clock;
    if (!port_.is_open()) return disconnected_reading("not open");
    const auto deadline = clock::now() + timeout;
    for (;;) {
        auto now = clock::now();
        if (!polling_ && poll_command() && now - last_line_ >= opt_.silent_before_poll) polling_ = true;
        if (polling_ && now - last_poll_ >= opt_.poll_interval) {
            if (!port_.write(poll_command())) return disconnected_reading("write failed: device went away");
            last_poll_ = now;
        }
        auto until = deadline;
        if (polling_ && last_poll_ + opt_.poll_interval < until) until = last_poll_ + opt_.poll_interval;
        if (!polling_ && poll_command() && last_line_ + opt_.silent_before_poll < until)
            until = last_line_ + opt_.silent_before_poll;
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
        if (wait.count() < 0) wait = std::chrono::milliseconds(0);
        std::string line;
        auto st = port_.read_line(line, wait);
        if (st == SerialPort::ReadStatus::Disconnected) return disconnected_reading("device disconnected");
        if (st == SerialPort::ReadStatus::Timeout) {
            if (clock::now() >= deadline) return std::nullopt;
            continue;
        }
        last_line_ = clock::now();
        ParsedLine p = parse(line);
        if (p.kind == ParsedLine::Kind::Reading) {
            ScaleReading r;
            r.grams = p.grams;
            r.status = p.status;
            r.at = last_line_;
            r.raw = line;
            r.note = p.note == "net" ? "" : p.note;
            return r;
        }
        if (p.kind == ParsedLine::Kind::Error) {
            last_error_ = p.note;
            ScaleReading r;
            r.status = ScaleStatus::Fault;
            r.at = last_line_;
            r.raw = line;
            r.note = "scale replied " + p.note;
            return r;
        }
        if (clock::now() >= deadline) return std::nullopt;
    }
}

Result<> SerialScale::zero() {
    if (proto_ == SerialProtocol::Cas) return Error{"unsupported", "CAS indicators are zeroed on the indicator itself"};
    if (!port_.write("Z\r\n")) return Error{"disconnected", "write failed: device went away"};
    // Wait for the acknowledgement; weight lines in between are skipped. Ohaus sends no acknowledgement.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
    while (std::chrono::steady_clock::now() < deadline) {
        std::string line;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        auto st = port_.read_line(line, left);
        if (st == SerialPort::ReadStatus::Disconnected) return Error{"disconnected", "device disconnected"};
        if (st == SerialPort::ReadStatus::Timeout) break;
        ParsedLine p = parse(line);
        if (p.kind == ParsedLine::Kind::Ack) return {};
        if (p.kind == ParsedLine::Kind::Error) return Error{"refused", "scale refused to zero: " + p.note};
        if (proto_ == SerialProtocol::Ohaus) return {};  // it answers with weight lines only
    }
    if (proto_ == SerialProtocol::Ohaus) return {};
    return Error{"timeout", "no acknowledgement from the scale"};
}

}  // namespace batchivo::platform
