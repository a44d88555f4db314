#include "platform/scanner/typed_sequence.hpp"

namespace batchivo::platform {

namespace {
void append_utf8(std::string& s, char32_t c) {
    if (c < 0x80) {
        s += static_cast<char>(c);
    } else if (c < 0x800) {
        s += static_cast<char>(0xC0 | (c >> 6));
        s += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        s += static_cast<char>(0xE0 | (c >> 12));
        s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x110000) {
        s += static_cast<char>(0xF0 | (c >> 18));
        s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (c & 0x3F));
    }
}
}  // namespace

void TypedSequenceDetector::reset() {
    buf_.clear();
    count_ = 0;
    last_.reset();
}

void TypedSequenceDetector::feed_char(char32_t c, Clock::time_point at) {
    if (c < 0x20 || c == 0x7f) return;
    // A gap longer than a scanner's means a human typed the earlier keys: the burst starts over here.
    if (!last_ || at - *last_ > opt_.max_gap || at < *last_) {
        buf_.clear();
        count_ = 0;
    }
    if (buf_.size() < 4096) append_utf8(buf_, c);
    ++count_;
    last_ = at;
}

std::optional<std::string> TypedSequenceDetector::feed_enter(Clock::time_point at) {
    std::optional<std::string> out;
    if (last_ && at >= *last_ && at - *last_ <= opt_.max_gap && count_ >= opt_.min_length) out = buf_;
    reset();
    return out;
}

bool TypedSequenceDetector::in_burst(Clock::time_point now) const {
    return last_ && count_ >= 2 && now >= *last_ && now - *last_ <= opt_.max_gap;
}

}  // namespace batchivo::platform
