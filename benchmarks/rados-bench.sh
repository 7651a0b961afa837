#!/usr/bin/env bash
# Side-by-side: `rados bench` (librados) against `bin/jceph rados bench` (pure Java) on the same
# throwaway cluster, same pool, same sizes and concurrency.
#   [JCEPH_RELEASE=pacific|reef|tentacle] benchmarks/rados-bench.sh [SECONDS]   (default 60)
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
#
# Long enough for the JIT (issue 16, session 11): SECONDS (default 60) is the length of the 4 KiB
# write cells and of every rand cell; jceph prints, after the stock tool's summary, its IOPS and CPU
# per op over the second half of the run and the "Warm-up share of CPU" (what the run cost beyond
# that steady rate: JIT compilation, connecting), which should stay under 10 %. The objects the read
# cells share come from one stock write of JCEPH_BENCH_FILL_SECS (default 45 s) for 4 KiB objects
# (~1,650 objects/s on an idle machine). The 4 KiB cells' clusters use 4 KiB memstore pages
# (session 14): with memstore's default 64 KiB page every 4 KiB object cost 64 KiB on each OSD and
# the session-12 run of a 120 s fill (~130k objects, ~8 GiB per OSD against JCEPH_OSD_BYTES = 6 GiB)
# filled the OSDs and swapped the host; with 4 KiB pages a 60 s fill (99k objects) took ~2.0 GB of
# RSS per OSD, so fills and write cells of 120 s fit (~4 GB per OSD, three OSDs). Each tool's seq
# still reads the objects in well under the rand cell's time (librados ~18k objects/s): with the
# default fill it lasts 5-10 s (read jceph's "Second half" and "JIT compiler CPU" lines), with a
# 120 s fill 10-20 s. 4 MiB cells write for JCEPH_BENCH_BIG_SECS (default 10 s: ~2 GiB at 200 MB/s,
# memstore holds it in RAM three times); their seq reads those few hundred objects in 1-3 s, so
# the 4 MiB seq cell stays short and its warm-up share high: read its "Second half" line.
# jceph runs as users start it, through bin/jceph (the launcher's JDK and its options for
# long-running commands; JCEPH_JAVA picks the java binary, JCEPH_JAVA_OPTS replaces the options:
# see lib/side-by-side.sh); its summary ends with the JVM and options it ran with. Before session
# 18 this script ran `java -cp` on the java in PATH with the JVM's defaults, which no user runs.
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh" bench
SECS=${1:-60}
FILL=${JCEPH_BENCH_FILL_SECS:-45}
BIG=${JCEPH_BENCH_BIG_SECS:-10}
bench_tool rados; RADOS=("${TOOL_CMD[@]}")
# 4 KiB cells: memstore pages of 4 KiB (its default 64 KiB page makes every small object cost
# 64 KiB per OSD); 4 MiB cells keep the default, with 64 pages rather than 1,024 per object.
fresh() { if ((size > 65536)); then bench_cluster; else bench_cluster --set 'memstore page size = 4096'; fi; }

for size in ${JCEPH_BENCH_SIZES:-4096 4194304}; do
  wsecs=$SECS fsecs=$FILL
  if ((size > 65536)); then wsecs=$BIG fsecs=$BIG; fi
  echo "=== $RELEASE: write, $size-byte objects, 16 in flight, ${wsecs}s"
  fresh
  echo "--- rados bench (librados)"
  time "${RADOS[@]}" -c "$CONF" -p jceph-test bench "$wsecs" write -b "$size" -t 16 | tail -17
  fresh
  echo "--- jceph rados bench (pure Java)"
  time "${JCEPH[@]}" rados -c "$CONF" -p jceph-test bench "$wsecs" write -b "$size" -t 16 | tail -20

  fresh
  "${RADOS[@]}" -c "$CONF" -p jceph-test bench "$fsecs" write -b "$size" -t 16 --no-cleanup | grep 'Total writes made'
  for mode in seq rand; do
    echo "=== $RELEASE: $mode over the same objects, $size bytes, 16 in flight, ${SECS}s at most"
    echo "--- rados bench (librados)"
    time "${RADOS[@]}" -c "$CONF" -p jceph-test bench "$SECS" "$mode" -t 16 | tail -12
    echo "--- jceph rados bench (pure Java)"
    time "${JCEPH[@]}" rados -c "$CONF" -p jceph-test bench "$SECS" "$mode" -t 16 | tail -15
  done
done
