#include "platform/scale/serial_port.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include "platform/device_error.hpp"

namespace batchivo::platform {

namespace {
speed_t to_speed(int baud) {
    switch (baud) {
        case 1200: return B1200;
        case 2400: return B2400;
        case 4800: return B4800;
        case 9600: return B9600;
        case 19200: return B19200;
        case 38400: return B38400;
        case 57600: return B57600;
        case 115200: return B115200;
        default: return 0;
    }
}
}  // namespace

std::string describe_serial(const SerialSettings& s) {
    char p = s.parity == "even" ? 'E' : s.parity == "odd" ? 'O' : 'N';
    return std::to_string(s.baud) + " " + std::to_string(s.data_bits) + p + std::to_string(s.stop_bits);
}

Result<> validate_serial(const SerialSettings& s) {
    auto bad = [](std::string msg) { return Error{"invalid_settings", std::move(msg)}; };
    if (to_speed(s.baud) == 0) return bad("unsupported baud rate " + std::to_string(s.baud) + " (1200..115200)");
    if (s.parity != "none" && s.parity != "even" && s.parity != "odd") return bad("parity must be none, even or odd");
    if (s.data_bits != 7 && s.data_bits != 8) return bad("data bits must be 7 or 8");
    if (s.stop_bits != 1 && s.stop_bits != 2) return bad("stop bits must be 1 or 2");
    return {};
}

Result<> make_termios(const SerialSettings& s, termios& t) {
    if (auto v = validate_serial(s); !v) return v;
    cfmakeraw(&t);  // no echo, no canonical mode, no CR/LF translation, 8 bits
    t.c_cflag |= CLOCAL | CREAD;
    t.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
    t.c_cflag |= s.data_bits == 7 ? CS7 : CS8;
    if (s.parity != "none") {
        t.c_cflag |= PARENB;
        if (s.parity == "odd") t.c_cflag |= PARODD;
        t.c_iflag |= INPCK;
    }
    if (s.stop_bits == 2) t.c_cflag |= CSTOPB;
    t.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    cfsetispeed(&t, to_speed(s.baud));
    cfsetospeed(&t, to_speed(s.baud));
    return {};
}

SerialPort::~SerialPort() { close(); }

Result<> SerialPort::open(const SerialSettings& s) {
    close();
    if (auto v = validate_serial(s); !v) return v;
    int fd = ::open(s.device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int e = errno;
        return errno_error(e, "cannot open " + s.device + ": " + std::strerror(e));
    }
    termios t{};
    if (tcgetattr(fd, &t) != 0) {
        Error err{"unsupported", s.device + " is not a serial port: " + std::strerror(errno)};
        ::close(fd);
        return err;
    }
    if (auto m = make_termios(s, t); !m) {
        ::close(fd);
        return m;
    }
    if (tcsetattr(fd, TCSANOW, &t) != 0) {
        Error err{"io", "cannot configure " + s.device + ": " + std::strerror(errno)};
        ::close(fd);
        return err;
    }
    fd_ = fd;
    mask7_ = s.mask_bit7 || s.data_bits == 7;
    buf_.clear();
    overflow_ = false;
    return {};
}

void SerialPort::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    buf_.clear();
}

void SerialPort::discard_input() {
    if (fd_ >= 0) tcflush(fd_, TCIFLUSH);
    buf_.clear();
    overflow_ = false;
}

SerialPort::ReadStatus SerialPort::read_line(std::string& line, std::chrono::milliseconds timeout) {
    if (fd_ < 0) return ReadStatus::Disconnected;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        // A complete line already buffered?
        for (;;) {
            size_t eol = buf_.find_first_of("\r\n");
            if (eol == std::string::npos) break;
            std::string l = buf_.substr(0, eol);
            buf_.erase(0, eol + 1);
            if (overflow_ || l.size() > kMaxLine) {  // (the tail of) an over-long run: garbage, drop it
                overflow_ = false;
                continue;
            }
            if (!l.empty()) {
                line = std::move(l);
                return ReadStatus::Line;
            }
        }
        if (buf_.size() > kMaxLine) {
            buf_.clear();
            overflow_ = true;
        }
        auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return ReadStatus::Timeout;
        pollfd p{fd_, POLLIN, 0};
        int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) + 1;
        int r = ::poll(&p, 1, ms);
        if (r < 0) {
            if (errno == EINTR) continue;
            return ReadStatus::Disconnected;
        }
        if (r == 0) return ReadStatus::Timeout;
        if (p.revents & POLLIN) {
            char tmp[256];
            ssize_t n = ::read(fd_, tmp, sizeof tmp);
            if (n > 0) {
                for (ssize_t i = 0; i < n; ++i) {
                    char c = mask7_ ? static_cast<char>(tmp[i] & 0x7f) : tmp[i];
                    if (c == '\0') continue;
                    buf_ += c;
                }
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            return ReadStatus::Disconnected;  // EOF / EIO: unplugged or the other end closed
        }
        if (p.revents & (POLLHUP | POLLERR | POLLNVAL)) return ReadStatus::Disconnected;
    }
}

bool SerialPort::write(std::string_view data) {
    if (fd_ < 0) return false;
    size_t off = 0;
    int spins = 0;
    while (off < data.size()) {
        ssize_t n = ::write(fd_, data.data() + off, data.size() - off);
        if (n > 0) {
            off += static_cast<size_t>(n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR) && ++spins < 50) {
            pollfd p{fd_, POLLOUT, 0};
            ::poll(&p, 1, 20);
            continue;
        }
        return false;
    }
    return true;
}

}  // namespace batchivo::platform
