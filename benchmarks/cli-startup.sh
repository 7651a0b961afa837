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
# RUNS rounds (default 10), and of the CPU time (user + sys, steadier on a busy machine) and checks that each jceph command printed what the stock one printed
# and exited the same way.
#
# Extra variants: JCEPH_STARTUP_VARIANTS='name=VAR=VALUE[,VAR=VALUE...] ...' adds one jceph lspools
# run per round per variant with those environment variables set (e.g. 'nocds=JCEPH_CDS=0
# c2=JAVA_OPTS=-XX:+UseSerialGC jmx=CEPH_ARGS=--jceph_metrics_jmx=true'); LAUNCHER=PATH in a
# variant runs another launcher script (say an older bin/jceph copied into bin/) instead.
# JCEPH_STARTUP_VARIANTS_RBD=1 also runs `rbd ls POOL` per round per variant. bin/jceph picks the
# newest JDK (see its header); e.g. 'jdk17=JCEPH_JAVA=/usr/lib/jvm/java-17-openjdk-amd64/bin/java'
# compares another. A warm-up round (not counted) first records every archive the rounds use.
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
  envs=${v#*=}
  launcher=$ROOT/bin/jceph
  case ",$envs," in *,LAUNCHER=*) launcher=${envs#*LAUNCHER=}; launcher=${launcher%%,*} ;; esac
  cmds+=("env ${envs//,/ } '$launcher' rados lspools -c '$CONF'")
  if [ -n "${JCEPH_STARTUP_VARIANTS_RBD:-}" ]; then
    names+=("jceph-rbdls-${v%%=*}")
    cmds+=("env ${envs//,/ } '$launcher' rbd ls '$POOL' -c '$CONF'")
  fi
done

# a warm-up round: builds if needed and records each command family's class-data archive or AOT
# cache (on JDK 25+ assembled in the background: wait for it, so no measured round runs without)
"$ROOT/bin/jceph" rados lspools -c "$CONF" >/dev/null
for i in "${!names[@]}"; do
  bash -c "${cmds[$i]}" >/dev/null 2>&1 || true
done
for ((t = 0; t < 300; t++)); do
  compgen -G "${JCEPH_CDS_DIR:-$ROOT/cli/target/cds}/*.lock" >/dev/null || break
  sleep 1
done
for ((r = 0; r < RUNS; r++)); do
  for i in "${!names[@]}"; do
    rc=0
    /usr/bin/time -f '%e %U %S' -o "$W/time" bash -c "${cmds[$i]}" >"$W/${names[$i]}.out" 2>"$W/${names[$i]}.err" || rc=$?
    tail -1 "$W/time" >>"$W/${names[$i]}.t" # wall, user, sys seconds (the last line: time's own)
    echo "$rc" >>"$W/${names[$i]}.rc"
  done
done
med() { sort -n | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.2f %.2f %.2f", m, v[1], v[NR]}'; }
printf '%-26s %-20s %-20s\n' command 'wall s: med min max' 'CPU s (user+sys): med min max'
for n in "${names[@]}"; do
  printf '%-26s %-20s %-20s\n' "$n" "$(cut -d' ' -f1 "$W/$n.t" | med)" "$(awk '{print $2 + $3}' "$W/$n.t" | med)"
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
for n in "${names[@]:4}"; do
  case "$n" in jceph-rbdls-*) same rbd-ls "$n" ;; *) same rados-lspools "$n" ;; esac
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
