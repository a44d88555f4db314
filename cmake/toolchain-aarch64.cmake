# Cross-compiling for 64-bit ARM (Raspberry Pi 3/4/5 on a 64-bit OS) with Debian's multiarch toolchain:
#   dpkg --add-architecture arm64 && apt-get update
#   apt-get install crossbuild-essential-arm64 <the :arm64 -dev packages>      (scripts/setup --arch arm64)
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake
# The results run here under qemu-user: qemu-aarch64-static -L / build-arm64/bin/...
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# Multiarch: arm64 libraries live in /usr/lib/aarch64-linux-gnu, headers are shared in /usr/include (the arch-
# specific ones in /usr/include/aarch64-linux-gnu). The root is / itself; CMAKE_LIBRARY_ARCHITECTURE makes
# find_library/find_package look in the aarch64-linux-gnu directories first. Programs (pkg-config, the test
# launchers) come from the build machine.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
# Never pick up the build machine's x86_64 libraries.
list(APPEND CMAKE_IGNORE_PATH /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/cmake)

# pkg-config: only the arm64 .pc files plus the architecture-independent ones.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
set(PKG_CONFIG_EXECUTABLE /usr/bin/pkg-config CACHE FILEPATH "pkg-config (multiarch paths set by the toolchain file)")

# Tests built for arm64 run through qemu-user (ctest, add_test with a target, catch_discover_tests all honour
# this). `-L /`: the arm64 runtime linker of the multiarch libc6:arm64 (/lib/ld-linux-aarch64.so.1), the same
# package as the libc.so.6 it then loads from /lib/aarch64-linux-gnu. NOT `-L /usr/aarch64-linux-gnu`: that
# prefix has the cross toolchain's ld.so (libc6-arm64-cross, another glibc build), and an ld.so from one glibc
# build with the libc.so.6 of another hangs in the first pthread_create() (a spin in user space before clone(),
# GLIBC_PRIVATE interfaces differ): every test that starts a thread timed out under qemu that way.
find_program(BATCHIVO_QEMU_AARCH64 qemu-aarch64-static qemu-aarch64)
if(BATCHIVO_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${BATCHIVO_QEMU_AARCH64} -L /)
endif()


# libpq: libpq-dev is not Multi-Arch co-installable (installing libpq-dev:arm64 removes the build machine's
# libpq-dev), so the arm64 build uses the runtime libpq5:arm64 and the shared client headers from libpq-dev
# (libpq-fe.h, postgres_ext.h and pg_config_ext.h are identical on the two LP64 architectures). There is no
# arm64 libpq.so link, hence the versioned file; its SONAME (libpq.so.5) is what the binaries record.
set(PostgreSQL_LIBRARY /usr/lib/aarch64-linux-gnu/libpq.so.5 CACHE FILEPATH "arm64 libpq (libpq5:arm64)")
set(PostgreSQL_INCLUDE_DIR /usr/include/postgresql CACHE PATH "libpq headers (libpq-dev, shared with the host)")
