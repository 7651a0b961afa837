#!/usr/bin/env bash
# The client cache on both sides: `rbd bench` (librbd) against `jceph rbd bench`, 4 KiB random
# writes at 16 threads, interleaved round by round on one throwaway cluster (one image per client
# and per policy, feature layering). Both tools set rbd_cache_writethrough_until_flush=false for
# themselves, so the cache is active from the first write, and both time a final flush.
#   [JCEPH_RELEASE=pacific] benchmarks/rbd-cache-bench.sh [IO_TOTAL] [ROUNDS] [IMAGE_SIZE]
# Images are small on purpose: memstore OSDs keep whole objects in memory, so six 1 GiB images
# written at random take ~18 GB across three OSDs (seen: the host ran out and OSD ops stalled).
# Policies: writearound (Pacific's default rbd_cache_policy), writeback (the ObjectCacher), and
# rbd_cache=false for reference.
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh" rbdcachebench
TOTAL=${1:-64M}; ROUNDS=${2:-3}; SIZE=${3:-128M}
bench_tool rbd; RBD=("${TOOL_CMD[@]}")
bench_cluster
MODES=("--rbd_cache_policy=writearound" "--rbd_cache_policy=writeback" "--rbd_cache=false")
for side in librbd jceph; do
  for m in around back off; do "${RBD[@]}" -c "$CONF" create --size "$SIZE" --image-feature layering "jceph-test/$side-$m"; done
done
for round in $(seq 1 "$ROUNDS"); do
  for i in 0 1 2; do
    opt=${MODES[$i]}; img=$(echo around back off | cut -d' ' -f$((i + 1)))
    echo "=== round $round: 4096-byte random writes, 16 threads, $TOTAL, $opt"
    echo "--- rbd bench (librbd)"
    time "${RBD[@]}" -c "$CONF" "$opt" bench --io-type write --io-size 4096 --io-threads 16 --io-total "$TOTAL" \
      --io-pattern rand "jceph-test/librbd-$img" | tail -1 || echo "(run failed)"
    echo "--- jceph rbd bench"
    time "${JCEPH[@]}" rbd -c "$CONF" "$opt" bench --io-type write --io-size 4096 --io-threads 16 --io-total "$TOTAL" \
      --io-pattern rand "jceph-test/jceph-$img" 2>&1 | tail -2 || echo "(run failed)"
  done
done
