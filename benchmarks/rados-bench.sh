#!/usr/bin/env bash
# Side-by-side: `rados bench` (librados) against `bin/jceph rados bench` (pure Java) on the same
# throwaway cluster, same pool, same sizes and concurrency.
#   [JCEPH_RELEASE=pacific|reef|tentacle] benchmarks/rados-bench.sh [SECONDS]
# JCEPH_RELEASE (default pacific) picks the cluster's release; the stock `rados` is that release's
# own, run through `bin/jceph-cluster tool` (in the release's chroot for reef and tentacle; bash
# `time` of it still counts the whole child process tree). JCEPH_BENCH_SIZES (default "4096 4194304")
# limits the object sizes, e.g. JCEPH_BENCH_SIZES=4096 for the 4 KiB cells only.
#
# Fair by construction (issue 16): the read modes of both tools read the SAME objects. One write
# run (the stock tool's, --no-cleanup) leaves its objects and its benchmark_last_metadata record;
# then each tool's seq reads them all in order (it ends when every object was read, so both do the
# same work) and each tool's rand reads them at random for SECONDS. Both verify every object's
# bytes, as `rados bench` does by default. jceph's bench uses the stock tool's object names,
# contents and record, so each can read what the other wrote.
# Write cells get a fresh cluster per tool: memstore never gives freed memory back.
# Prints each tool's summary and the whole process's CPU seconds (bash `time`: user+sys).
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh" bench
SECS=${1:-10}
bench_tool rados; RADOS=("${TOOL_CMD[@]}")
fresh() { bench_cluster; }

for size in ${JCEPH_BENCH_SIZES:-4096 4194304}; do
  echo "=== $RELEASE: write, $size-byte objects, 16 in flight, ${SECS}s"
  fresh
  echo "--- rados bench (librados)"
  time "${RADOS[@]}" -c "$CONF" -p jceph-test bench "$SECS" write -b "$size" -t 16 | tail -17
  fresh
  echo "--- jceph rados bench (pure Java)"
  time "${JCEPH[@]}" rados -c "$CONF" -p jceph-test bench "$SECS" write -b "$size" -t 16 | tail -17

  fresh
  "${RADOS[@]}" -c "$CONF" -p jceph-test bench "$SECS" write -b "$size" -t 16 --no-cleanup >/dev/null
  for mode in seq rand; do
    echo "=== $RELEASE: $mode over the same objects, $size bytes, 16 in flight, ${SECS}s at most"
    echo "--- rados bench (librados)"
    time "${RADOS[@]}" -c "$CONF" -p jceph-test bench "$SECS" "$mode" -t 16 | tail -12
    echo "--- jceph rados bench (pure Java)"
    time "${JCEPH[@]}" rados -c "$CONF" -p jceph-test bench "$SECS" "$mode" -t 16 | tail -12
  done
done
