# Debian packages (CPack DEB): batchivo-station and batchivo-central, one component each.
#   scripts/package [--arch amd64|arm64]      -> dist/batchivo-{station,central}_<version>-<release>_<arch>.deb
# Included at the end of the top-level CMakeLists.txt; it only adds install() rules for the existing targets by
# name and the CPack settings, so it works whatever folder the targets are defined in.
#
# CPack does not run debhelper, so everything debhelper would do is spelled out here: conffiles (listed in a
# `conffiles` control file), maintainer scripts (packaging/debian/<package>/), stripping, the copyright file and
# the Debian changelog, and directory permissions.

if(CMAKE_CROSSCOMPILING)
  include(${CMAKE_CURRENT_LIST_DIR}/cross-tests.cmake)
endif()

set(BATCHIVO_PKG_DIR ${PROJECT_SOURCE_DIR}/packaging)
set(BATCHIVO_PKG_GEN ${PROJECT_BINARY_DIR}/packaging)
set(BATCHIVO_DEB_RELEASE 1 CACHE STRING "Debian revision of the packages (the part after the '-')")
set(BATCHIVO_DEB_MAINTAINER "Batchivo Station maintainers <station@batchivo.com>" CACHE STRING "Maintainer field")

# Debian architecture of what we build (not of the machine running CPack: the arm64 build is cross-compiled).
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  set(BATCHIVO_DEB_ARCH arm64)
  set(BATCHIVO_DEB_MULTIARCH aarch64-linux-gnu)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|amd64|AMD64)$")
  set(BATCHIVO_DEB_ARCH amd64)
  set(BATCHIVO_DEB_MULTIARCH x86_64-linux-gnu)
else()
  message(WARNING "packaging: unknown processor ${CMAKE_SYSTEM_PROCESSOR}; CPack picks the build machine's arch")
endif()

