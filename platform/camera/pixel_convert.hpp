// Pixel format conversions to 8-bit grayscale (pure, unit-tested): YUYV 4:2:2 (take Y), GREY with a stride,
// MJPEG via libjpeg (decoded straight to grayscale; missing Huffman tables are filled in by libjpeg-turbo),
// and a 3x3-style box downscale used by the decoder and the preview.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sync/domain/result.hpp"

namespace batchivo::platform {

struct GrayImage {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> pixels;  // width*height, tightly packed
};

// YUYV (Y0 U Y1 V): every even byte is luminance. `stride` bytes per source row (>= 2*width).
void yuyv_to_gray(const uint8_t* src, int width, int height, int stride, uint8_t* dst);
// Copies a strided GREY image into tightly packed rows.
void grey_copy(const uint8_t* src, int width, int height, int stride, uint8_t* dst);
// Decodes a JPEG (MJPEG frame) to grayscale into `out` (its buffer is reused). Errors: "invalid_data" on corrupt
// or empty data, "unsupported" for a layout it cannot decode to one 8-bit channel.
Result<> jpeg_to_gray(const uint8_t* data, size_t size, GrayImage& out);
// Averages factor x factor blocks (the last partial row/column is dropped).
// `pixel_stride` (here and below): bytes between neighbouring pixels of a row (2 reads YUYV's Y in place).
GrayImage box_downscale(const uint8_t* src, int width, int height, int stride, int factor, int pixel_stride = 1);
// Nearest-neighbour resize to exactly out_w x out_h (cheap, for the preview).
GrayImage resize_nearest(const uint8_t* src, int width, int height, int stride, int out_w, int out_h,
                         int pixel_stride = 1);
// 255 - p for every pixel.
GrayImage invert(const uint8_t* src, int width, int height, int stride, int pixel_stride = 1);

}  // namespace batchivo::platform
