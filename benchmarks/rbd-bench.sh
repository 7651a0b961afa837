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
T4K=${1:-64M}; T4M=${2:-2G}
bench_tool rbd; RBD=("${TOOL_CMD[@]}")
bench_cluster
for img in librbd librbd-nocache jceph; do "${RBD[@]}" -c "$CONF" create --size 1G --image-feature layering "jceph-test/bench-$img"; done
for spec in "write 4096 rand $T4K" "read 4096 rand $T4K" "write 4194304 seq $T4M" "read 4194304 seq $T4M"; do
  set -- $spec
  echo "=== $RELEASE: $1, $2-byte io, $3, 16 threads, $4"
  echo "--- rbd bench (librbd)"
  time "${RBD[@]}" -c "$CONF" bench --io-type "$1" --io-size "$2" --io-threads 16 --io-total "$4" --io-pattern "$3" jceph-test/bench-librbd | tail -1
  echo "--- rbd bench --rbd_cache=false (librbd, no cache)"
  time "${RBD[@]}" -c "$CONF" --rbd_cache=false bench --io-type "$1" --io-size "$2" --io-threads 16 --io-total "$4" --io-pattern "$3" jceph-test/bench-librbd-nocache | tail -1
  echo "--- jceph rbd bench"
  time "${JCEPH[@]}" rbd -c "$CONF" bench --io-type "$1" --io-size "$2" --io-threads 16 --io-total "$4" --io-pattern "$3" jceph-test/bench-jceph | tail -2
done
