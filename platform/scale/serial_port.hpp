// A serial port (tty, USB-CDC, pty) in raw mode with termios set from the settings: baud, parity, data bits,
// stop bits, no flow control, no echo, no line discipline. Lines are split on CR and/or LF. Reads wait with
// poll(); a hang-up (device unplugged, pty master closed) is reported as disconnected.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <termios.h>

#include "sync/domain/result.hpp"

namespace batchivo::platform {

struct SerialSettings {
    std::string device;
    int baud = 9600;
    std::string parity = "none";  // none | even | odd
    int data_bits = 8;            // 7 | 8
    int stop_bits = 1;            // 1 | 2
    bool mask_bit7 = false;       // strip bit 7 from received bytes (7E1 devices read as 8N1)
};

// "9600 8N1", "2400 7N2".
std::string describe_serial(const SerialSettings& s);
// Error "invalid_settings" for an unsupported baud rate / parity / sizes.
Result<> validate_serial(const SerialSettings& s);

// Fills `t` for raw 8-bit-clean I/O with the settings' baud, parity, data and stop bits (no flow control).
// Error "invalid_settings" when a setting is unsupported (`t` untouched). Pure: unit-tested without a device.
Result<> make_termios(const SerialSettings& s, termios& t);

class SerialPort {
public:
    enum class ReadStatus { Line, Timeout, Disconnected };
    static constexpr size_t kMaxLine = 256;  // longer runs without CR/LF are garbage and dropped

    SerialPort() = default;
    ~SerialPort();
    SerialPort(const SerialPort&) = delete;
    SerialPort& operator=(const SerialPort&) = delete;

    // Errors: "invalid_settings", "not_found" / "permission_denied" / "io" (cannot open or configure),
    // "unsupported" (the device is not a serial port).
    Result<> open(const SerialSettings& s);
    void close();
    bool is_open() const { return fd_ >= 0; }
    // Next complete, non-empty line (without CR/LF) within `timeout`.
    ReadStatus read_line(std::string& line, std::chrono::milliseconds timeout);
    // Writes all of `data`; false when the device is gone.
    bool write(std::string_view data);
    // Drops anything buffered (e.g. a partial line after open).
    void discard_input();

private:
    int fd_ = -1;
    bool mask7_ = false;
    std::string buf_;
    bool overflow_ = false;
};

}  // namespace batchivo::platform
