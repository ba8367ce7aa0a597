#!/usr/bin/env bash
# The switch-at-scale benchmark (integration-tests/src/test/java/dev/dataenc/bench/SwitchBench.java):
# seed N CDKs under a local keystore straight into the H2 registry, then time the keystore switch that
# re-wraps them all, to another local keystore and to aws-kms on the project's KMS test server with an
# injected latency per request, one CDK at a time (rewrap-concurrency=1) and concurrently (the default).
#   bench/run-switch.sh                          # 10,000 CDKs, 20 ms: local, kms-seq, kms
#   CDKS=1000 bench/run-switch.sh kms-seq kms:32  # fewer CDKs, chosen cases
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cdks="${CDKS:-10000}"
latency="${LATENCY_MS:-20}"
out="${BENCH_OUT:-$root/bench/results}"
mkdir -p "$out"
# the KMS test server is in kms-keystore's test-jar: the benchmark runs on integration-tests' test class path
mvn -o -q -B -DskipTests package dependency:build-classpath -pl integration-tests -am \
  -Dmdep.outputFile="$out/classpath-test.txt" -Dmdep.includeScope=test >&2
cp="$root/integration-tests/target/test-classes:$root/integration-tests/target/classes:$(cat "$out/classpath-test.txt")"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java_bin" -version 2>&1 | head -1
# http.maxConnections: the JDK HTTP client (the SDK's url-connection-client) keeps at most this many idle
# connections per host (default 5); below rewrap-concurrency, extra connections are opened for every request
"$java_bin" ${JAVA_OPTS:--Xmx1g -Dhttp.maxConnections=64} -cp "$cp" dev.dataenc.bench.SwitchBench "$cdks" "$latency" "$@"
