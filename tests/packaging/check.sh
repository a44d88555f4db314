#!/usr/bin/env bash
# Checks of the Debian packages (run by ctest, tests/packaging/CMakeLists.txt, and by scripts/test for arm64):
#   check.sh build   BUILD_DIR OUT_DIR           cpack the two packages from an already built tree into OUT_DIR
#   check.sh units   SRC_DIR                     systemd-analyze verify on every unit (in a scratch root)
#   check.sh lintian DEB...                      lintian: no errors (warnings are printed, overrides justified)
#   check.sh contents DEB_DIR                    files, modes, owners, conffiles, maintainer scripts, Depends
#   check.sh users   DEB_DIR                     sysusers.d + tmpfiles.d applied to a scratch root
#   check.sh health  DEB_DIR                     central from the package, started like its unit, answers /health
#   check.sh tech    DEB_DIR                     batchivo-station-admin (technicians over SSH) while the store is in use
set -euo pipefail
cmd=$1; shift
fail() { echo "FAIL: $*" >&2; exit 1; }
scratch=$(mktemp -d /tmp/batchivo-pkgtest.XXXXXX)
child=
cleanup() {
  if [ -n "$child" ]; then kill "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

deb_of() {  # deb_of DIR NAME -> the newest NAME_*.deb in DIR for this machine's architecture
  local f
  f=$(ls -t "$1"/"$2"_*_"${BATCHIVO_DEB_ARCH:-$(dpkg --print-architecture)}".deb 2>/dev/null | head -1)
  [ -n "$f" ] || fail "no $2 package in $1"
  echo "$f"
}

case "$cmd" in
build)
  build=$1 out=$2
  rm -rf "$out"; mkdir -p "$out"
  (cd "$build" && cpack -G DEB -B "$out/_cpack" >"$out/cpack.log" 2>&1) || { cat "$out/cpack.log"; fail "cpack"; }
  mv "$out"/_cpack/*.deb "$out/"
  ls -l "$out"/*.deb
  ;;

units)
  src=$1
  # verify resolves ExecStart= binaries and users' units inside --root: give it a root with the programs the units
  # run (the real cage, stand-ins for our two binaries, which need not be built for this check).
  root=$scratch/root
  mkdir -p "$root/usr/bin" "$root/etc/systemd/system" "$root/usr/lib/systemd/system" "$root/usr/lib/systemd/user"
  for b in batchivo-station batchivo-central; do printf '#!/bin/sh\n' > "$root/usr/bin/$b"; chmod 755 "$root/usr/bin/$b"; done
  cp /usr/bin/cage "$root/usr/bin/cage" 2>/dev/null || { printf '#!/bin/sh\n' > "$root/usr/bin/cage"; chmod 755 "$root/usr/bin/cage"; }
  cp /usr/bin/kill "$root/usr/bin/kill"  # batchivo-central.service's ExecReload (SIGHUP reloads the certificate)
  ln -sf usr/bin "$root/bin"
  # The machine's own units (sysinit.target, getty@.service, ...) that ours refer to.
  cp -a /usr/lib/systemd/system/. "$root/usr/lib/systemd/system/" 2>/dev/null || cp -a /lib/systemd/system/. "$root/usr/lib/systemd/system/"
  cp -a /usr/lib/systemd/user/. "$root/usr/lib/systemd/user/" 2>/dev/null || true
  rc=0
  for u in batchivo-station-kiosk.service batchivo-central.service; do
    cp "$src/assets/systemd/$u" "$root/usr/lib/systemd/system/$u"
    out=$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no --root="$root" "$root/usr/lib/systemd/system/$u" 2>&1) || rc=1
    # verify also complains about other units of the machine (e.g. a missing getty@.service in the scratch root);
    # only lines about our unit count.
    ours=$(printf '%s\n' "$out" | grep -F "$u" || true)
    if [ -n "$ours" ]; then echo "$ours"; rc=1; fi
    [ -n "$ours" ] || echo "ok: $u"
  done
  cp "$src/assets/systemd/batchivo-station.service" "$root/usr/lib/systemd/user/"
  out=$(systemd-analyze verify --user --man=no --root="$root" "$root/usr/lib/systemd/user/batchivo-station.service" 2>&1 || true)
  ours=$(printf '%s\n' "$out" | grep -F "batchivo-station.service" || true)
  if [ -n "$ours" ]; then echo "$ours"; rc=1; else echo "ok: batchivo-station.service (user unit)"; fi
  # The settings the issue asks for, so a later edit cannot drop them unnoticed.
  k=$src/assets/systemd/batchivo-station-kiosk.service
  for want in '^Type=notify$' '^NotifyAccess=all$' '^WatchdogSec=[0-9]' '^Restart=always$' '^User=batchivo$' \
      '^Conflicts=getty@tty1.service$' '^PAMName=login$' '^TTYPath=/dev/tty1$' '^ExecStart=/usr/bin/cage -d -s -- /usr/bin/batchivo-station --data-dir /var/lib/batchivo-station$'; do
    grep -Eq "$want" "$k" || { echo "kiosk unit lacks $want"; rc=1; }
  done
  c=$src/assets/systemd/batchivo-central.service
  for want in '^User=batchivo-central$' '^StateDirectory=batchivo-central$' '^NoNewPrivileges=yes$' '^ProtectSystem=strict$' \
      '^ProtectHome=yes$' '^PrivateTmp=yes$' '^CapabilityBoundingSet=$' '^EnvironmentFile=/etc/batchivo-central/central.env$' \
      '^Type=notify$' '^NotifyAccess=main$' '^WatchdogSec=[0-9]'; do
    grep -Eq "$want" "$c" || { echo "central unit lacks $want"; rc=1; }
  done
  exit $rc
  ;;

lintian)
  rc=0
  for d in "$@"; do
    out=$(lintian --tag-display-limit 0 --fail-on error "$d" 2>&1) || rc=1
    printf '%s\n' "$out" | sed "s|^|$(basename "$d"): |"
    if printf '%s\n' "$out" | grep -q '^E: '; then rc=1; fi
  done
  [ $rc = 0 ] && echo "lintian: no errors in $# package(s)"
  exit $rc
  ;;

contents)
  dir=$1
  st=$(deb_of "$dir" batchivo-station) ce=$(deb_of "$dir" batchivo-central)
  arch=${BATCHIVO_DEB_ARCH:-$(dpkg --print-architecture)}
  listing() { dpkg-deb -c "$1" | awk '{ printf "%s %s %s%s\n", $1, $2, $6, ($7 == "->" ? " -> " $8 : "") }'; }
  expect() {  # expect DEB "MODE OWNER PATH"
    listing "$1" | grep -qxF -- "$2" || { listing "$1" >&2; fail "$(basename "$1") lacks: $2"; }
  }
  for f in "$st" "$ce"; do
    [ "$(dpkg-deb -f "$f" Architecture)" = "$arch" ] || fail "$f: Architecture"
    [ "$(dpkg-deb -f "$f" Version)" = "$(dpkg-deb -f "$f" Version | grep -E '^[0-9]+\.[0-9]+\.[0-9]+-[0-9]+$')" ] || fail "$f: Version"
    dpkg-deb -c "$f" | awk '{print $2}' | grep -vqx 'root/root' && fail "$f: a file not owned by root"
    dpkg-deb -c "$f" | awk '{print $6}' | grep -E '^\./(usr/local|var|home|tmp|opt)/' && fail "$f: files in a forbidden place"
    dpkg-deb -c "$f" | awk '$1 ~ /^d/ && $1 != "drwxr-xr-x" {print; bad=1} END {exit bad}' || fail "$f: directory modes"
  done
  [ "$(dpkg-deb -f "$st" Package)" = batchivo-station ] || fail "station: Package"
  [ "$(dpkg-deb -f "$ce" Package)" = batchivo-central ] || fail "central: Package"
  sdep=$(dpkg-deb -f "$st" Depends) cdep=$(dpkg-deb -f "$ce" Depends)
  for d in libc6 'libstdc\+\+6' libglfw3 libsqlite3-0 libcurl4 'libzxing[0-9]' libjpeg cage xwayland fonts-dejavu-core systemd; do
    printf '%s' "$sdep" | grep -Eq "(^|, )$d" || fail "station Depends lacks $d: $sdep"
  done
  for d in libc6 'libstdc\+\+6' libpq5 libsqlite3-0 libssl3 systemd; do
    printf '%s' "$cdep" | grep -Eq "(^|, )$d" || fail "central Depends lacks $d: $cdep"
  done
  printf '%s' "$cdep" | grep -Eq 'libglfw|libgl1|cage' && fail "central must not depend on the UI: $cdep"
  echo "station Depends: $sdep"
  echo "central Depends: $cdep"

  expect "$st" "-rwxr-xr-x root/root ./usr/bin/batchivo-station"
  expect "$st" "-rwxr-xr-x root/root ./usr/sbin/batchivo-station-admin"
  expect "$st" "-rw-r--r-- root/root ./etc/batchivo-station/config.toml"
  expect "$st" "-rw-r--r-- root/root ./usr/lib/systemd/system/batchivo-station-kiosk.service"
  expect "$st" "-rw-r--r-- root/root ./usr/lib/systemd/user/batchivo-station.service"
  expect "$st" "-rw-r--r-- root/root ./usr/lib/sysusers.d/batchivo-station.conf"
  expect "$st" "-rw-r--r-- root/root ./usr/lib/tmpfiles.d/batchivo-station.conf"
  expect "$st" "-rw-r--r-- root/root ./usr/lib/udev/rules.d/60-batchivo-station.rules"
  expect "$st" "-rw-r--r-- root/root ./usr/share/batchivo-station/data/spool_tares.csv"
  expect "$st" "-rw-r--r-- root/root ./usr/share/batchivo-station/data/materials.json"
  expect "$st" "-rw-r--r-- root/root ./usr/share/batchivo-station/config/config.toml"
  expect "$st" "lrwxrwxrwx root/root ./usr/share/batchivo-station/fonts/DejaVuSans.ttf -> ../../fonts/truetype/dejavu/DejaVuSans.ttf"
  expect "$st" "lrwxrwxrwx root/root ./usr/share/batchivo-station/fonts/DejaVuSans-Bold.ttf -> ../../fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
  # No compat link: assets_dir() finds ../share/batchivo-station from /usr/bin itself.
  dpkg-deb -c "$st" | awk '{print $6}' | grep -qx './usr/share/batchivo' && fail "station: stale /usr/share/batchivo link"
  expect "$st" "-rw-r--r-- root/root ./usr/share/applications/batchivo-station.desktop"
  expect "$st" "-rw-r--r-- root/root ./usr/share/icons/hicolor/scalable/apps/batchivo-station.svg"
  expect "$st" "-rw-r--r-- root/root ./usr/share/doc/batchivo-station/copyright"
  expect "$st" "-rw-r--r-- root/root ./usr/share/doc/batchivo-station/changelog.Debian.gz"
  expect "$ce" "-rwxr-xr-x root/root ./usr/bin/batchivo-central"
  expect "$ce" "-rwxr-xr-x root/root ./usr/sbin/batchivo-central-admin"
  expect "$ce" "-rwxr-xr-x root/root ./usr/sbin/batchivo-central-pg-setup"
  expect "$ce" "-rw-r--r-- root/root ./etc/batchivo-central/central.env"
  expect "$ce" "-rw-r--r-- root/root ./usr/lib/systemd/system/batchivo-central.service"
  expect "$ce" "-rw-r--r-- root/root ./usr/lib/sysusers.d/batchivo-central.conf"
  expect "$ce" "-rw-r--r-- root/root ./usr/share/doc/batchivo-central/copyright"
  dpkg-deb -c "$ce" | grep -q 'batchivo-station' && fail "central ships station files"

  # Control area: conffiles are exactly the files under /etc; maintainer scripts are 0755 and valid sh.
  for f in "$st" "$ce"; do
    p=$(dpkg-deb -f "$f" Package)
    c=$scratch/control-$p
    dpkg-deb -e "$f" "$c"
    want=$(dpkg-deb -c "$f" | awk '$1 !~ /^d/ {print $6}' | grep '^\./etc/' | sed 's|^\.||' | sort)
    have=$(sort "$c/conffiles")
    [ "$want" = "$have" ] || fail "$p conffiles: have [$have], files in /etc [$want]"
    [ "$(stat -c %a "$c/conffiles")" = 644 ] || fail "$p conffiles mode"
    for s in postinst prerm postrm; do
      [ -f "$c/$s" ] || fail "$p: no $s"
      [ "$(stat -c %a "$c/$s")" = 755 ] || fail "$p: $s mode $(stat -c %a "$c/$s")"
      head -1 "$c/$s" | grep -qx '#!/bin/sh' || fail "$p: $s interpreter"
      sh -n "$c/$s" || fail "$p: $s syntax"
      grep -q '^set -e' "$c/$s" || fail "$p: $s lacks set -e"
    done
    grep -q "systemd-sysusers /usr/lib/sysusers.d/$p.conf" "$c/postinst" || fail "$p postinst: sysusers"
    grep -q "deb-systemd-helper enable" "$c/postinst" || fail "$p postinst: enable"
    [ -f "$c/md5sums" ] || fail "$p: no md5sums"
  done
  grep -q 'systemd-tmpfiles --create /usr/lib/tmpfiles.d/batchivo-station.conf' "$scratch/control-batchivo-station/postinst" \
    || fail "station postinst: tmpfiles"
  grep -q 'deb-systemd-invoke start' "$scratch/control-batchivo-central/postinst" || fail "central postinst: start"
  grep -q 'deb-systemd-invoke start' "$scratch/control-batchivo-station/postinst" && fail "station postinst must not start the kiosk on install"

  # Stripped binaries (lintian's unstripped-binary-or-object), and for the right machine.
  dpkg-deb -x "$st" "$scratch/x"; dpkg-deb -x "$ce" "$scratch/x"
  for b in "$scratch/x/usr/bin/batchivo-station" "$scratch/x/usr/bin/batchivo-central"; do
    readelf -S "$b" | grep -q '\.debug_info' && fail "$b not stripped"
    m=$(readelf -h "$b" | awk -F: '/Machine/ {gsub(/^ +/, "", $2); print $2}')
    case "$arch:$m" in amd64:*X86-64*|arm64:*AArch64*) ;; *) fail "$b is for $m, not $arch" ;; esac
  done
  echo "ok: contents of $(basename "$st") and $(basename "$ce")"
  ;;

users)
  dir=$1
  root=$scratch/root
  mkdir -p "$root/etc" "$root/var/lib"
  # A minimal fresh system: root and the usual Debian groups some of which already exist.
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
  printf 'root:x:0:\ndialout:x:20:\nvideo:x:44:\nplugdev:x:46:\n' > "$root/etc/group"
  : > "$root/etc/shadow"; : > "$root/etc/gshadow"
  dpkg-deb -x "$(deb_of "$dir" batchivo-station)" "$root"
  dpkg-deb -x "$(deb_of "$dir" batchivo-central)" "$root"
  systemd-sysusers --root="$root" "$root/usr/lib/sysusers.d/batchivo-station.conf" "$root/usr/lib/sysusers.d/batchivo-central.conf"
  systemd-tmpfiles --root="$root" --create "$root/usr/lib/tmpfiles.d/batchivo-station.conf"
  grep -E '^batchivo:x:[0-9]+:[0-9]+:[^:]*:/var/lib/batchivo-station:/usr/sbin/nologin$' "$root/etc/passwd" || fail "user batchivo"
  grep -E '^batchivo-central:x:[0-9]+:[0-9]+:[^:]*:/var/lib/batchivo-central:/usr/sbin/nologin$' "$root/etc/passwd" || fail "user batchivo-central"
  uid=$(awk -F: '$1 == "batchivo" {print $3}' "$root/etc/passwd")
  [ "$uid" -lt 1000 ] || fail "batchivo is not a system user (uid $uid)"
  for g in dialout video input render plugdev; do
    grep -E "^$g:x:[0-9]+:(.*,)?batchivo(,.*)?$" "$root/etc/group" >/dev/null || fail "batchivo not in group $g"
  done
  [ "$(stat -c '%u %a' "$root/var/lib/batchivo-station")" = "$uid 700" ] || fail "/var/lib/batchivo-station: $(stat -c '%u %a' "$root/var/lib/batchivo-station")"
  # The udev rules name groups that exist after sysusers (udev would otherwise warn and fall back to root).
  for g in $(grep -o 'GROUP="[^"]*"' "$root/usr/lib/udev/rules.d/60-batchivo-station.rules" | sort -u | cut -d'"' -f2); do
    grep -q "^$g:" "$root/etc/group" || fail "udev rules use group $g that nothing creates"
  done
  echo "ok: sysusers.d and tmpfiles.d (batchivo uid $uid, /var/lib/batchivo-station 0700)"
  ;;

health)
  dir=$1
  root=$scratch/root
  mkdir -p "$root"
  dpkg-deb -x "$(deb_of "$dir" batchivo-central)" "$root"
  # Start it the way batchivo-central.service does: its ExecStart= with central.env's settings, but with the
  # state directory and the address moved into the scratch area (127.0.0.1, a port the kernel picks).
  set -a; . "$root/etc/batchivo-central/central.env"; set +a
  BATCHIVO_CENTRAL_HOME=$scratch/state BATCHIVO_CENTRAL_LISTEN=127.0.0.1:0
  mkdir -m 0750 "$scratch/state"
  exec_line=$(sed -n 's/^ExecStart=//p' "$root/usr/lib/systemd/system/batchivo-central.service")
  exec_line=${exec_line//\/usr\/bin\//$root/usr/bin/}
  eval "set -- $exec_line"
  echo "starting: $*"
  "$@" 2>"$scratch/stderr" &
  child=$!
  url=
  for _ in $(seq 1 100); do
    url=$(sed -n 's/^batchivo-central: serving sqlite on \(https:\/\/[^ ]*\)$/\1/p' "$scratch/stderr")
    [ -n "$url" ] && break
    kill -0 "$child" 2>/dev/null || { cat "$scratch/stderr"; fail "central exited"; }
    sleep 0.2
  done
  [ -n "$url" ] || { cat "$scratch/stderr"; fail "central did not start"; }
  body=$(curl -sS --max-time 10 --cacert "$scratch/state/tls/ca.pem" "$url/api/station/v1/health")
  echo "GET $url/api/station/v1/health -> $body"
  printf '%s' "$body" | grep -q '"status":"ok"' || fail "health"
  [ -f "$scratch/state/central.db" ] || fail "no SQLite database in the state directory"
  [ "$(stat -c %a "$scratch/state/tls/server.key")" = 600 ] || fail "server.key mode"
  kill -TERM "$child"; wait "$child" || fail "central did not exit cleanly on SIGTERM"
  child=
  echo "ok: packaged batchivo-central serves /health on SQLite"
  ;;
tech)
  # A technician's commands through the packaged wrapper while the kiosk has the store open. The kiosk's user is
  # played by `nobody` (the real `batchivo` does not exist on the build machine), its data dir is made like
  # tmpfiles.d makes /var/lib/batchivo-station (0700, owned by the user); needs root (setpriv), like sudo.
  [ "$(id -u)" = 0 ] || { echo "skipped: needs root (the wrapper switches users with setpriv, like sudo)"; exit 77; }
  dir=$1
  id -u nobody >/dev/null || fail "no user nobody"
  root=$scratch/root
  chmod 0755 "$scratch"
  mkdir -p "$root"
  dpkg-deb -x "$(deb_of "$dir" batchivo-station)" "$root"
  data=$scratch/data
  install -d -m 0700 -o nobody -g "$(id -g nobody)" "$data"
  admin() { BATCHIVO_STATION_USER=nobody BATCHIVO_STATION_DATA_DIR=$data BATCHIVO_STATION_BIN=$root/usr/bin/batchivo-station \
    BATCHIVO_STATION_CONFIG=$root/etc/batchivo-station/config.toml "$root/usr/sbin/batchivo-station-admin" "$@"; }
  out=$(admin status 2>&1) || true
  printf '%s\n' "$out" | sed 's/^/status: /'
  [ -f "$data/station.db" ] || fail "status did not create the store in the data dir"
  # "The kiosk": a process of the kiosk's user holding the store open (WAL) for the rest of the test.
  setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups /usr/bin/python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA journal_mode=WAL")
c.execute("SELECT count(*) FROM sqlite_master").fetchall()
print("open", flush=True)
time.sleep(60)' "$data/station.db" > "$scratch/holder.out" &
  child=$!
  for _ in $(seq 1 100); do grep -q open "$scratch/holder.out" 2>/dev/null && break; sleep 0.1; done
  grep -q open "$scratch/holder.out" || fail "the stand-in kiosk did not open the store"
  out=$(admin queue list 2>&1) || { echo "$out"; fail "queue list through the wrapper"; }
  echo "queue list: $out"
  out=$(admin sync --once 2>&1) && fail "sync --once on an unpaired station succeeded: $out"
  printf '%s' "$out" | grep -qi 'pair' || fail "sync --once on an unpaired station: unclear message: $out"
  echo "sync --once (unpaired): $out"
  # Every file the commands created belongs to the kiosk's user (a root-owned -wal/-shm would lock the kiosk out).
  bad=$(find "$data" ! -user nobody -printf '%u %p\n')
  [ -z "$bad" ] || fail "files in the data dir not owned by the kiosk's user: $bad"
  [ "$(stat -c %a "$data")" = 700 ] || fail "data dir mode changed: $(stat -c %a "$data")"
  # Without sudo: a clear refusal, nothing touched.
  before=$(ls -l --time-style=+%s.%N "$data")
  if out=$(setpriv --reuid=65533 --regid=65533 --clear-groups env BATCHIVO_STATION_USER=nobody \
      BATCHIVO_STATION_DATA_DIR="$data" "$root/usr/sbin/batchivo-station-admin" queue list 2>&1); then
    fail "the wrapper ran for a user that is neither root nor the kiosk's user"
  fi
  printf '%s' "$out" | grep -q 'run it with sudo' || fail "refusal message: $out"
  [ "$before" = "$(ls -l --time-style=+%s.%N "$data")" ] || fail "a refused call changed the data dir"
  echo "refused without sudo: $out"
  kill "$child"; wait "$child" 2>/dev/null || true; child=
  echo "ok: batchivo-station-admin runs the subcommands as the kiosk's user while the store is open"
  ;;
*) fail "unknown command $cmd" ;;
esac
