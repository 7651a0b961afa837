#!/usr/bin/env bash
# Side by side on one throwaway cluster: qemu-img convert of a raw file into an RBD image
# (and back out) through qemu's own librbd driver, and through jceph's NBD server.
#   benchmarks/nbd-vs-librbd.sh [SIZE_MIB]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MIB=${1:-256}
WORK=$(mktemp -d /tmp/jceph-nbdbench.XXXXXX)
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  "$ROOT/bin/jceph-cluster" stop "$WORK/c" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
JCEPH_OSD_BYTES=$((6 << 30)) "$ROOT/bin/jceph-cluster" start "$WORK/c" >/dev/null
CONF="$WORK/c/ceph.conf"
"$ROOT/bin/jceph" help >/dev/null
head -c $((MIB << 20)) /dev/urandom > "$WORK/in.raw"
for img in via-librbd via-nbd; do
  rbd -c "$CONF" create --size "${MIB}M" --image-feature layering "jceph-test/$img"
done
"$ROOT/bin/jceph" nbd serve "rbd:jceph-test/via-nbd" --socket "$WORK/nbd.sock" -c "$CONF" > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do grep -q '^serving' "$WORK/server.log" && break; sleep 1; done
LIBRBD="rbd:jceph-test/via-librbd:conf=$CONF"
NBD="nbd+unix:///via-nbd?socket=$WORK/nbd.sock"

timed() { # label, command...
  local t0 t1; t0=$(date +%s.%N); "${@:2}" >/dev/null; t1=$(date +%s.%N)
  awk -v l="$1" -v a="$t0" -v b="$t1" -v m="$MIB" 'BEGIN { printf "%-44s %7.2f s  %8.1f MB/s\n", l, b-a, m*1.048576/(b-a) }'
}
echo "qemu-img convert, ${MIB} MiB of random data, qemu $(qemu-img --version | head -1 | awk '{print $3}')"
timed "write: raw file -> rbd (qemu's librbd driver)" qemu-img convert -n -f raw -O raw "$WORK/in.raw" "$LIBRBD"
timed "write: raw file -> rbd (jceph NBD server)" qemu-img convert -n -f raw -O raw "$WORK/in.raw" "$NBD"
timed "read:  rbd -> raw file (qemu's librbd driver)" qemu-img convert -f raw -O raw "$LIBRBD" "$WORK/out1.raw"
timed "read:  rbd -> raw file (jceph NBD server)" qemu-img convert -f raw -O raw "$NBD" "$WORK/out2.raw"
cmp "$WORK/in.raw" "$WORK/out1.raw" && cmp "$WORK/in.raw" "$WORK/out2.raw" && echo "both copies read back identical"
rbd -c "$CONF" export jceph-test/via-nbd - 2>/dev/null | cmp - "$WORK/in.raw" && echo "librbd exports what went through jceph"
