#!/usr/bin/env bash
# Side-by-side: `rados bench` (librados) against `bin/jceph rados bench` (pure Java) on the same
# throwaway cluster, same pool, same sizes and concurrency, one after the other.
#   [JCEPH_RELEASE=pacific|reef|tentacle] benchmarks/rados-bench.sh [SECONDS]
# JCEPH_RELEASE (default pacific) picks the cluster's release; the stock `rados` is that release's
# own, run through `bin/jceph-cluster tool` (in the release's chroot for reef and tentacle; bash
# `time` of it still counts the whole child process tree). JCEPH_BENCH_SIZES (default "4096 4194304")
# limits the object sizes, e.g. JCEPH_BENCH_SIZES=4096 for the 4 KiB cells only.
# Each (object size, mode) pair gets a fresh cluster: memstore never gives freed memory back, so
# a run of 4 MiB writes would otherwise fill the OSDs for the runs after it.
# Prints each tool's summary and the whole process's CPU seconds (bash `time`: user+sys).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECS=${1:-10}
DIR=$(mktemp -d /tmp/jceph-bench.XXXXXX)
trap '"$ROOT/bin/jceph-cluster" stop "$DIR/c" >/dev/null 2>&1 || true; rm -rf "$DIR"' EXIT
"$ROOT/bin/jceph" help >/dev/null   # build once, outside the timings
JCEPH=(java -cp "$ROOT/cli/target/jceph-cli-0.1.0-SNAPSHOT.jar:$ROOT/cli/target/lib/*" org.jceph.cli.Main)
RELEASE=${JCEPH_RELEASE:-pacific}
RADOS=("$ROOT/bin/jceph-cluster" tool "$DIR/c" -- rados)
TIMEFORMAT='process cpu seconds: %U user + %S sys (%R s elapsed)'

for size in ${JCEPH_BENCH_SIZES:-4096 4194304}; do
  set -- "$size" 16
  for mode in write seq rand; do
    "$ROOT/bin/jceph-cluster" stop "$DIR/c" >/dev/null 2>&1 || true
    rm -rf "$DIR/c"
    JCEPH_OSD_BYTES=$((6 << 30)) "$ROOT/bin/jceph-cluster" start "$DIR/c" --release "$RELEASE" >/dev/null
    CONF="$DIR/c/ceph.conf"
    echo "=== $RELEASE: $mode, $1-byte objects, $2 in flight, ${SECS}s"
    echo "--- rados bench (librados)"
    if [ "$mode" = write ]; then
      time "${RADOS[@]}" -c "$CONF" -p jceph-test bench "$SECS" write -b "$1" -t "$2" | tail -17
    else
      # seq and rand read what a write phase left behind, as the stock tool requires
      "${RADOS[@]}" -c "$CONF" -p jceph-test bench "$SECS" write -b "$1" -t "$2" --no-cleanup >/dev/null
      time "${RADOS[@]}" -c "$CONF" -p jceph-test bench "$SECS" "$mode" -t "$2" | tail -12
      "${RADOS[@]}" -c "$CONF" -p jceph-test cleanup >/dev/null 2>&1 || true
    fi
    echo "--- jceph rados bench (pure Java)"
    time "${JCEPH[@]}" rados -c "$CONF" -p jceph-test bench "$SECS" "$mode" -b "$1" -t "$2" | tail -12
  done
done
