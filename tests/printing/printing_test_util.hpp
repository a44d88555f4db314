// Helpers for the printing tests: sample spools, a scanner (the project's decoder + parse_label), temporary
// directories, and decoders that turn each backend's bytes back into a bitmap WITHOUT using the encoders' code.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "platform/decode/decoder.hpp"
#include "platform/labels/label_parser.hpp"
#include "platform/printing/label/label.hpp"
#include "sync/domain/spool.hpp"

namespace batchivo::printing::test {

inline Spool sample_spool() {
    Spool s;
    s.id = "0192F3A4-5B6C-7D8E-9F01-23456789ABCD";  // upper case on purpose: the payload lowercases it
    s.tenant_id = "0192f3a4-0000-7000-8000-000000000001";
    s.spool_id = "PLA-BLK-003";
    s.material_name = "PLA";
    s.brand = "Bambu Lab";
    s.color = "Black";
    s.initial_weight_g = 1000;
    s.current_weight_g = 1000;
    s.purchase_date = "2026-11-20";
    s.created_at = "2026-11-27T10:00:00Z";
    return s;
}

inline Spool long_names_spool() {
    Spool s = sample_spool();
    s.id = "0192f3a4-aaaa-7bbb-8ccc-ddddeeeeffff";
    s.spool_id = "PETG-CF-GALAXY-PURPLE-000042-XL";
    s.material_name = "PETG-CF";
    s.brand = "Extremely Long Brand Name Filaments International GmbH & Co. KG";
    s.color = "Galaxy Sparkle Midnight Purple Metallic Ultra";
    s.initial_weight_g = 2500;
    return s;
}

// Does a scanned text refer to `s`, the way the station resolves labels? (UUID, else spool_id, else stored
// qr_code_data.)
inline bool resolves_to(const std::string& text, const Spool& s) {
    const auto ref = platform::parse_label(text);
    std::string id = s.id;
    for (auto& c : id) c = char(std::tolower(static_cast<unsigned char>(c)));
    switch (ref.kind) {
        case platform::LabelKind::SpoolUuid: return ref.value == id;
        case platform::LabelKind::SpoolId: {
            auto lower = [](std::string x) {
                for (auto& c : x) c = char(std::tolower(static_cast<unsigned char>(c)));
                return x;
            };
            return lower(ref.value) == lower(s.spool_id) || ref.value == s.qr_code_data;
        }
        default: return false;
    }
}

// Scans a region of a bitmap with platform::decode_frame; nullopt = no code.
inline std::optional<std::string> scan(const Bitmap& bm, int x = 0, int y = 0, int w = -1, int h = -1) {
    if (w < 0) w = bm.width - x;
    if (h < 0) h = bm.height - y;
    std::vector<uint8_t> gray(size_t(w) * size_t(h), 255);
    for (int yy = 0; yy < h; ++yy)
        for (int xx = 0; xx < w; ++xx)
            if (bm.get(x + xx, y + yy)) gray[size_t(yy) * size_t(w) + size_t(xx)] = 0;
    auto r = platform::decode_frame(platform::GrayView{gray.data(), w, h, w});
    if (!r) return std::nullopt;
    return r->text;
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string t = (std::filesystem::temp_directory_path() / "batchivo-print-XXXXXX").string();
        if (!::mkdtemp(t.data())) throw std::runtime_error("mkdtemp failed");
        path = t;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string operator/(const std::string& name) const { return (path / name).string(); }
};

inline std::vector<uint8_t> read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// ---- independent decoders -------------------------------------------------------------------------------

// Brother QL raster job -> one bitmap per page, 696 dots wide (the 62 mm print area), reading the command stream
// as the printer would: pin p of a 720-pin line is bit (719 - p) counted from the MSB of the line's first byte;
// the print area is pins 12..707, and the image's left edge is on pin 12 (the stream is mirrored).
struct QlJob {
    std::vector<Bitmap> pages;
    std::vector<uint32_t> declared_lines;  // from ESC i z
    std::vector<int> media_kind, media_width_mm;
    bool initialised = false;
    int invalidate_bytes = 0;
    int feed_dots = -1;
    bool printed_with_feed = false;  // ended with Control-Z
};

inline std::vector<uint8_t> packbits_decode(const uint8_t* p, size_t n) {
    std::vector<uint8_t> out;
    size_t i = 0;
    while (i < n) {
        const int8_t h = static_cast<int8_t>(p[i++]);
        if (h >= 0) {
            const size_t len = size_t(h) + 1;
            if (i + len > n) throw std::runtime_error("packbits: literal past the end");
            out.insert(out.end(), p + i, p + i + len);
            i += len;
        } else if (h != -128) {
            if (i >= n) throw std::runtime_error("packbits: run past the end");
            out.insert(out.end(), size_t(1 - h), p[i++]);
        }
    }
    return out;
}

inline QlJob decode_ql(const std::vector<uint8_t>& b) {
    QlJob job;
    size_t i = 0;
    while (i < b.size() && b[i] == 0) ++i, ++job.invalidate_bytes;
    int compression = 0;
    std::vector<std::vector<uint8_t>> lines;
    auto need = [&](size_t n) {
        if (i + n > b.size()) throw std::runtime_error("QL stream truncated at byte " + std::to_string(i));
    };
    auto finish_page = [&] {
        Bitmap bm(696, int(lines.size()), 300);
        for (size_t y = 0; y < lines.size(); ++y)
            for (int pin = 12; pin < 708; ++pin) {
                const int k = 719 - pin;
                if (lines[y][size_t(k >> 3)] & (0x80 >> (k & 7))) bm.set(pin - 12, int(y));
            }
        job.pages.push_back(std::move(bm));
        lines.clear();
    };
    while (i < b.size()) {
        const uint8_t c = b[i++];
        if (c == 0x1B) {
            need(1);
            const uint8_t c2 = b[i++];
            if (c2 == '@') { job.initialised = true; continue; }
            if (c2 != 'i') throw std::runtime_error("unknown ESC command");
            need(1);
            const uint8_t c3 = b[i++];
            switch (c3) {
                case 'a': need(1); i += 1; break;
                case 'S': break;
                case 'z':
                    need(10);
                    job.media_kind.push_back(b[i + 1]);
                    job.media_width_mm.push_back(b[i + 2]);
                    job.declared_lines.push_back(uint32_t(b[i + 4]) | uint32_t(b[i + 5]) << 8 |
                                                 uint32_t(b[i + 6]) << 16 | uint32_t(b[i + 7]) << 24);
                    i += 10;
                    break;
                case 'M': case 'A': case 'K': need(1); i += 1; break;
                case 'd': need(2); job.feed_dots = b[i] | b[i + 1] << 8; i += 2; break;
                default: throw std::runtime_error("unknown ESC i command");
            }
        } else if (c == 'M') {
            need(1);
            compression = b[i++];
        } else if (c == 'g') {
            need(2);
            const size_t n = b[i + 1];
            i += 2;
            need(n);
            std::vector<uint8_t> line = compression == 2 ? packbits_decode(&b[i], n)
                                                         : std::vector<uint8_t>(b.begin() + long(i), b.begin() + long(i + n));
            if (line.size() != 90) throw std::runtime_error("raster line is not 90 bytes");
            lines.push_back(std::move(line));
            i += n;
        } else if (c == 'Z') {
            lines.emplace_back(90, 0);
        } else if (c == 0x0C) {
            finish_page();
        } else if (c == 0x1A) {
            finish_page();
            job.printed_with_feed = true;
        } else {
            throw std::runtime_error("unknown QL command byte " + std::to_string(c));
        }
    }
    return job;
}

// ZPL text -> one bitmap per ^GFA field, sized by ^PW and the field's byte counts.
inline std::vector<Bitmap> decode_zpl(const std::string& z, int dpi) {
    std::vector<Bitmap> out;
    size_t pos = 0;
    while ((pos = z.find("^XA", pos)) != std::string::npos) {
        const size_t end = z.find("^XZ", pos);
        if (end == std::string::npos) throw std::runtime_error("^XA without ^XZ");
        const std::string f = z.substr(pos, end - pos);
        pos = end;
        const size_t pw = f.find("^PW");
        const size_t gf = f.find("^GFA,");
        if (pw == std::string::npos || gf == std::string::npos) throw std::runtime_error("no ^PW or ^GFA");
        const int width = std::stoi(f.substr(pw + 3));
        size_t p = gf + 5;
        auto field = [&] {
            const size_t comma = f.find(',', p);
            const long v = std::stol(f.substr(p, comma - p));
            p = comma + 1;
            return v;
        };
        const long total = field(), total2 = field(), row = field();
        if (total != total2 || row <= 0 || total % row) throw std::runtime_error("bad ^GF counts");
        const size_t data_end = f.find('^', p);
        const std::string hex = f.substr(p, data_end - p);
        if (long(hex.size()) != total * 2) throw std::runtime_error("^GF hex length mismatch");
        Bitmap bm(width, int(total / row), dpi);
        if (row < bm.stride) throw std::runtime_error("^GF rows narrower than ^PW");
        auto nib = [](char ch) { return ch <= '9' ? ch - '0' : (ch & ~0x20) - 'A' + 10; };
        for (long y = 0; y < total / row; ++y)
            for (long bx = 0; bx < row; ++bx) {
                const size_t at = size_t((y * row + bx) * 2);
                const int v = nib(hex[at]) << 4 | nib(hex[at + 1]);
                for (int k = 0; k < 8; ++k)
                    if (v & (0x80 >> k)) bm.set(int(bx * 8 + k), int(y));
            }
        out.push_back(std::move(bm));
    }
    return out;
}

}  // namespace batchivo::printing::test
