#!/usr/bin/env bash
# Cold start (integration-tests/src/main/java/dev/dataenc/bench/ColdStart.java): time from
# DataEncService.start to the first encryption, each run in a new JVM, on H2 and on PostgreSQL.
# The first run per database makes a new registry (schema migrations, first CDK); the others restart on it.
#   bench/run-coldstart.sh                  # H2 and PostgreSQL, 1 first start + 5 restarts each
#   RUNS=3 bench/run-coldstart.sh h2        # one database, 3 restarts
#   PROFILE=1 bench/run-coldstart.sh h2     # also print where the start spends its time (sampled)
# PostgreSQL: DATAENC_TEST_PG_URL (+ DATAENC_TEST_PG_USER) reuses a server; otherwise a private one is
# started as in bench/run-migration.sh (127.0.0.1, fsync=off) and stopped at exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${RUNS:-5}"
dbs="${*:-h2 postgres}"
out="${BENCH_OUT:-$root/bench/results}"
mkdir -p "$out"
mvn -o -q -B -DskipTests package dependency:build-classpath -pl integration-tests -am \
  -Dmdep.outputFile="$out/classpath.txt" -Dmdep.includeScope=runtime >&2
cp="$root/integration-tests/target/classes:$(cat "$out/classpath.txt")"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
java_opts="${JAVA_OPTS:--Xmx512m}"
profile="${PROFILE:+profile}"

pg_url="${DATAENC_TEST_PG_URL:-}"
pg_user="${DATAENC_TEST_PG_USER:-postgres}"
pg_dir=""
work="$(mktemp -d /tmp/dataenc-coldstart.XXXXXX)"
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi; }
cleanup() {
  if [ -n "$pg_dir" ]; then
    as_pg "$pg_bin/pg_ctl -D $pg_dir/data -m immediate -w stop >/dev/null 2>&1" || true
    rm -rf "$pg_dir"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
if [[ " $dbs " == *" postgres "* && -z "$pg_url" ]]; then
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  pg_dir="$(mktemp -d /tmp/dataenc-bench-pg.XXXXXX)"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
  as_pg "$pg_bin/initdb -D $pg_dir/data -U postgres -A trust --no-sync -E UTF8 >$pg_dir/initdb.log 2>&1 && \
    $pg_bin/pg_ctl -D $pg_dir/data -o '-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c fsync=off' \
    -l $pg_dir/server.log -w start >/dev/null"
  pg_url="jdbc:postgresql://127.0.0.1:$port/"
  pg_user=postgres
fi

"$java_bin" -version 2>&1 | head -1
for db in $dbs; do
  for i in $(seq 0 "$runs"); do
    if [ "$db" = postgres ]; then
      "$java_bin" $java_opts -cp "$cp" dev.dataenc.bench.ColdStart postgres "$work/pg" "$pg_url" "$pg_user" $profile
    else
      "$java_bin" $java_opts -cp "$cp" dev.dataenc.bench.ColdStart h2 "$work/h2" $profile
    fi
  done
done
