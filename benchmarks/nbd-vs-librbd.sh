#!/usr/bin/env bash
# Side by side: qemu through its own librbd driver (`rbd:pool/image:conf=...`) against qemu
# through `jceph nbd serve` (`nbd+unix://`), the issue 16 yardstick for NBD.
#   [JCEPH_RELEASE=pacific] benchmarks/nbd-vs-librbd.sh [SIZE_MIB [PASSES [WRITE_OPS [READ_OPS]]]]
# Cells, each side on a fresh cluster of its own (an image of SIZE_MIB, feature layering):
#   - sequential write: PASSES x `qemu-img convert -n` of a SIZE_MIB raw file of random data into
#     the image (qemu's default 8 coroutines); each pass overwrites the same image;
#   - sequential read: PASSES x `qemu-img convert` of the image into qemu's null driver (no disk
#     file in the timing), then one untimed `qemu-img compare` against the raw file;
#   - 4 KiB "random" write and read at queue depth 16: `qemu-img bench -d 16 -s 4096 -w` with
#     WRITE_OPS / READ_OPS requests. qemu-img bench has no random pattern: it steps by -S and wraps
#     at the image's end. The step is 4 MiB + 4 KiB (1025 blocks of 4 KiB, 1025 = 5 x 5 x 41), so
#     consecutive requests go to consecutive objects, one block further in each, and, when the
#     image's block count has no factor 5 or 41 (true of every power of two and of 1536 MiB), every
#     block is visited once before any twice: no two requests in flight share an object, none are
#     adjacent, no readahead helps. A stand-in for random I/O, not random.
# Both sides run with qemu's default cache mode (writeback: qemu's rbd driver turns librbd's
# rbd_cache on; jceph's server has its own cache on by default). For the NBD side the jceph
# server's CPU seconds per cell (from /proc) are printed next to qemu-img's own; for the librbd
# side librbd runs inside qemu-img, so its process CPU (bash `time`) is the whole client.
# The server is one long-running JVM (as `jceph nbd serve` is used), started by `bin/jceph` as a
# user starts it: the launcher's choice of JDK (the newest installed, JCEPH_JAVA to pick one) and
# its options for long-running commands (JCEPH_JAVA_OPTS, if set, replaces them, as JAVA_OPTS
# does for the launcher); its class-data archive is off (JCEPH_CDS=0: start-up is not timed, and
# the launcher then execs the JVM whose CPU is read from /proc). The cells after the first run on
# a partly warm JIT; the first (sequential write) carries most of the warm-up.
# ROUNDS=N (default 1) runs each read cell N times in a row on both sides: on the jceph side the
# later rounds show the server warm (a long-running server's state; the first round of a cell
# still compiles that cell's own paths), on the librbd side each round is a new qemu-img process.
#
# Sizes (session 12): defaults 1536 MiB, 4 passes (6 GiB each way), 131072 writes (512 MiB) and
# 524288 reads (2 GiB); on the idle machine of earlier sessions (librbd ~300 MB/s written, ~700
# MB/s read through qemu-img convert) that is ~20 s and ~9 s of sequential I/O per side and
# 20-40 s per 4 KiB cell. Memory: memstore keeps the image in RAM three times (one copy per OSD),
# and each side has its own cluster, so SIZE_MIB x 3 (4.5 GiB) of OSD memory at a time; keep
# SIZE_MIB at 2048 or under on the shared 24 GiB host. The 4 KiB cells write inside the already
# written image and allocate nothing. The raw input file (SIZE_MIB) is on disk in the work dir.
# The server's start-up (JVM, connecting) happens before the first cell and is not in its CPU.
# Smoke run (every cell, about a minute): benchmarks/nbd-vs-librbd.sh 64 1 4096 8192
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh" nbdbench
MIB=${1:-1536}; PASSES=${2:-4}; WOPS=${3:-131072}; ROPS=${4:-524288}
STEP=$(((4 << 20) + 4096))
ROUNDS=${ROUNDS:-1}
bench_tool rbd; RBD=("${TOOL_CMD[@]}")
SERVER=""
stop_server() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  SERVER=""
}
trap 'stop_server; "$ROOT/bin/jceph-cluster" stop "$W/c" >/dev/null 2>&1 || true; rm -rf "$W"' EXIT
server_cpu() { # the server's user+sys clock ticks, or 0 without a server
  if [ -n "$SERVER" ]; then awk '{ print $14 + $15 }' "/proc/$SERVER/stat"; else echo 0; fi
}
TICK=$(getconf CLK_TCK)