# Installed directories are 0755 whatever the umask (lintian: non-standard-dir-perm).
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
# `cpack` / `make install` must not rebuild every test suite: scripts/package builds just the two programs.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(_rw OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
set(_rx OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# ---- generated documentation files (copyright, changelog.Debian.gz) ----------------------------------------------
string(TIMESTAMP _deb_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
foreach(pkg batchivo-station batchivo-central)
  set(BATCHIVO_DEB_PACKAGE ${pkg})
  configure_file(${BATCHIVO_PKG_DIR}/changelog.Debian.in ${BATCHIVO_PKG_GEN}/${pkg}/changelog.Debian @ONLY)
  # gzip -n: no name/timestamp in the header, so the package is reproducible (lintian checks the -9 and -n).
  execute_process(COMMAND gzip -n -9 -f -k ${BATCHIVO_PKG_GEN}/${pkg}/changelog.Debian)
endforeach()

# ---- batchivo-station ---------------------------------------------------------------------------------------------
if(TARGET batchivo-station)
  install(TARGETS batchivo-station RUNTIME DESTINATION bin COMPONENT station)
  # Technicians over SSH: `sudo batchivo-station-admin queue list` runs the subcommands as the kiosk's user.
  install(PROGRAMS ${BATCHIVO_PKG_DIR}/batchivo-station-admin DESTINATION sbin COMPONENT station)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/data DESTINATION share/batchivo-station COMPONENT station
    FILE_PERMISSIONS ${_rw})
  # The example config stays next to the assets (the Setup screen's reference) and is the /etc conffile.
  install(FILES ${PROJECT_SOURCE_DIR}/assets/config/config.toml DESTINATION share/batchivo-station/config
    COMPONENT station PERMISSIONS ${_rw})
  install(FILES ${PROJECT_SOURCE_DIR}/assets/config/config.toml DESTINATION /etc/batchivo-station
    COMPONENT station PERMISSIONS ${_rw})
  # Fonts: Debian ships DejaVu in fonts-dejavu-core; link to it instead of a second copy
  # (lintian: duplicate-font-file). Relative, as policy wants within /usr (lintian: symlink-should-be-relative).
  foreach(font DejaVuSans.ttf DejaVuSans-Bold.ttf)
    file(MAKE_DIRECTORY ${BATCHIVO_PKG_GEN}/fonts)
    file(REMOVE ${BATCHIVO_PKG_GEN}/fonts/${font})
    file(CREATE_LINK ../../fonts/truetype/dejavu/${font} ${BATCHIVO_PKG_GEN}/fonts/${font} SYMBOLIC)
    install(FILES ${BATCHIVO_PKG_GEN}/fonts/${font} DESTINATION share/batchivo-station/fonts COMPONENT station)
  endforeach()
  # The station finds its assets in $BATCHIVO_ASSETS, else ../share/batchivo-station next to the binary
  # (station/core/paths.cpp assets_dir()), so technicians' commands over SSH need neither the variable nor a link.
  install(FILES ${PROJECT_SOURCE_DIR}/assets/icons/batchivo-station.desktop DESTINATION share/applications
    COMPONENT station PERMISSIONS ${_rw})
  install(FILES ${PROJECT_SOURCE_DIR}/assets/icons/batchivo-station.svg DESTINATION share/icons/hicolor/scalable/apps
    COMPONENT station PERMISSIONS ${_rw})
  install(FILES ${PROJECT_SOURCE_DIR}/assets/systemd/batchivo-station-kiosk.service DESTINATION lib/systemd/system
    COMPONENT station PERMISSIONS ${_rw})
  install(FILES ${PROJECT_SOURCE_DIR}/assets/systemd/batchivo-station.service DESTINATION lib/systemd/user
    COMPONENT station PERMISSIONS ${_rw})
  install(FILES ${PROJECT_SOURCE_DIR}/assets/sysusers.d/batchivo-station.conf DESTINATION lib/sysusers.d
    COMPONENT station PERMISSIONS ${_rw})
  install(FILES ${PROJECT_SOURCE_DIR}/assets/tmpfiles.d/batchivo-station.conf DESTINATION lib/tmpfiles.d
    COMPONENT station PERMISSIONS ${_rw})
  install(FILES ${PROJECT_SOURCE_DIR}/assets/udev/99-batchivo-station.rules DESTINATION lib/udev/rules.d
    RENAME 60-batchivo-station.rules COMPONENT station PERMISSIONS ${_rw})
  install(FILES ${BATCHIVO_PKG_DIR}/copyright ${BATCHIVO_PKG_GEN}/batchivo-station/changelog.Debian.gz
    DESTINATION share/doc/batchivo-station COMPONENT station PERMISSIONS ${_rw})
endif()

# ---- batchivo-central ---------------------------------------------------------------------------------------------
if(TARGET batchivo-central)
  install(TARGETS batchivo-central RUNTIME DESTINATION bin COMPONENT central)
  install(PROGRAMS ${BATCHIVO_PKG_DIR}/batchivo-central-admin ${BATCHIVO_PKG_DIR}/batchivo-central-pg-setup
    DESTINATION sbin COMPONENT central)
  install(FILES ${BATCHIVO_PKG_DIR}/central.env DESTINATION /etc/batchivo-central
    COMPONENT central PERMISSIONS ${_rw})
  install(FILES ${PROJECT_SOURCE_DIR}/assets/systemd/batchivo-central.service DESTINATION lib/systemd/system
    COMPONENT central PERMISSIONS ${_rw})
  install(FILES ${PROJECT_SOURCE_DIR}/assets/sysusers.d/batchivo-central.conf DESTINATION lib/sysusers.d
    COMPONENT central PERMISSIONS ${_rw})
  install(FILES ${BATCHIVO_PKG_DIR}/copyright ${BATCHIVO_PKG_GEN}/batchivo-central/changelog.Debian.gz
    DESTINATION share/doc/batchivo-central COMPONENT central PERMISSIONS ${_rw})
endif()

# ---- CPack --------------------------------------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "${BATCHIVO_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${BATCHIVO_DEB_MAINTAINER}")
set(CPACK_PACKAGE_VENDOR "Batchivo")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://batchivo.com/")
set(CPACK_DEBIAN_PACKAGE_RELEASE ${BATCHIVO_DEB_RELEASE})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)   # <name>_<version>-<release>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
if(BATCHIVO_DEB_ARCH)
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${BATCHIVO_DEB_ARCH})
endif()
set(CPACK_STRIP_FILES ON)                  # lintian: unstripped-binary-or-object
set(CPACK_DEB_COMPONENT_INSTALL ON)
# Descriptions: CPack indents the extended lines and turns an empty line into " ." itself.
set(CPACK_COMPONENTS_ALL station central)
set(CPACK_COMPONENTS_GROUPING IGNORE)
# dpkg-shlibdeps fills Depends from the ELF NEEDED entries; for arm64 scripts/package sets DEB_HOST_ARCH so it
# looks the libraries up in /usr/lib/aarch64-linux-gnu and in the :arm64 packages' symbols files.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_THREADS 2)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_STATION_PACKAGE_NAME batchivo-station)
set(CPACK_DEBIAN_STATION_PACKAGE_SECTION misc)
# cage + xwayland: the kiosk session (assets/systemd/batchivo-station-kiosk.service); systemd for sysusers.d and
# tmpfiles.d in postinst; fonts-dejavu-core for the fonts the UI links to.
set(CPACK_DEBIAN_STATION_PACKAGE_DEPENDS "cage, xwayland, fonts-dejavu-core, systemd, init-system-helpers (>= 1.52), udev")
set(CPACK_DEBIAN_STATION_PACKAGE_RECOMMENDS "libgl1-mesa-dri")
set(CPACK_DEBIAN_STATION_PACKAGE_SUGGESTS "batchivo-central")
set(CPACK_COMPONENT_STATION_DESCRIPTION "scan-and-weigh kiosk for 3D-print farm filament spools
Batchivo Station runs by a printer on a touch screen: an operator scans a
filament spool's label (camera or handheld scanner), puts it on a USB or
HX711 scale, and the station records how much filament was used in its own
SQLite store, then syncs it exactly once to batchivo-central.

The package boots the machine into the kiosk (cage on tty1, unit
batchivo-station-kiosk.service) as the system user batchivo, with udev rules
for HID and serial scales, IIO load cells, cameras and barcode scanners. The
same program offers diag, pair, record, queue and sync subcommands.")
set(CPACK_DEBIAN_STATION_PACKAGE_CONTROL_EXTRA
  ${BATCHIVO_PKG_DIR}/debian/batchivo-station/conffiles
  ${BATCHIVO_PKG_DIR}/debian/batchivo-station/postinst
  ${BATCHIVO_PKG_DIR}/debian/batchivo-station/prerm
  ${BATCHIVO_PKG_DIR}/debian/batchivo-station/postrm)

set(CPACK_DEBIAN_CENTRAL_PACKAGE_NAME batchivo-central)
set(CPACK_DEBIAN_CENTRAL_PACKAGE_SECTION net)
set(CPACK_DEBIAN_CENTRAL_PACKAGE_DEPENDS "systemd, init-system-helpers (>= 1.52)")
set(CPACK_DEBIAN_CENTRAL_PACKAGE_SUGGESTS "postgresql (>= 15)")
set(CPACK_COMPONENT_CENTRAL_DESCRIPTION "tenant-scoped filament inventory server for Batchivo stations
batchivo-central is the server Batchivo Station kiosks sync with: the Batchivo
inventory schema on PostgreSQL 15 with forced row-level security, or on
SQLite, the station API over HTTPS with a generated local CA, and an admin
command line (tenants, devices and pairing codes, spools).

The package installs the batchivo-central.service system unit, which serves
on SQLite in /var/lib/batchivo-central right after installation; settings
are in /etc/batchivo-central/central.env. batchivo-central-pg-setup moves it
to PostgreSQL (owner and application roles, migrations).")
set(CPACK_DEBIAN_CENTRAL_PACKAGE_CONTROL_EXTRA
  ${BATCHIVO_PKG_DIR}/debian/batchivo-central/conffiles
  ${BATCHIVO_PKG_DIR}/debian/batchivo-central/postinst
  ${BATCHIVO_PKG_DIR}/debian/batchivo-central/prerm
  ${BATCHIVO_PKG_DIR}/debian/batchivo-central/postrm)

include(CPack)
