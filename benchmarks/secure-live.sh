#!/bin/bash
# docs/BENCHMARKS.md "Session 12: secure mode on JDK 25": jceph on JDK 17, jceph on JDK 25 and the
# stock rados bench in msgr2 secure mode, alternated, three rounds; CPU per op = /usr/bin/time
# user+sys of the whole process over the run's ops. Needs a cluster: bin/jceph-cluster start DIR.
#   DIR=/tmp/sec25-c SET=1|2 benchmarks/secure-live.sh      (run from the repository root after install)
set -u
DIR=${DIR:-/tmp/sec25-c}; SET=${SET:-2}; OUT=${OUT:-/tmp/secure-live}; mkdir -p "$OUT"
C=$DIR/ceph.conf
CP="cli/target/jceph-cli-0.1.0-SNAPSHOT.jar:cli/target/lib/*"
J17=${J17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
J25=${J25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
run() { # client op size secs
  local cl=$1 op=$2 sz=$3 secs=$4 extra="" cmd
  [ "$op" = write ] && extra="-b $sz --no-cleanup"
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  case $cl in
    j17) cmd=("$J17" -cp "$CP" org.jceph.cli.Main rados -c "$C" -p jceph-test bench "$secs" "$op" $extra -t 16 --ms_client_mode secure);;
    j25) cmd=("$J25" --sun-misc-unsafe-memory-access=allow -cp "$CP" org.jceph.cli.Main rados -c "$C" -p jceph-test bench "$secs" "$op" $extra -t 16 --ms_client_mode secure);;
    stock) cmd=(bin/jceph-cluster tool "$DIR" -- rados -c "$C" -p jceph-test bench "$secs" "$op" $extra -t 16 --ms_client_mode secure);;
  esac
  local out=$OUT/$cl-$op-$sz-$RANDOM.txt
  /usr/bin/time -f "TIME %e %U %S" "${cmd[@]}" > "$out" 2>&1
  local ops t
  ops=$(grep -E "Total (writes|reads) made" "$out" | awk '{print $NF}')
  t=$(grep ^TIME "$out" | awk '{print $3+$4}')
  printf "%s %-5s %-5s %7s ops=%-6s cpu=%-6s s/op=%s load=%s | %s\n" "$(date +%T)" "$cl" "$op" "$sz" "$ops" "$t" \
      "$(echo "$t / (${ops:-0}+0.000001)" | bc -l | cut -c1-8)" "$load" "$(grep -h 'Second half' "$out")"
}
cleanup() { bin/jceph-cluster tool "$DIR" -- rados -c "$C" -p jceph-test cleanup >/dev/null 2>&1; }
for sz in 4194304 4096; do
  if [ "$SET" = 1 ]; then secs=5; [ $sz = 4096 ] && secs=8; read_op=seq; read_secs=$secs
  else secs=6; read_op=rand; read_secs=12; fi
  for r in 1 2 3; do
    case $r in 1) order="j17 j25 stock";; 2) order="j25 stock j17";; 3) order="stock j17 j25";; esac
    for cl in $order; do
      run $cl write $sz $secs
      run $cl $read_op $sz $read_secs
      cleanup
    done
  done
done
