#!/usr/bin/env bash
# Start-up time of short jceph commands against the stock tools, interleaved so both see the same
# machine load:
#
#   benchmarks/cli-startup.sh CONF [RUNS] [POOL]
#
# CONF is a cluster's ceph.conf (with its keyring), e.g. from bin/jceph-cluster start DIR; POOL
# (default jceph-test) is the pool for `rbd ls`. Each round runs every command once, in turn:
# stock `rados lspools`, `jceph rados lspools`, stock `rbd ls POOL`, `jceph rbd ls POOL` (jceph
# through bin/jceph, from a fresh shell). Prints the median, min and max wall time of each over
# RUNS rounds (default 10) and checks that each jceph command printed what the stock one printed
# and exited the same way.
#
# Extra variants: JCEPH_STARTUP_VARIANTS='name=ENV ...' adds one jceph lspools run per round per
# variant, with ENV set (e.g. 'nocds=JCEPH_CDS=0 c2=JAVA_OPTS=-XX:+UseSerialGC').
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CONF=${1:?usage: cli-startup.sh CONF [RUNS] [POOL]}
RUNS=${2:-10}
POOL=${3:-jceph-test}
W=$(mktemp -d /tmp/jceph-startup.XXXXXX)
trap 'rm -rf "$W"' EXIT

names=(rados-lspools jceph-rados-lspools rbd-ls jceph-rbd-ls)
cmds=("rados -c '$CONF' lspools" "'$ROOT/bin/jceph' rados lspools -c '$CONF'"
      "rbd -c '$CONF' ls '$POOL'" "'$ROOT/bin/jceph' rbd ls '$POOL' -c '$CONF'")
for v in ${JCEPH_STARTUP_VARIANTS:-}; do
  names+=("jceph-lspools-${v%%=*}")
  cmds+=("env ${v#*=} '$ROOT/bin/jceph' rados lspools -c '$CONF'")
done

"$ROOT/bin/jceph" rados lspools -c "$CONF" >/dev/null # builds if needed, creates the CDS archive
for ((r = 0; r < RUNS; r++)); do
  for i in "${!names[@]}"; do
    a=$(date +%s%N)
    rc=0
    bash -c "${cmds[$i]}" >"$W/${names[$i]}.out" 2>"$W/${names[$i]}.err" || rc=$?
    b=$(date +%s%N)
    echo "$(( (b - a) / 1000 ))" >>"$W/${names[$i]}.us"
    echo "$rc" >>"$W/${names[$i]}.rc"
  done
done
printf '%-26s %9s %9s %9s\n' command 'median s' 'min s' 'max s'
for n in "${names[@]}"; do
  sort -n "$W/$n.us" | awk -v n="$n" '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2;
    printf "%-26s %9.3f %9.3f %9.3f\n", n, m/1e6, v[1]/1e6, v[NR]/1e6}'
done
same() { # STOCK JCEPH
  if cmp -s "$W/$1.out" "$W/$2.out" && cmp -s "$W/$1.rc" "$W/$2.rc" && [ ! -s "$W/$2.err" ]; then
    echo "$2: output and exit status as $1's, stderr empty"
  else
    echo "$2: DIFFERS from $1"; diff "$W/$1.out" "$W/$2.out" | head -5; head -5 "$W/$2.err"; exit 1
  fi
}
same rados-lspools jceph-rados-lspools
same rbd-ls jceph-rbd-ls
for n in "${names[@]:4}"; do same rados-lspools "$n"; done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
