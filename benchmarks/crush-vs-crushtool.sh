#!/bin/bash
# Side by side, whole-process time (JVM start included) of
#   crushtool -i MAP --test --num-rep 3 --min-x 0 --max-x 9999999 --show-statistics
# and the same arguments through jceph's crushtool command, on the same map, checking that both
# print the same thing. Usage: benchmarks/crush-vs-crushtool.sh [MAP] [RUNS]
# MAP defaults to the 3-level straw2 64-OSD map captured by fixtures/capture/capture-crush.sh.
# JCEPH_CRUSHTOOL overrides how ours is run (later: "bin/jceph crushtool").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
map=${1:-$root/fixtures/src/main/resources/fixtures/crush/straw2-64.bin}
runs=${2:-3}
command -v crushtool >/dev/null || { echo "crushtool missing: apt-get install -y ceph-common" >&2; exit 1; }
if [ -z "${JCEPH_CRUSHTOOL:-}" ]; then
  cli=$(ls "$root"/cli/target/jceph-cli-*.jar 2>/dev/null | head -1 || true)
  [ -n "$cli" ] || { echo "build first: mvn -B -q -pl cli -am install -DskipTests" >&2; exit 1; }
  JCEPH_CRUSHTOOL="java -cp $cli:$root/cli/target/lib/* org.jceph.cli.crushtool.CrushTool"
fi
args=(-i "$map" --test --num-rep 3 --min-x 0 --max-x 9999999 --show-statistics)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
timeit() { # timeit OUT CMD... -> prints "wall user sys" seconds
  local out=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$@" > "$out" 2>/dev/null || { echo "failed: $*" >&2; exit 1; }
  tail -1 "$tmp/t"
}
echo "map: $map"
echo "cpus: $(nproc), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-4s %-10s %8s %8s %8s\n" run tool wall user sys
best_c=999999; best_j=999999
for i in $(seq 1 "$runs"); do
  read -r w u s < <(timeit "$tmp/c.txt" crushtool "${args[@]}")
  printf "%-4s %-10s %8s %8s %8s\n" "$i" crushtool "$w" "$u" "$s"
  best_c=$(echo "$w $best_c" | awk '{print ($1<$2)?$1:$2}')
  set -f # split the command into words, but let java expand its own classpath wildcards
  # shellcheck disable=SC2086
  read -r w u s < <(timeit "$tmp/j.txt" $JCEPH_CRUSHTOOL "${args[@]}")
  set +f
  printf "%-4s %-10s %8s %8s %8s\n" "$i" jceph "$w" "$u" "$s"
  best_j=$(echo "$w $best_j" | awk '{print ($1<$2)?$1:$2}')
  cmp -s "$tmp/c.txt" "$tmp/j.txt" || { echo "OUTPUTS DIFFER" >&2; diff "$tmp/c.txt" "$tmp/j.txt" >&2; exit 1; }
done
echo "best wall: crushtool ${best_c}s, jceph ${best_j}s, ratio jceph/crushtool $(echo "$best_j $best_c" | awk '{printf "%.2f", $1/$2}')"
echo "outputs identical"
