#!/usr/bin/env bash
# Runs one kiosk scenario in demo mode inside the current (Xvfb) display, then checks every screenshot.
#   ui_test.sh STATION CHECKER WxH SCENARIO OUTDIR [FILE...]   (FILEs are copied next to the scenario)
set -euo pipefail
station=$1 checker=$2 size=$3 scenario=$4 out=$5
shift 5
rm -rf "$out"
mkdir -p "$out"
cp "$scenario" "$out/scenario.txt"
for f in "$@"; do cp "$f" "$out/"; done
"$station" --demo --windowed --size "$size" --scenario "$out/scenario.txt"
shopt -s nullglob
shots=("$out"/*.png)
[ ${#shots[@]} -gt 0 ] || { echo "no screenshots in $out" >&2; exit 1; }
# the copied input images are not screenshots
checks=()
for s in "${shots[@]}"; do
  skip=0
  for f in "$@"; do [ "$(basename "$f")" = "$(basename "$s")" ] && skip=1; done
  [ $skip -eq 1 ] || checks+=("$s")
done
"$checker" "$size" "${checks[@]}"
