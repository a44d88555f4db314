#include "platform/camera/v4l2_camera.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "platform/device_error.hpp"

namespace batchivo::platform {

namespace {
int xioctl(int fd, unsigned long req, void* arg) {
    int r;
    do {
        r = ::ioctl(fd, req, arg);
    } while (r == -1 && errno == EINTR);
    return r;
}
std::string fourcc(uint32_t f) {
    std::string s(4, ' ');
    for (int i = 0; i < 4; ++i) s[static_cast<size_t>(i)] = static_cast<char>((f >> (8 * i)) & 0xff);
    return s;
}
}  // namespace

V4l2Camera::V4l2Camera(std::string device, int width, int height, double fps)
    : device_(std::move(device)), req_w_(width), req_h_(height), fps_(fps) {}

V4l2Camera::~V4l2Camera() { close(); }

std::string V4l2Camera::describe() const {
    std::string d = "V4L2 camera " + device_;
    if (fd_ >= 0) d += " " + std::to_string(width_) + "x" + std::to_string(height_) + " " + fourcc(pixfmt_);
    return d;
}

Result<> V4l2Camera::open() {
    close();
    fd_ = ::open(device_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) {
        const int e = errno;
        return errno_error(e, "cannot open " + device_ + ": " + std::strerror(e) +
                                  (e == EACCES ? " (add the user to the 'video' group)" : ""));
    }
    // errno == 0: the device answered but cannot do what is needed ("unsupported"); else a failed call.
    auto fail_as = [&](std::string code, const std::string& what) -> Result<> {
        Error err{std::move(code), device_ + ": " + what + (errno ? std::string(": ") + std::strerror(errno) : "")};
        close();
        return err;
    };
    auto fail = [&](const std::string& what) { return fail_as(errno ? "io" : "unsupported", what); };
    v4l2_capability cap{};
    if (xioctl(fd_, VIDIOC_QUERYCAP, &cap) != 0) return fail_as("unsupported", "not a V4L2 device");
    uint32_t caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
    if (!(caps & V4L2_CAP_VIDEO_CAPTURE)) { errno = 0; return fail("not a capture device"); }
    if (!(caps & V4L2_CAP_STREAMING)) { errno = 0; return fail("does not support streaming"); }

    // Pick the cheapest format the camera offers: GREY (no conversion), YUYV (take Y), MJPEG (decode).
    bool has_grey = false, has_yuyv = false, has_mjpeg = false;
    for (uint32_t i = 0; i < 64; ++i) {
        v4l2_fmtdesc fd{};
        fd.index = i;
        fd.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        if (xioctl(fd_, VIDIOC_ENUM_FMT, &fd) != 0) break;
        if (fd.pixelformat == V4L2_PIX_FMT_GREY) has_grey = true;
        if (fd.pixelformat == V4L2_PIX_FMT_YUYV) has_yuyv = true;
        if (fd.pixelformat == V4L2_PIX_FMT_MJPEG || fd.pixelformat == V4L2_PIX_FMT_JPEG) has_mjpeg = true;
    }
    uint32_t want = has_grey ? V4L2_PIX_FMT_GREY : has_yuyv ? V4L2_PIX_FMT_YUYV : has_mjpeg ? V4L2_PIX_FMT_MJPEG : 0;
    if (want == 0) { errno = 0; return fail("offers none of GREY, YUYV, MJPEG"); }

    v4l2_format fmt{};
    fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    fmt.fmt.pix.width = static_cast<uint32_t>(req_w_);
    fmt.fmt.pix.height = static_cast<uint32_t>(req_h_);
    fmt.fmt.pix.pixelformat = want;
    fmt.fmt.pix.field = V4L2_FIELD_NONE;
    if (xioctl(fd_, VIDIOC_S_FMT, &fmt) != 0) return fail("cannot set format");
    pixfmt_ = fmt.fmt.pix.pixelformat;
    if (pixfmt_ == V4L2_PIX_FMT_JPEG) pixfmt_ = V4L2_PIX_FMT_MJPEG;
    width_ = static_cast<int>(fmt.fmt.pix.width);
    height_ = static_cast<int>(fmt.fmt.pix.height);
    stride_ = static_cast<int>(fmt.fmt.pix.bytesperline);
    if (stride_ == 0) stride_ = pixfmt_ == V4L2_PIX_FMT_YUYV ? width_ * 2 : width_;
    if (pixfmt_ != V4L2_PIX_FMT_GREY && pixfmt_ != V4L2_PIX_FMT_YUYV && pixfmt_ != V4L2_PIX_FMT_MJPEG) {
        errno = 0;
        return fail("driver chose unsupported format " + fourcc(pixfmt_));
    }
    if (fps_ > 0) {  // best effort: not every driver lets us choose
        v4l2_streamparm parm{};
        parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        parm.parm.capture.timeperframe.numerator = 1000;
        parm.parm.capture.timeperframe.denominator = static_cast<uint32_t>(fps_ * 1000);
        xioctl(fd_, VIDIOC_S_PARM, &parm);
    }

    v4l2_requestbuffers req{};
    req.count = 4;
    req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    req.memory = V4L2_MEMORY_MMAP;
    if (xioctl(fd_, VIDIOC_REQBUFS, &req) != 0 || req.count < 2) return fail("cannot get mmap buffers");
    for (uint32_t i = 0; i < req.count; ++i) {
        v4l2_buffer b{};
        b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        b.memory = V4L2_MEMORY_MMAP;
        b.index = i;
        if (xioctl(fd_, VIDIOC_QUERYBUF, &b) != 0) return fail("cannot query buffer");
        void* p = ::mmap(nullptr, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, b.m.offset);
        if (p == MAP_FAILED) return fail("cannot map buffer");
        buffers_.push_back({p, b.length});
        if (xioctl(fd_, VIDIOC_QBUF, &b) != 0) return fail("cannot queue buffer");
    }
    v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (xioctl(fd_, VIDIOC_STREAMON, &type) != 0) return fail("cannot start streaming");
    return {};
}

void V4l2Camera::close() {
    if (fd_ >= 0) {
        v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        xioctl(fd_, VIDIOC_STREAMOFF, &type);
    }
    for (auto& b : buffers_) ::munmap(b.start, b.length);
    buffers_.clear();
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    dequeued_ = -1;
}

Result<> V4l2Camera::requeue() {
    if (dequeued_ < 0) return {};
    v4l2_buffer b{};
    b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    b.memory = V4L2_MEMORY_MMAP;
    b.index = static_cast<uint32_t>(dequeued_);
    dequeued_ = -1;
    if (xioctl(fd_, VIDIOC_QBUF, &b) != 0)
        return Error{"io", device_ + ": cannot requeue buffer: " + std::strerror(errno)};
    return {};
}

Result<std::optional<GrayFrame>> V4l2Camera::grab(std::chrono::milliseconds timeout) {
    if (fd_ < 0) return Error{"not_open", "camera not open"};
    if (auto q = requeue(); !q) return q.error();  // the previous frame's buffer goes back to the driver
    pollfd p{fd_, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (r < 0) {
        if (errno == EINTR) return std::nullopt;
        return Error{"io", device_ + ": poll failed: " + std::strerror(errno)};
    }
    if (r == 0) return std::nullopt;
    if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) return Error{"disconnected", device_ + ": camera went away"};
    v4l2_buffer b{};
    b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    b.memory = V4L2_MEMORY_MMAP;
    if (xioctl(fd_, VIDIOC_DQBUF, &b) != 0) {
        if (errno == EAGAIN) return std::nullopt;
        const int e = errno;
        return Error{e == ENODEV ? "disconnected" : "io", device_ + ": cannot dequeue frame: " + std::strerror(e)};
    }
    const auto* data = static_cast<const uint8_t*>(buffers_[b.index].start);
    GrayFrame f;
    f.width = width_;
    f.height = height_;
    f.sequence = ++seq_;
    f.at = std::chrono::steady_clock::now();
    dequeued_ = static_cast<int>(b.index);
    if (pixfmt_ == V4L2_PIX_FMT_GREY) {  // borrow the mapped buffer: no copy
        f.data = data;
        f.stride = stride_;
        return f;
    }
    if (pixfmt_ == V4L2_PIX_FMT_YUYV) {  // the Y bytes in place: every 2nd byte of the mapped buffer
        f.data = data;
        f.stride = stride_;
        f.pixel_stride = 2;
        return f;
    }
    if (!jpeg_to_gray(data, b.bytesused, converted_)) {
        if (auto q = requeue(); !q) return q.error();
        return std::nullopt;  // a corrupt MJPEG frame happens; skip it
    }
    f.width = converted_.width;
    f.height = converted_.height;
    if (auto q = requeue(); !q) return q.error();
    f.data = converted_.pixels.data();
    f.stride = f.width;
    return f;
}

}  // namespace batchivo::platform
