#!/bin/bash
# Prerequisite (on a cluster from /work/shared/tools/newceph-cluster.sh start CHROOT cmpr 41761 41762 2):
#   ceph config set global ms_osd_compress_mode force; ceph config set global ms_osd_compress_min_size 64
# capture.sh ALG : restart both OSDs with ms_osd_compression_algorithm=ALG, capture OSD<->OSD traffic
set -e
R=/var/cache/jceph/reef-probe; N=cmpr; ALG=$1
ic(){ timeout 30 chroot $R env CEPH_CONF=/$N/ceph.conf "$@"; }
ic ceph config set global ms_osd_compression_algorithm $ALG
rm -rf ${OUT:-/tmp/cmpr}/cap-$ALG
python3 "$(dirname "$0")/lo-capture-all.py" 7100-7400 ${OUT:-/tmp/cmpr}/cap-$ALG 25 &
sp=$!
sleep 1
for i in 0 1; do pid=$(cat $R/$N/run/osd.$i.pid); kill $pid; while kill -0 $pid 2>/dev/null; do sleep 0.2; done; done
for i in 0 1; do ic ceph-osd -i $i --keyring /$N/osd.$i/keyring; done
wait $sp
ports=$(for i in 0 1; do ss -ltnpH | grep "pid=$(cat $R/$N/run/osd.$i.pid)," | awk '{print $4}' | cut -d: -f2; done | sort -u | paste -sd'|')
echo "osd ports $ports"
cd ${OUT:-/tmp/cmpr}/cap-$ALG && for f in *.bin; do echo $f | grep -qE "(^($ports)-|-($ports)\.bin$)" || rm $f; done
ls -la ${OUT:-/tmp/cmpr}/cap-$ALG
