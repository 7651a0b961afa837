# Sourced by the side-by-side benchmark scripts (not run on its own). It sets up what they share:
#   ROOT      the project root
#   W         a fresh work directory, removed on exit together with the cluster in "$W/c"
#   RELEASE   the cluster's release (JCEPH_RELEASE, default pacific)
#   JCEPH     the jceph CLI as users start it: bin/jceph (built once here, outside the timings),
#             so the launcher's JDK (the newest installed; JCEPH_JAVA picks one) and its options
#             (long-running commands such as bench keep C2 with smaller inlining limits);
#             JCEPH_JAVA_OPTS, if set, replaces those options (it is passed as JAVA_OPTS). Class-data
#             archives are off (JCEPH_CDS=0: start-up is not what these scripts time, and the
#             launcher then execs one JVM). jceph's bench prints the JVM and options it ran with.
#   TIMEFORMAT  bash `time` prints the whole process tree's CPU seconds
# and defines
#   bench_tool TOOL     prints nothing; sets the array TOOL_CMD to that release's stock tool
#                       (run through bin/jceph-cluster tool: in the release's chroot for reef/tentacle)
#   bench_cluster [START_OPTION...]
#                       (re)starts a throwaway cluster of RELEASE in "$W/c" and sets CONF; the
#                       options go to `jceph-cluster start` (e.g. --set 'memstore page size = 4096')
# Usage: source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh" PREFIX
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
W=$(mktemp -d "/tmp/jceph-${1:-bench}.XXXXXX")
trap '"$ROOT/bin/jceph-cluster" stop "$W/c" >/dev/null 2>&1 || true; rm -rf "$W"' EXIT
RELEASE=${JCEPH_RELEASE:-pacific}
"$ROOT/bin/jceph" help >/dev/null
JCEPH=(env JCEPH_CDS=0)
if [ -n "${JCEPH_JAVA_OPTS:-}" ]; then JCEPH+=("JAVA_OPTS=$JCEPH_JAVA_OPTS"); fi
JCEPH+=("$ROOT/bin/jceph")
TIMEFORMAT='process cpu seconds: %U user + %S sys (%R s elapsed)'

bench_cluster() {
  "$ROOT/bin/jceph-cluster" stop "$W/c" >/dev/null 2>&1 || true
  rm -rf "$W/c"
  JCEPH_OSD_BYTES=$((6 << 30)) "$ROOT/bin/jceph-cluster" start "$W/c" --release "$RELEASE" "$@" >/dev/null
  CONF="$W/c/ceph.conf"
}

bench_tool() {
  TOOL_CMD=("$ROOT/bin/jceph-cluster" tool "$W/c" -- "$1")
}
