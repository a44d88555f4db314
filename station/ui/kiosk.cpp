#include "station/ui/kiosk.hpp"

#include <cstdio>

namespace batchivo::station {
int run_kiosk(const KioskOptions&) {
    std::fprintf(stderr, "kiosk: not built yet\n");
    return 2;
}
}  // namespace batchivo::station
