#!/usr/bin/env bash
# The kiosk's end-to-end scenario against one kind of server, in the current (Xvfb) display:
#   target_scenario.sh STATION CHECKER FAKE_SERVER KIND SCENARIO OUTDIR [FILE...]
# KIND central: the demo's own batchivo-central (started by --demo). KIND spoolman|batchivo: FAKE_SERVER (the
# contract-test fake as a process) is started first; @URL@ in the scenario becomes its address, the scenario
# connects to it from Setup > Server, and after the run the fake must report at least one write it received.
set -euo pipefail
station=$1 checker=$2 fake=$3 kind=$4 scenario=$5 out=$6
shift 6
rm -rf "$out"
mkdir -p "$out"
url=""
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; }
trap cleanup EXIT
if [ "$kind" != central ]; then
  "$fake" "$kind" "$out/url" >"$out/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do [ -s "$out/url" ] && break; sleep 0.1; done
  [ -s "$out/url" ] || { echo "the fake $kind server did not start" >&2; exit 1; }
  url=$(cat "$out/url")
fi
sed "s|@URL@|$url|g" "$scenario" >"$out/scenario.txt"
for f in "$@"; do cp "$f" "$out/"; done
"$station" --demo --windowed --size 800x480 --scenario "$out/scenario.txt"
if [ -n "$pid" ]; then
  kill -TERM "$pid"
  wait "$pid" || true
  pid=""
  cat "$out/server.log"
  grep -Eq '^writes=[1-9]' "$out/server.log" || { echo "the record never reached the $kind server" >&2; exit 1; }
fi
shopt -s nullglob
shots=("$out"/*.png)
[ ${#shots[@]} -gt 0 ] || { echo "no screenshots in $out" >&2; exit 1; }
checks=()
for s in "${shots[@]}"; do
  skip=0
  for f in "$@"; do [ "$(basename "$f")" = "$(basename "$s")" ] && skip=1; done
  [ $skip -eq 1 ] || checks+=("$s")
done
"$checker" 800x480 "${checks[@]}"
