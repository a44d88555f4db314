// Sizes derived from the screen: everything scales with the window height (800x480 is the reference), so the
// same screens work at 800x480, 1024x600 and 1280x800. Touch targets are at least ~56 px at 480 px high.
#pragma once

#include <imgui.h>

#include <cstdint>

namespace batchivo::station::ui {

// Owned by the UI thread: the preview texture for the camera image (uploaded when preview_seq changes).
struct Textures {
    unsigned int preview = 0;
    int preview_w = 0, preview_h = 0;
    uint64_t preview_seq = 0;
};

struct Fonts {
    ImFont* body = nullptr;   // ~20 px at 480
    ImFont* big = nullptr;    // ~30 px
    ImFont* huge = nullptr;   // ~64 px bold, the net weight
    ImFont* small = nullptr;  // ~16 px
};

struct Layout {
    float w = 800, h = 480;
    float k = 1;         // h / 480
    float top_h = 56;    // top bar
    float rail_w = 112;  // navigation rail on the left
    float pad = 10;
    float touch = 56;    // minimum touch target
    float big_button = 76;
    ImVec2 content_pos;   // content area (right of the rail, below the top bar)
    ImVec2 content_size;
    Fonts fonts;

    static Layout from_size(float w, float h, const Fonts& f) {
        Layout l;
        l.w = w;
        l.h = h;
        l.k = h / 480.0f;
        l.top_h = 56 * l.k;
        l.rail_w = (w / h > 1.45f ? 112 : 100) * l.k;
        l.pad = 10 * l.k;
        l.touch = 56 * l.k;
        l.big_button = 76 * l.k;
        l.content_pos = ImVec2(l.rail_w, l.top_h);
        l.content_size = ImVec2(w - l.rail_w, h - l.top_h);
        l.fonts = f;
        return l;
    }
};

}  // namespace batchivo::station::ui
