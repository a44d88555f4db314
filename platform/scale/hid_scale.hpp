// USB HID POS scale read from a /dev/hidraw* path (or any FIFO/file delivering 6-byte reports: reading uses
// plain read(), no hidraw ioctls). The first report after open is discarded (it can be stale). Zero sends the
// output report {0x02, 0x02} when the path is a character device opened read-write (not every model obeys).
#pragma once

#include <string>
#include <vector>

#include "platform/scale/hid_report.hpp"
#include "platform/scale/scale.hpp"

namespace batchivo::platform {

class HidScale : public Scale {
public:
    explicit HidScale(std::string device);
    ~HidScale() override;
    std::string describe() const override;
    Result<> open() override;
    void close() override;
    std::optional<ScaleReading> read(std::chrono::milliseconds timeout) override;
    bool supports_zero() const override { return writable_; }
    Result<> zero() override;

private:
    std::string device_;
    int fd_ = -1;
    bool writable_ = false;
    bool discarded_first_ = false;
    std::vector<uint8_t> buf_;
};

}  // namespace batchivo::platform
