#!/usr/bin/env bash
# A/B of jceph builds on 4 KiB NBD reads, all on ONE cluster and one image, the variants
# alternated within each round (whole runs of nbd-vs-librbd.sh start fresh clusters and drift
# with the machine's load: too noisy to compare builds).
#   benchmarks/nbd-read-ab.sh ROUNDS WARM OPS 'NAME|BUILD_ROOT|JAVA OPTS[|JAVA]' ...
# BUILD_ROOT is a source tree where `mvn -q -o package -DskipTests -pl cli -am` has run (e.g. a
# `git worktree add --detach` of another commit); JAVA OPTS may be empty; JAVA is the java binary
# (default: java on PATH). Per variant and round:
# a fresh `jceph nbd serve` JVM, WARM untimed reads, then OPS timed reads with nbd-vs-librbd.sh's
# `qemu-img bench -d 16 -s 4096 -S 4 MiB+4 KiB`; prints ops/s and the server's CPU per read.
# PRE=N first reads the whole image N times with `qemu-img convert` into null-co (as the harness's
# seq-read cell does before its 4 KiB cells). JCEPH_RELEASE picks the cluster (default pacific).
# Example (session 16): benchmarks/nbd-read-ab.sh 3 32768 131072 "old|/work/wt/s12|" "new|$PWD|"
set -euo pipefail
ROUNDS=$1 WARM=$2 OPS=$3; shift 3
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
W=$(mktemp -d /tmp/jceph-nbd-ab.XXXXXX)
trap '"$ROOT/bin/jceph-cluster" stop "$W/c" >/dev/null 2>&1 || true; rm -rf "$W"' EXIT
JCEPH_OSD_BYTES=$((6 << 30)) "$ROOT/bin/jceph-cluster" start "$W/c" --release "${JCEPH_RELEASE:-pacific}" >/dev/null
CONF=$W/c/ceph.conf
RBD=("$ROOT/bin/jceph-cluster" tool "$W/c" -- rbd)
"${RBD[@]}" -c "$CONF" create --size 512M --image-feature layering jceph-test/img
"${RBD[@]}" -c "$CONF" bench --io-type write --io-size 4M --io-threads 4 --io-total 512M --io-pattern seq \
  jceph-test/img >/dev/null
STEP=$(((4 << 20) + 4096)); TICK=$(getconf CLK_TCK)
for r in $(seq 1 "$ROUNDS"); do
  for spec in "$@"; do
    IFS='|' read -r name root jopts jbin <<<"$spec"
    read -r -a JO <<<"$jopts"
    rm -f "$W/nbd.sock"
    "${jbin:-java}" "${JO[@]}" -cp "$root/cli/target/jceph-cli-0.1.0-SNAPSHOT.jar:$root/cli/target/lib/*" org.jceph.cli.Main \
      nbd serve rbd:jceph-test/img --socket "$W/nbd.sock" -c "$CONF" >"$W/server-$name.log" 2>&1 &
    S=$!
    for _ in $(seq 1 120); do grep -q '^serving' "$W/server-$name.log" && break; sleep 0.5; done
    grep -q '^serving' "$W/server-$name.log" || { echo "$name: the server did not start"; cat "$W/server-$name.log"; exit 1; }
    T="nbd+unix:///img?socket=$W/nbd.sock"
    for _ in $(seq 1 "${PRE:-0}"); do
      qemu-img convert -n -f raw "$T" --target-image-opts "driver=null-co,size=$((512 << 20))"
    done
    qemu-img bench -f raw -t writeback -d 16 -s 4096 -S "$STEP" -c "$WARM" "$T" >/dev/null
    c0=$(awk '{print $14+$15}' "/proc/$S/stat"); t0=$(date +%s.%N)
    qemu-img bench -f raw -t writeback -d 16 -s 4096 -S "$STEP" -c "$OPS" "$T" >/dev/null
    t1=$(date +%s.%N); c1=$(awk '{print $14+$15}' "/proc/$S/stat")
    kill "$S"; wait "$S" 2>/dev/null || true
    awk -v n="$name" -v r="$r" -v a="$t0" -v b="$t1" -v c=$((c1 - c0)) -v tk="$TICK" -v o="$OPS" \
      'BEGIN { d = b - a; printf "round %d %-12s %7.0f ops/s  server cpu %6.2f s  %5.1f us/op\n", r, n, o / d, c / tk, c / tk / o * 1e6 }'
  done
done
