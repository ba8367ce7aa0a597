#!/usr/bin/env bash
# The migration benchmark (integration-tests/src/main/java/dev/dataenc/bench/MigrationBench.java):
# migrate N encrypted 64-byte values, spread over a few old CDKs, to a new ACTIVE CDK in H2 and in
# PostgreSQL; prints the fill time, dry-run time, records/s and the keystore calls.
#   bench/run-migration.sh                      # 1,000,000 rows in H2 and in PostgreSQL, 4 old CDKs
#   ROWS=200000 bench/run-migration.sh postgres # one database, fewer rows
# Each database also runs BlobMigrationBench: BLOB_ROWS (16) BLOBs of BLOB_MIB (32) MiB in a binary column,
# migration MB/s beside the identity baseline and the raw BLOB decrypt+encrypt rate (BLOB_ROWS=0 skips it).
# Both benchmarks print an identity baseline: the same engine with the crypto replaced by writing each value back.
# PostgreSQL: DATAENC_TEST_PG_URL (+ DATAENC_TEST_PG_USER) reuses a server; otherwise a private one is
# started the way the tests do (initdb into a temporary directory, 127.0.0.1, fsync=off: the figures
# are not bound by disk flushes) and stopped at exit. H2: embedded files, WRITE_DELAY=0.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rows="${ROWS:-1000000}"
cdks="${CDKS:-4}"
blob_rows="${BLOB_ROWS:-16}"
blob_mib="${BLOB_MIB:-32}"
dbs="${*:-h2 postgres}"
out="${BENCH_OUT:-$root/bench/results}"
mkdir -p "$out"
mvn -o -q -B -DskipTests package dependency:build-classpath -pl integration-tests -am \
  -Dmdep.outputFile="$out/classpath.txt" -Dmdep.includeScope=runtime >&2
cp="$root/integration-tests/target/classes:$(cat "$out/classpath.txt")"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
java_opts="${JAVA_OPTS:--Xmx1g}"

pg_url="${DATAENC_TEST_PG_URL:-}"
pg_user="${DATAENC_TEST_PG_USER:-postgres}"
pg_dir=""
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi; }
stop_pg() {
  if [ -n "$pg_dir" ]; then
    as_pg "$pg_bin/pg_ctl -D $pg_dir/data -m immediate -w stop >/dev/null 2>&1" || true
    rm -rf "$pg_dir"
  fi
}
trap stop_pg EXIT
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
  if [ "$db" = postgres ]; then
    "$java_bin" $java_opts -cp "$cp" dev.dataenc.bench.MigrationBench postgres "$rows" "$cdks" "$pg_url" "$pg_user"
    [ "$blob_rows" = 0 ] || "$java_bin" $java_opts -cp "$cp" dev.dataenc.bench.BlobMigrationBench postgres \
      "$blob_rows" "$blob_mib" "$pg_url" "$pg_user"
  else
    "$java_bin" $java_opts -cp "$cp" dev.dataenc.bench.MigrationBench h2 "$rows" "$cdks"
    [ "$blob_rows" = 0 ] || "$java_bin" $java_opts -cp "$cp" dev.dataenc.bench.BlobMigrationBench h2 "$blob_rows" "$blob_mib"
  fi
done
