#include "platform/scale/hid_scale.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/device_error.hpp"

namespace batchivo::platform {

HidScale::HidScale(std::string device) : device_(std::move(device)) {}
HidScale::~HidScale() { close(); }

std::string HidScale::describe() const { return "USB HID scale on " + device_; }

Result<> HidScale::open() {
    close();
    struct stat sb {};
    if (::stat(device_.c_str(), &sb) != 0) {
        const int e = errno;
        return errno_error(e, "cannot open " + device_ + ": " + std::strerror(e));
    }
    int fd = -1;
    writable_ = false;
    if (S_ISCHR(sb.st_mode)) {  // a real hidraw node: read-write so zero can be sent
        fd = ::open(device_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0) writable_ = true;
    }
    if (fd < 0) fd = ::open(device_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int e = errno;
        return errno_error(e, "cannot open " + device_ + ": " + std::strerror(e) +
                                  (e == EACCES ? " (install the udev rule from assets/udev/)" : ""));
    }
    fd_ = fd;
    discarded_first_ = false;
    buf_.clear();
    return {};
}

void HidScale::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    buf_.clear();
}

std::optional<ScaleReading> HidScale::read(std::chrono::milliseconds timeout) {
    using clock = std::chrono::steady_clock;
    if (fd_ < 0) return disconnected_reading("not open");
    const auto deadline = clock::now() + timeout;
    for (;;) {
        // Take complete reports out of the buffer; resynchronise on bytes that cannot start a report.
        while (buf_.size() >= 6) {
            if (buf_[0] != 0x03 && buf_[0] != 0x04) {
                buf_.erase(buf_.begin());
                continue;
            }
            uint8_t rep[6];
            std::memcpy(rep, buf_.data(), 6);
            buf_.erase(buf_.begin(), buf_.begin() + 6);
            auto parsed = parse_hid_report(rep, 6);
            if (!parsed) continue;
            if (!discarded_first_) {  // the first report after open can be stale
                discarded_first_ = true;
                continue;
            }
            ScaleReading r;
            r.status = parsed->status;
            r.grams = parsed->grams;
            r.note = parsed->note;
            r.raw = hex_bytes(rep, 6);
            r.at = clock::now();
            return r;
        }
        auto now = clock::now();
        if (now >= deadline) return std::nullopt;
        pollfd p{fd_, POLLIN, 0};
        int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) + 1;
        int pr = ::poll(&p, 1, ms);
        if (pr < 0) {
            if (errno == EINTR) continue;
            return disconnected_reading(std::string("poll failed: ") + std::strerror(errno));
        }
        if (pr == 0) return std::nullopt;
        if (p.revents & POLLIN) {
            uint8_t tmp[64];
            ssize_t n = ::read(fd_, tmp, sizeof tmp);
            if (n > 0) {
                buf_.insert(buf_.end(), tmp, tmp + n);
                if (buf_.size() > 4096) buf_.clear();
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            return disconnected_reading(n == 0 ? "device closed" : std::string("read failed: ") + std::strerror(errno));
        }
        if (p.revents & (POLLHUP | POLLERR | POLLNVAL)) return disconnected_reading("device went away");
    }
}

Result<> HidScale::zero() {
    if (fd_ < 0) return Error{"disconnected", "the scale is not open for writing"};
    if (!writable_) return Error{"unsupported", "the scale is not open for writing"};
    const uint8_t report[2] = {0x02, 0x02};
    if (::write(fd_, report, sizeof report) != static_cast<ssize_t>(sizeof report))
        return Error{"io", std::string("zero report failed: ") + std::strerror(errno) + " (not every model supports it)"};
    return {};
}

}  // namespace batchivo::platform