# timed LABEL BYTES OPS COMMAND...: wall time, MB/s, ops/s (OPS > 0), qemu-img's CPU and the server's
timed() {
  local label=$1 bytes=$2 ops=$3 t0 t1 s0 s1 cpu="$W/cpu"; shift 3
  s0=$(server_cpu); t0=$(date +%s.%N)
  { time "$@" >"$W/out" 2>&1; } 2>"$cpu" || { echo "$label: failed"; cat "$W/out"; return 1; }
  t1=$(date +%s.%N); s1=$(server_cpu)
  awk -v l="$label" -v a="$t0" -v b="$t1" -v n="$bytes" -v o="$ops" -v s=$((s1 - s0)) -v tk="$TICK" -v srv="$SERVER" '
    { u = $4; y = $7 }
    END {
      d = b - a
      printf "%-46s %7.2f s %8.1f MB/s", l, d, n / d / 1e6
      if (o > 0) printf " %7.0f ops/s", o / d; else printf " %13s", ""
      printf "   qemu-img cpu %6.2f s", u + y
      if (srv != "") printf "   jceph server cpu %6.2f s", s / tk
      printf "\n"
    }' "$cpu"
}

# rounds LABEL BYTES OPS COMMAND...: timed ROUNDS times, labelled "(round k)" when more than once
rounds() {
  local label=$1 r; shift
  for r in $(seq 1 "$ROUNDS"); do
    if [ "$ROUNDS" -eq 1 ]; then timed "$label" "$@"; else timed "$label (round $r)" "$@"; fi
  done
}

# side LABEL: the cells against TARGET (a qemu filename) on the current cluster
side() {
  local label=$1 bytes=$((PASSES * MIB << 20))
  timed "seq write, $label" "$bytes" 0 bash -c \
    'for _ in $(seq 1 "$1"); do qemu-img convert -n -f raw -O raw "$2" "$3" || exit 1; done' _ "$PASSES" "$W/in.raw" "$TARGET"
  rounds "seq read, $label" "$bytes" 0 bash -c \
    'for _ in $(seq 1 "$1"); do qemu-img convert -n -f raw "$2" --target-image-opts "driver=null-co,size=$3" || exit 1; done' \
    _ "$PASSES" "$TARGET" $((MIB << 20))
  if qemu-img compare -q -f raw -F raw "$W/in.raw" "$TARGET"; then echo "  (reads back identical)"; else echo "  READ BACK DIFFERS"; fi
  if [ -n "$SERVER" ]; then
    if "${RBD[@]}" -c "$CONF" export jceph-test/img - 2>/dev/null | cmp -s - "$W/in.raw"; then
      echo "  (librbd exports what went through jceph)"
    else
      echo "  LIBRBD'S EXPORT DIFFERS"
    fi
  fi
  timed "4 KiB write qd16 stride, $label" $((WOPS * 4096)) "$WOPS" \
    qemu-img bench -f raw -t writeback -d 16 -s 4096 -S "$STEP" -c "$WOPS" -w "$TARGET"
  rounds "4 KiB read qd16 stride, $label" $((ROPS * 4096)) "$ROPS" \
    qemu-img bench -f raw -t writeback -d 16 -s 4096 -S "$STEP" -c "$ROPS" "$TARGET"
}

head -c $((MIB << 20)) /dev/urandom >"$W/in.raw"
echo "=== $RELEASE: qemu $(qemu-img --version | head -1 | awk '{print $3}'), ${MIB} MiB image, $PASSES passes, $WOPS/$ROPS 4 KiB ops"

bench_cluster
"${RBD[@]}" -c "$CONF" create --size "${MIB}M" --image-feature layering jceph-test/img
TARGET="rbd:jceph-test/img:conf=$CONF"
side "qemu's librbd driver"

bench_cluster
"${RBD[@]}" -c "$CONF" create --size "${MIB}M" --image-feature layering jceph-test/img
"${JCEPH[@]}" nbd serve "rbd:jceph-test/img" --socket "$W/nbd.sock" -c "$CONF" \
  >"$W/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do grep -q '^serving' "$W/server.log" && break; sleep 1; done
grep -q '^serving' "$W/server.log" || { echo "jceph nbd serve did not start:"; cat "$W/server.log"; exit 1; }
echo "  (jceph server JVM: $(readlink "/proc/$SERVER/exe") $(tr '\0' '\n' <"/proc/$SERVER/cmdline" | grep -E '^-XX:[A-Z]' | tr '\n' ' '))"
TARGET="nbd+unix:///img?socket=$W/nbd.sock"
side "jceph NBD server"
stop_server
