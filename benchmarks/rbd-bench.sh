#!/usr/bin/env bash
# Side by side on one throwaway cluster: `rbd bench` (librbd) against `jceph rbd bench`, same image
# kind (feature layering, the features jceph can write), same io sizes, threads and totals.
# librbd runs twice: with its defaults (rbd_cache on: a writeback cache that acknowledges small
# writes from memory once the first flush is seen) and with --rbd_cache=false, which is what jceph
# does (every write acknowledged by the OSDs).
#   [JCEPH_RELEASE=pacific|reef|tentacle] benchmarks/rbd-bench.sh [IO_TOTAL_4K] [IO_TOTAL_4M]
# JCEPH_RELEASE (default pacific) picks the cluster's release; the stock `rbd` is that release's
# own, run through `bin/jceph-cluster tool` (in the release's chroot for reef and tentacle; bash
# `time` of it still counts the whole child process tree).
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh" rbdbench
T4K=${1:-64M}; T4M=${2:-1G}
bench_tool rbd; RBD=("${TOOL_CMD[@]}")
bench_cluster
for img in librbd librbd-nocache jceph; do "${RBD[@]}" -c "$CONF" create --size 1G --image-feature layering "jceph-test/bench-$img"; done
for spec in "write 4096 rand $T4K" "read 4096 rand $T4K"; do
  set -- $spec
  echo "=== $RELEASE: $1, $2-byte io, $3, 16 threads, $4"
  echo "--- rbd bench (librbd)"
  time "${RBD[@]}" -c "$CONF" bench --io-type "$1" --io-size "$2" --io-threads 16 --io-total "$4" --io-pattern "$3" jceph-test/bench-librbd | tail -1
  echo "--- rbd bench --rbd_cache=false (librbd, no cache)"
  time "${RBD[@]}" -c "$CONF" --rbd_cache=false bench --io-type "$1" --io-size "$2" --io-threads 16 --io-total "$4" --io-pattern "$3" jceph-test/bench-librbd-nocache | tail -1
  echo "--- jceph rbd bench"
  time "${JCEPH[@]}" rbd -c "$CONF" bench --io-type "$1" --io-size "$2" --io-threads 16 --io-total "$4" --io-pattern "$3" jceph-test/bench-jceph | tail -2
done
# The 4 MiB cells: each tool on a fresh cluster of its own, write then read of its own image.
# memstore keeps every byte in RAM and never gives it back, and an OSD slows as it fills: on one
# shared cluster the tool that runs last is measured on the slowest OSDs, and with 4 KiB random
# writes already spread over three images a 2G or 4G total drove this 24 GiB host out of memory
# (docs/BENCHMARKS.md, session 10).
cell4m() { # LABEL IMAGE-ARGS...: one fresh cluster, a 1G image, then the write and the read cell
  local label=$1; shift
  bench_cluster
  "${RBD[@]}" -c "$CONF" create --size 1G --image-feature layering jceph-test/bench-4m
  local t args=() a
  for a in "$@"; do [ "$a" = @CONF ] && a=$CONF; args+=("$a"); done
  for t in write read; do
    echo "=== $RELEASE: $t, 4194304-byte io, seq, 16 threads, $T4M"
    echo "--- $label"
    time "${args[@]}" bench --io-type "$t" --io-size 4194304 --io-threads 16 --io-total "$T4M" --io-pattern seq jceph-test/bench-4m | tail -2
  done
}
cell4m "rbd bench (librbd)" "${RBD[@]}" -c @CONF
cell4m "rbd bench --rbd_cache=false (librbd, no cache)" "${RBD[@]}" -c @CONF --rbd_cache=false
cell4m "jceph rbd bench" "${JCEPH[@]}" rbd -c @CONF
