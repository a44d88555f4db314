// Shared checks for the fuzz targets: a violated invariant aborts (libFuzzer reports it as a crash).
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>

#define FUZZ_ASSERT(cond)                                                             \
    do {                                                                              \
        if (!(cond)) {                                                                \
            std::fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            std::abort();                                                             \
        }                                                                             \
    } while (0)
