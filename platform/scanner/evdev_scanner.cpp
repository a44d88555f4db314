#include "platform/scanner/evdev_scanner.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <thread>
#include <unistd.h>

#include "platform/scanner/keymap.hpp"

namespace batchivo::platform {

namespace {
int open_device(const std::string& path, bool grab, std::string& error) {
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        error = "cannot open " + path + ": " + std::strerror(errno) +
                (errno == EACCES ? " (add the user to the 'input' group or install the udev rule)" : "");
        return -1;
    }
    if (grab && ::ioctl(fd, EVIOCGRAB, 1) != 0) {
        error = "cannot grab " + path + " (another program holds it?): " + std::strerror(errno);
        ::close(fd);
        return -1;
    }
    return fd;
}
}  // namespace

EvdevScanner::EvdevScanner(std::string device, Callback on_scan, ErrorCallback on_error)
    : device_(std::move(device)), on_scan_(std::move(on_scan)), on_error_(std::move(on_error)) {}

EvdevScanner::~EvdevScanner() { stop(); }

Result<> EvdevScanner::open_and_run(bool grab) {
    if (thread_.joinable()) return {};
    grab_ = grab;
    std::string error;
    fd_ = open_device(device_, grab_, error);
    if (fd_ < 0) return Error{"io", error};
    stop_ = false;
    thread_ = std::thread([this] { run(); });
    return {};
}

Result<> EvdevScanner::start() { return open_and_run(true); }
Result<> EvdevScanner::start_without_grab() { return open_and_run(false); }

void EvdevScanner::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

void EvdevScanner::run() {
    KeyTranslator keys;
    auto report = [this](const std::string& m) {
        if (on_error_) on_error_(m);
    };
    std::vector<uint8_t> buf;
    while (!stop_) {
        if (fd_ < 0) {  // reopen after the device went away (scanner unplugged)
            std::string err;
            fd_ = open_device(device_, grab_, err);
            if (fd_ < 0) {
                for (int i = 0; i < 10 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
                continue;
            }
            keys.reset();
            buf.clear();
            report("scanner reconnected: " + device_);
        }
        pollfd p{fd_, POLLIN, 0};
        int r = ::poll(&p, 1, 200);
        if (r < 0 && errno == EINTR) continue;
        bool gone = r < 0;
        if (r > 0 && (p.revents & POLLIN)) {
            uint8_t tmp[sizeof(input_event) * 32];
            ssize_t n = ::read(fd_, tmp, sizeof tmp);
            if (n > 0) {
                buf.insert(buf.end(), tmp, tmp + n);
                size_t off = 0;
                while (buf.size() - off >= sizeof(input_event)) {
                    input_event ev;
                    std::memcpy(&ev, buf.data() + off, sizeof ev);
                    off += sizeof ev;
                    if (ev.type != EV_KEY) continue;
                    if (auto text = keys.feed(ev.code, ev.value)) {
                        if (on_scan_) on_scan_(*text);
                    }
                }
                buf.erase(buf.begin(), buf.begin() + static_cast<long>(off));
            } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                gone = true;
            }
        } else if (r > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL))) {
            gone = true;
        }
        if (gone) {
            report("scanner disconnected: " + device_);
            ::close(fd_);
            fd_ = -1;
        }
    }
}

}  // namespace batchivo::platform
