#!/usr/bin/env bash
# PostgreSQL restore benchmark (issue 15 target 1): bare `pg_restore -d fresh` (default: one
# session), bare `pg_restore -jN -d fresh`, the floor of a verified restore (`pg_restore -jN`, then
# one count(*) of every table), `dbguard restore` through the jar and in-process, all
# from the same archive (one dbguard backup of the database), alternating rounds, load average
# printed with every figure. Results go to docs/benchmarks.md by hand.
#
#   source the test environment (DBGUARD_TEST_PG_URL: a role with CREATEDB; DBGUARD_PG_BIN_DIR)
#   benchmarks/pg-restore-data.sh rp_bench_small 500     # once per data set (~0.5 GB)
#   benchmarks/pg-restore-data.sh rp_bench_large 1500    # (~1.4 GB)
#   benchmarks/pg-restore.sh rp_bench_small [rounds=3] [jobs=0: auto]
set -euo pipefail
cd "$(dirname "$0")/.."
DB="$1"; ROUNDS="${2:-3}"; JOBS="${3:-0}"
: "${DBGUARD_TEST_PG_URL:?set DBGUARD_TEST_PG_URL (source the test environment)}"
BIN="${DBGUARD_PG_BIN_DIR:-$(dirname "$(command -v pg_restore)")}"
DIR="${BENCH_DIR:-/tmp/dbguard-restore-bench}"
JAR=init-container/target/dbguard.jar
[ -f "$JAR" ] || ./mvnw -q -B -pl init-container -am package -DskipTests
./mvnw -q -B -pl benchmarks -am -DskipTests -Dspotless.check.skip compile
./mvnw -q -B -pl core dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="benchmarks/target/classes:core/target/classes:$(cat core/target/classpath.txt)"
exec java -cp "$CP" io.dbguard.benchmarks.PgRestoreBenchmark "$DB" "$DIR" "$ROUNDS" "$BIN" "$JAR" "$JOBS"
