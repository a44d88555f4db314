// Pairing QR codes: a PNG file (libqrencode + stb_image_write) and a terminal rendering (Unicode half blocks).
#pragma once

#include <string>

#include "sync/domain/result.hpp"

namespace batchivo::central {

// Writes `text` as a QR code PNG (black on white, `scale` pixels per module, 4-module quiet zone);
// Error{"io", ...} when the text does not fit a QR code or the file cannot be written.
Result<> write_qr_png(const std::string& text, const std::string& path, int scale = 6);
// The QR code as text lines for a terminal (two modules per character row).
std::string qr_terminal(const std::string& text);

}  // namespace batchivo::central
