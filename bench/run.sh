#!/usr/bin/env bash
# Runs the JMH benchmarks (integration-tests/src/main/java/dev/dataenc/bench) in one JMH run and
# prints a table: ops/s, MB/s and dataenc's ratio to each baseline (raw JCE AES-GCM, Tink).
#   bench/run.sh                 # everything (~6 min on 2 cores)
#   bench/run.sh Property        # only benchmarks whose name matches the regex
#   bench/run.sh ServiceBenchmark  # what applications call (DataEncService's ciphers), 1 thread and one per core
# On a shared machine, wall-clock ratios are noise: see CpuTimeRatios in docs/BENCHMARKS.md.
# Extra JMH options can be passed in JMH_OPTS (default: 1 fork, 4x2s warm-up, 5x2s measurement).
# Set JAVA_HOME to measure on another JDK (e.g. /usr/lib/jvm/temurin-25-jdk-amd64).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
filter="${1:-dev.dataenc.bench}"
out="${BENCH_OUT:-$root/bench/results}"
mkdir -p "$out"
# one reactor run builds the modules and writes integration-tests' class path (written last)
mvn -q -B -DskipTests package dependency:build-classpath -pl integration-tests -am \
  -Dmdep.outputFile="$out/classpath.txt" -Dmdep.includeScope=runtime >&2
cp="$root/integration-tests/target/classes:$(cat "$out/classpath.txt")"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
json="$out/jmh-$stamp.json"
"$java_bin" -version 2>&1 | head -1 >&2
"$java_bin" -cp "$cp" org.openjdk.jmh.Main "$filter" \
  ${JMH_OPTS:--f 1 -wi 4 -w 2s -i 5 -r 2s -jvmArgs -Xmx2g} -rf json -rff "$json" >&2
python3 "$root/bench/table.py" "$json"
