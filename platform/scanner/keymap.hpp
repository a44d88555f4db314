// Linux input key codes (linux/input-event-codes.h) to text, US layout, as keyboard-wedge barcode scanners
// type it. Pure and self-contained (fuzzable, testable without a device).
#pragma once

#include <optional>
#include <string>

namespace batchivo::platform {

// The character for `code` with or without shift; nullopt for keys that produce no text.
std::optional<char> key_to_char(int code, bool shift);

// Follows key events (EV_KEY: value 1 press, 2 autorepeat, 0 release) and assembles lines: letters with shift
// or caps lock, digits, punctuation, keypad. Enter (or keypad Enter) completes a scan.
class KeyTranslator {
public:
    // Returns the completed text when this event is an Enter press ending a non-empty line.
    std::optional<std::string> feed(int code, int value);
    const std::string& pending() const { return buf_; }
    void reset();

private:
    bool lshift_ = false, rshift_ = false, caps_ = false;
    std::string buf_;
};

}  // namespace batchivo::platform
