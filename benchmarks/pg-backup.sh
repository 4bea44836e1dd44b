#!/usr/bin/env bash
# PostgreSQL backup benchmark: bare default `pg_dump -Fc` (what deployers run today) versus
# dbguard's whole safe backup (dump + SHA-256 + full archive read + profile + manifest), in the
# same run against the same database. Results go to docs/benchmarks-postgres.md by hand.
#
#   source /tmp/pgenv.sh            # or: eval "$(scripts/pg-test-server.sh start)"
#   benchmarks/pg-backup.sh [runs]  # default 3 runs of each side; best and all times are printed
#
# Environment: DBGUARD_TEST_PG_URL (superuser URL of the server, its database part is ignored),
# DBGUARD_PG_BIN_DIR (pg_dump/pg_restore directory), BENCH_DB (default dbguard_bench),
# BENCH_SCALE (pgbench scale, default 70 = ~1 GB), BENCH_TEXT_ROWS (rows of the md5-text table
# bench_docs, default 1000000), BENCH_DIR (scratch directory, default /tmp/dbguard-bench). The
# database is generated once and reused while its size is >= 1 GB.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
: "${DBGUARD_TEST_PG_URL:?set DBGUARD_TEST_PG_URL (source /tmp/pgenv.sh)}"
BIN="${DBGUARD_PG_BIN_DIR:-$(dirname "$(command -v pg_dump)")}"
DB="${BENCH_DB:-dbguard_bench}"
SCALE="${BENCH_SCALE:-70}"
TEXT_ROWS="${BENCH_TEXT_ROWS:-1000000}"
DIR="${BENCH_DIR:-/tmp/dbguard-bench}"
mkdir -p "$DIR"

# libpq environment from the URL (password only in the environment, never on a command line)
rest="${DBGUARD_TEST_PG_URL#*://}"
userinfo="${rest%%@*}"; hostpart="${rest#*@}"; hostport="${hostpart%%/*}"
export PGUSER="${userinfo%%:*}" PGPASSWORD="${userinfo#*:}"
export PGHOST="${hostport%%:*}" PGPORT="${hostport##*:}"

size_bytes() { psql -X -At -d postgres -c "SELECT pg_database_size('$DB')" 2>/dev/null || echo 0; }
if [ "$(size_bytes)" -lt 1000000000 ]; then
  echo "generating $DB (pgbench scale $SCALE + a text table) ..." >&2
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  "$BIN/pgbench" -q -i -s "$SCALE" "$DB" >&2 || pgbench -q -i -s "$SCALE" "$DB" >&2
  psql -X -q -d "$DB" -c "CREATE TABLE bench_docs AS SELECT g AS id, md5(g::text) || ' ' ||
      repeat(md5((g * 7)::text), 3) AS body, now() - g * interval '1 second' AS created_at
      FROM generate_series(1, $TEXT_ROWS) g" -c "ALTER TABLE bench_docs ADD PRIMARY KEY (id)" \
    -c "VACUUM ANALYZE"
fi
echo "database $DB: $(size_bytes) bytes" >&2

# Build the benchmark classpath once (core + its dependencies, no install).
./mvnw -q -pl benchmarks -am -DskipTests -Dspotless.check.skip compile
./mvnw -q -pl core dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="benchmarks/target/classes:core/target/classes:$(cat core/target/classpath.txt)"
exec java -cp "$CP" io.dbguard.benchmarks.PgBackupBenchmark "$DB" "$DIR" "$RUNS" "$BIN"
