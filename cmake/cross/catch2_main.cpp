// The Catch2 v2 test runner's main() built for the target architecture (cmake/cross-tests.cmake): Debian's
// catch2 package ships libCatch2WithMain.a for the build machine only.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
