#!/usr/bin/env bash
# A 10,000-OSD map with 1,280,000 PGs built by the Ceph tools, then: our decode time, retained
# heap and time to map every PG, and osdmaptool --test-map-pgs against jceph osdmaptool
# --test-map-pgs on the same map (whole processes, JVM start included), in one run.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
W=$(mktemp -d /tmp/jceph-osdscale.XXXXXX)
trap 'rm -rf "$W"' EXIT
osdmaptool --createsimple 10000 --with-default-pool --pg_bits 7 "$W/map" >/dev/null 2>&1
crushtool --build --num_osds 10000 host straw2 20 rack straw2 10 root straw2 0 -o "$W/crush" >/dev/null
osdmaptool "$W/map" --import-crush "$W/crush" >/dev/null 2>&1
(cd "$ROOT" && mvn -B -q -DskipTests package -pl benchmarks,cli -am) >&2
java -Xmx4g -cp "$ROOT/benchmarks/target/jceph-benchmarks-0.1.0-SNAPSHOT.jar:$ROOT/benchmarks/target/lib/*" \
  org.jceph.benchmarks.osdmap.OsdMapScale "$W/map"
t() { local a b; a=$(date +%s.%N); "${@:2}" > "$W/$1.out" 2>&1; b=$(date +%s.%N); awk -v l="$1" -v a="$a" -v b="$b" 'BEGIN{printf "%-30s %6.2f s\n", l, b-a}'; }
t osdmaptool osdmaptool "$W/map" --mark-up-in --test-map-pgs
t jceph-osdmaptool java -XX:+UseSerialGC -cp "$ROOT/cli/target/jceph-cli-0.1.0-SNAPSHOT.jar:$ROOT/cli/target/lib/*" org.jceph.cli.Main osdmaptool "$W/map" --mark-up-in --test-map-pgs
if cmp -s "$W/osdmaptool.out" "$W/jceph-osdmaptool.out"; then echo "outputs identical"; else echo "outputs DIFFER"; diff "$W/osdmaptool.out" "$W/jceph-osdmaptool.out" | head; fi
