// Without an evdev device, a wedge scanner types into the kiosk window. The kiosk feeds every typed character
// (and Enter) with its timestamp; a burst of fast keystrokes ending with Enter is a scan, slow human typing is
// not. Pure: time is passed in.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace batchivo::platform {

struct TypedSequenceOptions {
    std::chrono::milliseconds max_gap{60};  // between consecutive keys of a scan (scanners: ~5-30 ms)
    size_t min_length = 4;                  // shorter bursts are not scans
};

class TypedSequenceDetector {
public:
    using Clock = std::chrono::steady_clock;
    explicit TypedSequenceDetector(TypedSequenceOptions opt = {}) : opt_(opt) {}
    // A printable character (UTF-8 bytes of one code point, or one ASCII char).
    void feed_char(char32_t c, Clock::time_point at);
    // Enter: returns the scanned text when the pending burst qualifies; the burst is cleared either way.
    std::optional<std::string> feed_enter(Clock::time_point at);
    // True while a fast burst is in progress (the kiosk may hold back those keys from text fields).
    bool in_burst(Clock::time_point now) const;
    void reset();

private:
    TypedSequenceOptions opt_;
    std::string buf_;
    size_t count_ = 0;  // characters in the burst
    std::optional<Clock::time_point> last_;
};

}  // namespace batchivo::platform
