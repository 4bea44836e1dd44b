#!/usr/bin/env bash
# Content-checksum cost benchmark: dbguard's profile (a count scan per table), its --content-checksum
# profile (a checksum per column) and a per-table order-independent checksum of every row, on a pgbench database of a few
# hundred MB, in the same run. Results go to docs/benchmarks.md by hand.
#
#   eval "$(scripts/pg-test-server.sh start)"
#   benchmarks/content-checksum.sh [runs]   # default 5 runs of each variant, medians printed
#
# Environment: DBGUARD_TEST_PG_URL (superuser URL; its database part is ignored),
# BENCH_DB (default dbguard_checksum_bench), BENCH_SCALE (pgbench scale, default 25 = ~380 MB).
# The database is generated once and reused while it exists.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
: "${DBGUARD_TEST_PG_URL:?set DBGUARD_TEST_PG_URL (eval "$(scripts/pg-test-server.sh start)")}"
BIN="${DBGUARD_PG_BIN_DIR:-$(dirname "$(command -v psql)")}"
DB="${BENCH_DB:-dbguard_checksum_bench}"
SCALE="${BENCH_SCALE:-25}"

rest="${DBGUARD_TEST_PG_URL#*://}"
userinfo="${rest%%@*}"; hostpart="${rest#*@}"; hostport="${hostpart%%/*}"
export PGUSER="${userinfo%%:*}" PGPASSWORD="${userinfo#*:}"
export PGHOST="${hostport%%:*}" PGPORT="${hostport##*:}"

if [ "$(psql -X -At -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = '$DB'")" = 0 ]; then
  echo "generating $DB (pgbench scale $SCALE) ..." >&2
  psql -X -q -d postgres -c "CREATE DATABASE $DB"
  "$BIN/pgbench" -q -i -s "$SCALE" "$DB" >&2
  psql -X -q -d "$DB" -c "VACUUM ANALYZE"
fi
echo "database $DB: $(psql -X -At -d postgres -c "SELECT pg_size_pretty(pg_database_size('$DB'))")" >&2

./mvnw -q -pl benchmarks -am -DskipTests -Dspotless.check.skip compile
./mvnw -q -pl core dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="benchmarks/target/classes:core/target/classes:$(cat core/target/classpath.txt)"
exec java -cp "$CP" io.dbguard.benchmarks.ContentChecksumBenchmark "$DB" "$RUNS"
