#include "platform/camera/pixel_convert.hpp"

#include <csetjmp>
#include <cstdio>
#include <cstring>

#include <jpeglib.h>

namespace batchivo::platform {

void yuyv_to_gray(const uint8_t* src, int width, int height, int stride, uint8_t* dst) {
    for (int y = 0; y < height; ++y) {
        const uint8_t* s = src + static_cast<size_t>(y) * stride;
        uint8_t* d = dst + static_cast<size_t>(y) * width;
        for (int x = 0; x < width; ++x) d[x] = s[2 * x];
    }
}

void grey_copy(const uint8_t* src, int width, int height, int stride, uint8_t* dst) {
    for (int y = 0; y < height; ++y)
        std::memcpy(dst + static_cast<size_t>(y) * width, src + static_cast<size_t>(y) * stride, static_cast<size_t>(width));
}

namespace {
struct JpegErr {
    jpeg_error_mgr mgr;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};
void jpeg_error_exit(j_common_ptr cinfo) {
    auto* e = reinterpret_cast<JpegErr*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, e->message);
    longjmp(e->jump, 1);
}
void jpeg_no_output(j_common_ptr) {}
}  // namespace

Result<> jpeg_to_gray(const uint8_t* data, size_t size, GrayImage& out) {
    if (data == nullptr || size < 4) return Error{"invalid_data", "empty JPEG frame"};
    jpeg_decompress_struct cinfo;
    JpegErr err;
    std::memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpeg_error_exit;
    err.mgr.output_message = jpeg_no_output;
    err.message[0] = 0;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return Error{"invalid_data", std::string("bad JPEG frame: ") + err.message};
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, const_cast<unsigned char*>(data), static_cast<unsigned long>(size));
    if (jpeg_read_header(&cinfo, TRUE) != JPEG_HEADER_OK) {
        jpeg_destroy_decompress(&cinfo);
        return Error{"invalid_data", "bad JPEG header"};
    }
    cinfo.out_color_space = JCS_GRAYSCALE;
    cinfo.dct_method = JDCT_IFAST;
    jpeg_start_decompress(&cinfo);
    const int w = static_cast<int>(cinfo.output_width), h = static_cast<int>(cinfo.output_height);
    if (cinfo.output_components != 1 || w <= 0 || h <= 0 || w > 16384 || h > 16384) {
        jpeg_destroy_decompress(&cinfo);
        return Error{"unsupported", "unsupported JPEG layout"};
    }
    out.width = w;
    out.height = h;
    out.pixels.resize(static_cast<size_t>(w) * h);
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = out.pixels.data() + static_cast<size_t>(cinfo.output_scanline) * w;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return {};
}

GrayImage box_downscale(const uint8_t* src, int width, int height, int stride, int factor, int pixel_stride) {
    GrayImage out;
    if (factor < 1 || width < factor || height < factor) return out;
    out.width = width / factor;
    out.height = height / factor;
    out.pixels.resize(static_cast<size_t>(out.width) * out.height);
    const int area = factor * factor;
    std::vector<unsigned> acc(static_cast<size_t>(out.width));
    for (int oy = 0; oy < out.height; ++oy) {
        std::fill(acc.begin(), acc.end(), 0u);
        for (int k = 0; k < factor; ++k) {
            const uint8_t* row = src + static_cast<size_t>(oy * factor + k) * stride;
            for (int ox = 0; ox < out.width; ++ox) {
                const uint8_t* p = row + static_cast<size_t>(ox) * factor * pixel_stride;
                unsigned s = 0;
                for (int j = 0; j < factor; ++j) s += p[j * pixel_stride];
                acc[static_cast<size_t>(ox)] += s;
            }
        }
        uint8_t* d = out.pixels.data() + static_cast<size_t>(oy) * out.width;
        for (int ox = 0; ox < out.width; ++ox) d[ox] = static_cast<uint8_t>((acc[static_cast<size_t>(ox)] + area / 2) / area);
    }
    return out;
}

GrayImage resize_nearest(const uint8_t* src, int width, int height, int stride, int out_w, int out_h,
                         int pixel_stride) {
    GrayImage out;
    if (width <= 0 || height <= 0 || out_w <= 0 || out_h <= 0) return out;
    out.width = out_w;
    out.height = out_h;
    out.pixels.resize(static_cast<size_t>(out_w) * out_h);
    for (int y = 0; y < out_h; ++y) {
        const uint8_t* row = src + static_cast<size_t>(static_cast<long>(y) * height / out_h) * stride;
        uint8_t* d = out.pixels.data() + static_cast<size_t>(y) * out_w;
        for (int x = 0; x < out_w; ++x) d[x] = row[static_cast<long>(x) * width / out_w * pixel_stride];
    }
    return out;
}

GrayImage invert(const uint8_t* src, int width, int height, int stride, int pixel_stride) {
    GrayImage out;
    out.width = width;
    out.height = height;
    out.pixels.resize(static_cast<size_t>(width) * height);
    for (int y = 0; y < height; ++y) {
        const uint8_t* s = src + static_cast<size_t>(y) * stride;
        uint8_t* d = out.pixels.data() + static_cast<size_t>(y) * width;
        for (int x = 0; x < width; ++x) d[x] = static_cast<uint8_t>(255 - s[x * pixel_stride]);
    }
    return out;
}

}  // namespace batchivo::platform
