#!/usr/bin/env bash
# osdmaptool --test-map-pgs against jceph osdmaptool on the same map, whole processes (JVM start
# included), interleaved so both see the same machine load:
#
#   benchmarks/osdmap-test-map-pgs.sh [RUNS] [OPTION] [MAP]
#
# OPTION is --test-map-pgs (default), --test-map-pgs-dump or --test-map-pgs-dump-all; both tools
# also get --mark-up-in. Without MAP, the 10,000-OSD, 1,280,000-PG map of osdmap-scale.sh is built
# with the Ceph tools. JCEPH_OSDMAPTOOL overrides the jceph command (default bin/jceph osdmaptool).
# Prints each run's wall and user CPU seconds, the medians, and whether the outputs are identical.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${1:-3}
OPT=${2:---test-map-pgs}
W=$(mktemp -d /tmp/jceph-testmappgs.XXXXXX)
trap 'rm -rf "$W"' EXIT
MAP=${3:-}
if [ -z "$MAP" ]; then
  MAP=$W/map
  osdmaptool --createsimple 10000 --with-default-pool --pg_bits 7 "$MAP" >/dev/null 2>&1
  crushtool --build --num_osds 10000 host straw2 20 rack straw2 10 root straw2 0 -o "$W/crush" >/dev/null
  osdmaptool "$MAP" --import-crush "$W/crush" >/dev/null 2>&1
fi
read -r -a JCEPH <<<"${JCEPH_OSDMAPTOOL:-$ROOT/bin/jceph osdmaptool}"
"${JCEPH[@]}" "$MAP" --print >/dev/null 2>&1 # builds if needed, records the CDS archive
run() { # NAME CMD...: appends "wall user" to NAME.t
  local n=$1; shift
  /usr/bin/time -f '%e %U' -o "$W/$n.one" "$@" >"$W/$n.out" 2>"$W/$n.err"
  cat "$W/$n.one" >>"$W/$n.t"
}
for ((r = 1; r <= RUNS; r++)); do
  run osdmaptool osdmaptool "$MAP" --mark-up-in "$OPT"
  run jceph "${JCEPH[@]}" "$MAP" --mark-up-in "$OPT"
  echo "run $r: osdmaptool $(tail -1 "$W/osdmaptool.t")  jceph $(tail -1 "$W/jceph.t")  (wall s, user s)"
done
med() { sort -n | awk '{v[NR]=$1} END {print NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ow=$(cut -d' ' -f1 "$W/osdmaptool.t" | med); jw=$(cut -d' ' -f1 "$W/jceph.t" | med)
ou=$(cut -d' ' -f2 "$W/osdmaptool.t" | med); ju=$(cut -d' ' -f2 "$W/jceph.t" | med)
echo "median wall: osdmaptool $ow s, jceph $jw s, ratio $(awk -v a="$jw" -v b="$ow" 'BEGIN{printf "%.2f", a/b}')"
echo "median user: osdmaptool $ou s, jceph $ju s"
if cmp -s "$W/osdmaptool.out" "$W/jceph.out"; then echo "outputs identical ($(wc -c <"$W/jceph.out") bytes)"; else
  echo "outputs DIFFER"; diff "$W/osdmaptool.out" "$W/jceph.out" | head; exit 1; fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
