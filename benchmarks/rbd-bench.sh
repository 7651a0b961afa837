#!/usr/bin/env bash
# Side by side: `rbd bench` (librbd) against `jceph rbd bench`, same image kind (feature layering,
# the features jceph can write), same io sizes, threads, patterns and totals.
#   [JCEPH_RELEASE=pacific|reef|tentacle] benchmarks/rbd-bench.sh [W4K [R4K [W4M [R4M]]]]
# W4K/R4K: io-total of the 4 KiB random write / read cells (default 512M / 4G), W4M/R4M: of the
# 4 MiB sequential write / read cells (default 16G / 64G). Four tools: librbd with its defaults
# (rbd_cache on: the default writearound policy, which acknowledges small writes from memory while
# at most rbd_cache_max_dirty bytes are in flight), librbd with --rbd_cache=false, and jceph with
# its client cache on (its default, as librbd's) and with --rbd_cache=false.
# JCEPH_RELEASE (default pacific) picks the cluster's release; the stock `rbd` is that release's
# own, run through `bin/jceph-cluster tool` (in the release's chroot for reef and tentacle; bash
# `time` of it still counts the whole child process tree). jceph runs through bin/jceph as users
# start it (JCEPH_JAVA picks the java binary, JCEPH_JAVA_OPTS replaces the launcher's options: see
# lib/side-by-side.sh). JCEPH_BENCH_IMAGE_4K (default 256M) is the 4 KiB cells' image.
#
# Long enough for the JIT (issue 16, session 12): rbd bench has no time limit, so each cell is
# sized by its io-total. On the idle machine of earlier sessions (librbd 3,000-6,500 4 KiB random
# writes/s and ~28,000 reads/s, ~200 4 MiB writes/s and ~850 reads/s) the defaults give cells of
# ~20-45 s (4 KiB write), ~35-50 s (4 KiB read), ~20-80 s (4 MiB write: memstore's rate moves a
# lot) and ~20-30 s (4 MiB read); a 30 s JVM run spends 5-7 s of CPU in the JIT compilers, which
# dominated the old 1-10 s cells. jceph prints, after rbd bench's two lines, its ops/s and CPU per
# op over the second half of the run and the "Warm-up share of CPU" (the run's CPU above that
# steady rate: JIT compilation, class loading, connecting; see RadosBench); it should stay under
# 10 %. Every tool's summary is collected in a table at the end (ops/s, whole-process CPU per op).
#
# Memory (memstore keeps every object in RAM, three copies, pages of 64 KiB allocated as written
# and never given back; the host has 24 GiB shared with other work): each tool gets a fresh
# cluster of its own, on which it writes then reads a JCEPH_BENCH_IMAGE_4K image (4 KiB random:
# the whole image is allocated after the first few percent of the writes, so 3 x 256 MiB whatever
# W4K is) and then a 1 GiB image (4 MiB sequential: W4M wraps around the image, so 3 x 1 GiB
# whatever W4M is): under 4 GiB of OSD memory at any time. The reads read what the same tool
# wrote (every 4 KiB read lands on an existing object). Before session 12 the three tools' 4 KiB
# cells shared one cluster with three 1 GiB images, and with 4 MiB writes on top the host ran out
# of memory (docs/BENCHMARKS.md, sessions 9 and 10); on a shared cluster the tool that runs last
# also writes to the fullest, slowest OSDs. A fresh cluster per tool removes both.
# Smoke run (every cell, a minute or two): benchmarks/rbd-bench.sh 8M 16M 64M 128M
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh" rbdbench
W4K=${1:-512M}; R4K=${2:-4G}; W4M=${3:-16G}; R4M=${4:-64G}
IMG4K=${JCEPH_BENCH_IMAGE_4K:-256M}
bench_tool rbd; RBD=("${TOOL_CMD[@]}")
SUMMARY="$W/summary"
: >"$SUMMARY"

# cell LABEL TYPE SIZE PATTERN TOTAL IMAGE CMD...: one rbd bench run, its last lines and CPU
cell() {
  local label=$1 type=$2 size=$3 pattern=$4 total=$5 image=$6 out="$W/out" cpu="$W/cpu"; shift 6
  echo "=== $RELEASE: $type, $size-byte io, $pattern, 16 threads, $total"
  echo "--- $label"
  { time "$@" bench --io-type "$type" --io-size "$size" --io-threads 16 --io-total "$total" \
      --io-pattern "$pattern" "$image" >"$out" 2>&1; } 2>"$cpu" || echo "(run failed)"
  grep -E '^(elapsed:|cpu seconds per op:|Second half:|Warm-up share|JVM:)' "$out" || tail -3 "$out"
  cat "$cpu"
  # the summary row: cell, tool, ops/s, whole-process CPU s per op, jceph's second-half figures
  awk -v cell="$type $size $pattern" -v tool="$label" -v cpufile="$cpu" '
    /^elapsed:/ { ops = $4; rate = $6 }
    /^Second half:/ { sub(/,$/, "", $4); steady = $4 " ops/s, " $9 " s/op" }
    /^Warm-up share/ { share = $5 }
    END {
      getline line < cpufile
      split(line, w, " ")
      per = ops > 0 ? (w[4] + w[7]) / ops : 0
      printf "%-22s %-36s %12s %12.6f  %s%s\n", cell, tool, rate, per, steady, share == "" ? "" : ", warm-up " share
    }' "$out" >>"$SUMMARY"
}

# tool LABEL CMD...: a fresh cluster, then the four cells of one tool
tool() {
  local label=$1 args=() a; shift
  bench_cluster
  for a in "$@"; do [ "$a" = @CONF ] && a=$CONF; args+=("$a"); done
  "${RBD[@]}" -c "$CONF" create --size "$IMG4K" --image-feature layering jceph-test/bench-4k
  "${RBD[@]}" -c "$CONF" create --size 1G --image-feature layering jceph-test/bench-4m
  cell "$label" write 4096 rand "$W4K" jceph-test/bench-4k "${args[@]}"
  cell "$label" read 4096 rand "$R4K" jceph-test/bench-4k "${args[@]}"
  cell "$label" write 4194304 seq "$W4M" jceph-test/bench-4m "${args[@]}"
  cell "$label" read 4194304 seq "$R4M" jceph-test/bench-4m "${args[@]}"
}

tool "rbd bench (librbd)" "${RBD[@]}" -c @CONF
tool "rbd bench --rbd_cache=false (librbd)" "${RBD[@]}" -c @CONF --rbd_cache=false
tool "jceph rbd bench" "${JCEPH[@]}" rbd -c @CONF
tool "jceph rbd bench --rbd_cache=false" "${JCEPH[@]}" rbd -c @CONF --rbd_cache=false

echo "=== summary ($RELEASE; CPU per op: whole process, user+sys, JVM start-up included for jceph)"
printf "%-22s %-36s %12s %12s  %s\n" cell tool ops/s "cpu s/op" "jceph: second half, warm-up share of CPU"
sort -s -k1,3 "$SUMMARY"
