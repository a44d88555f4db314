# Cross builds (cmake/toolchain-aarch64.cmake): what the test suites need that Debian ships for the build machine
# only. Included from cmake/packaging.cmake when CMAKE_CROSSCOMPILING; changes nothing in a native build.
#
# Catch2: the catch2 package is Multi-Arch: foreign with an x86-64 libCatch2WithMain.a (catch2:arm64 cannot be
# installed next to it). Build the runner's main() for the target and point Catch2::Catch2WithMain at it. Imported
# targets' properties are read when the build system is generated, so this works after the suites were defined.
if(NOT TARGET Catch2::Catch2WithMain)
  return()
endif()
add_library(batchivo_cross_catch2_main STATIC ${CMAKE_CURRENT_LIST_DIR}/cross/catch2_main.cpp)
target_link_libraries(batchivo_cross_catch2_main PUBLIC Catch2::Catch2)
# The imported library itself becomes an empty archive (no members: valid for any architecture); the real main
# comes through its link interface, which also orders the build.
set(_empty ${PROJECT_BINARY_DIR}/cross/libempty.a)
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/cross)
file(WRITE ${_empty} "!<arch>\n")
set_target_properties(Catch2::Catch2WithMain PROPERTIES
  IMPORTED_LOCATION ${_empty}
  IMPORTED_LOCATION_NONE ${_empty}
  INTERFACE_LINK_LIBRARIES "batchivo_cross_catch2_main;Catch2::Catch2")
