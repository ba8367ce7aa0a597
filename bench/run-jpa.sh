#!/usr/bin/env bash
# Measures the JPA user types' overhead per entity load (jpa/src/test/java/dev/dataenc/jpa/bench/JpaLoadBench):
# 1,000 entities with two 64-character strings loaded from in-memory H2 by EntityManager.find and by one query,
# as plain String, EncryptedStringType and DeterministicStringType, interleaved in one run; prints a table of
# µs per entity (median and min of wall and thread CPU time) and the overhead vs plain. A plain main, not JMH.
#   bench/run-jpa.sh                 # 1000 rows, 50 warm-up + 50 measured rounds (~20 s after the build on 2 cores)
#   bench/run-jpa.sh 1000 3 5        # rows, warm-up rounds, measured rounds (a short run)
# Runs on the jpa module's compile Hibernate (6.6). Set JAVA_HOME to measure on another JDK.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${BENCH_OUT:-$root/bench/results}"
mkdir -p "$out"
# one reactor run builds the modules (with the test-jars the benchmark uses) and writes jpa's test class path
# (jpa is built last, so its class path is the file's final content)
mvn -q -B ${MVN_OPTS:-} -DskipTests package dependency:build-classpath -pl jpa -am \
  -Dmdep.outputFile="$out/jpa-classpath.txt" -Dmdep.includeScope=test >&2
cp="$root/jpa/target/test-classes:$root/jpa/target/classes:$(cat "$out/jpa-classpath.txt")"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Hibernate logs through slf4j-simple at WARN (jpa/src/test/resources/simplelogger.properties)
"$java_bin" -Xms1g -Xmx1g -Dorg.jboss.logging.provider=slf4j -cp "$cp" dev.dataenc.jpa.bench.JpaLoadBench "$@"
