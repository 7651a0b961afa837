#!/usr/bin/env bash
# Runs JMH benchmarks from the built jars: benchmarks/run-jmh.sh [JMH args, e.g. Crc32cBenchmark -p size=4096]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
(cd "$ROOT" && mvn -B -q -DskipTests package -pl benchmarks -am) >&2
exec java -cp "$ROOT/benchmarks/target/jceph-benchmarks-0.1.0-SNAPSHOT.jar:$ROOT/benchmarks/target/lib/*" org.openjdk.jmh.Main "$@"
