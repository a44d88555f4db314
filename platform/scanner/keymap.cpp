#include "platform/scanner/keymap.hpp"

namespace batchivo::platform {

namespace {
// Key codes from linux/input-event-codes.h (stable kernel ABI), US layout.
struct Key {
    int code;
    char plain;
    char shifted;
};
constexpr Key kKeys[] = {
    {2, '1', '!'}, {3, '2', '@'}, {4, '3', '#'}, {5, '4', '$'}, {6, '5', '%'}, {7, '6', '^'}, {8, '7', '&'},
    {9, '8', '*'}, {10, '9', '('}, {11, '0', ')'}, {12, '-', '_'}, {13, '=', '+'},
    {16, 'q', 'Q'}, {17, 'w', 'W'}, {18, 'e', 'E'}, {19, 'r', 'R'}, {20, 't', 'T'}, {21, 'y', 'Y'},
    {22, 'u', 'U'}, {23, 'i', 'I'}, {24, 'o', 'O'}, {25, 'p', 'P'}, {26, '[', '{'}, {27, ']', '}'},
    {30, 'a', 'A'}, {31, 's', 'S'}, {32, 'd', 'D'}, {33, 'f', 'F'}, {34, 'g', 'G'}, {35, 'h', 'H'},
    {36, 'j', 'J'}, {37, 'k', 'K'}, {38, 'l', 'L'}, {39, ';', ':'}, {40, '\'', '"'}, {41, '`', '~'},
    {43, '\\', '|'}, {44, 'z', 'Z'}, {45, 'x', 'X'}, {46, 'c', 'C'}, {47, 'v', 'V'}, {48, 'b', 'B'},
    {49, 'n', 'N'}, {50, 'm', 'M'}, {51, ',', '<'}, {52, '.', '>'}, {53, '/', '?'}, {57, ' ', ' '},
    {55, '*', '*'},  // KEY_KPASTERISK
    {71, '7', '7'}, {72, '8', '8'}, {73, '9', '9'}, {74, '-', '-'}, {75, '4', '4'}, {76, '5', '5'},
    {77, '6', '6'}, {78, '+', '+'}, {79, '1', '1'}, {80, '2', '2'}, {81, '3', '3'}, {82, '0', '0'},
    {83, '.', '.'}, {98, '/', '/'},  // keypad
};
constexpr int KEY_ENTER = 28, KEY_KPENTER = 96, KEY_LEFTSHIFT = 42, KEY_RIGHTSHIFT = 54, KEY_CAPSLOCK = 58;
constexpr int KEY_BACKSPACE = 14, KEY_ESC = 1;
}  // namespace

std::optional<char> key_to_char(int code, bool shift) {
    for (const auto& k : kKeys)
        if (k.code == code) return shift ? k.shifted : k.plain;
    return std::nullopt;
}

void KeyTranslator::reset() {
    buf_.clear();
    lshift_ = rshift_ = caps_ = false;
}

std::optional<std::string> KeyTranslator::feed(int code, int value) {
    if (code == KEY_LEFTSHIFT) { lshift_ = value != 0; return std::nullopt; }
    if (code == KEY_RIGHTSHIFT) { rshift_ = value != 0; return std::nullopt; }
    if (value == 0) return std::nullopt;  // releases carry no text
    if (code == KEY_CAPSLOCK) {
        if (value == 1) caps_ = !caps_;
        return std::nullopt;
    }
    if (code == KEY_ENTER || code == KEY_KPENTER) {
        if (value != 1 || buf_.empty()) return std::nullopt;
        std::string out;
        out.swap(buf_);
        return out;
    }
    if (code == KEY_BACKSPACE) {
        if (!buf_.empty()) buf_.pop_back();
        return std::nullopt;
    }
    if (code == KEY_ESC) {
        buf_.clear();
        return std::nullopt;
    }
    const bool shift = lshift_ || rshift_;
    auto c = key_to_char(code, shift);
    if (!c) return std::nullopt;
    char ch = *c;
    if (caps_ && ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    else if (caps_ && ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    if (buf_.size() < 4096) buf_ += ch;
    return std::nullopt;
}

}  // namespace batchivo::platform
