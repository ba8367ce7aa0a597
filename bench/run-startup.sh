#!/usr/bin/env bash
# Start-up time of DataEncService in a fresh JVM (integration-tests/src/main/java/dev/dataenc/bench/StartupMain.java),
# run 3 times; prints one block per run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${BENCH_OUT:-$root/bench/results}"
mkdir -p "$out"
mvn -q -B -DskipTests package dependency:build-classpath -pl integration-tests -am \
  -Dmdep.outputFile="$out/classpath.txt" -Dmdep.includeScope=runtime >&2
cp="$root/integration-tests/target/classes:$(cat "$out/classpath.txt")"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
for i in 1 2 3; do
  echo "run $i"
  "$java_bin" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" dev.dataenc.bench.StartupMain
done
