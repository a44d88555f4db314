// Checks that screenshots are real renders: the expected size, many distinct colours, no colour covering
// (almost) everything. Usage: station_png_check WxH file.png...
#include <stb/stb_image.h>

#include <cstdio>
#include <unordered_map>

int main(int argc, char** argv) {
    int want_w = 0, want_h = 0;
    if (argc < 3 || std::sscanf(argv[1], "%dx%d", &want_w, &want_h) != 2) {
        std::fprintf(stderr, "usage: station_png_check WxH file.png...\n");
        return 2;
    }
    int bad = 0;
    for (int i = 2; i < argc; ++i) {
        int w = 0, h = 0, n = 0;
        unsigned char* px = stbi_load(argv[i], &w, &h, &n, 3);
        if (!px) {
            std::fprintf(stderr, "%s: cannot read\n", argv[i]);
            ++bad;
            continue;
        }
        std::unordered_map<unsigned, int> hist;
        for (int p = 0; p < w * h; ++p) hist[(px[p * 3] << 16) | (px[p * 3 + 1] << 8) | px[p * 3 + 2]]++;
        stbi_image_free(px);
        int top = 0;
        for (auto& [c, k] : hist) top = k > top ? k : top;
        const double top_share = double(top) / (double(w) * h);
        const bool ok = w == want_w && h == want_h && hist.size() >= 64 && top_share < 0.85;
        std::printf("%s: %dx%d, %zu colours, most common %.0f%% -> %s\n", argv[i], w, h, hist.size(), top_share * 100,
                    ok ? "ok" : "BLANK OR WRONG SIZE");
        if (!ok) ++bad;
    }
    return bad ? 1 : 0;
}
