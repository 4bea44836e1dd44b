#!/usr/bin/env bash
# Peak disk use of a restore (issue 15 item 5): SQLite (journal_mode DELETE and WAL, files in the
# database's directory) and the PostgreSQL swap restore (all databases on the server + WAL),
# sampled every 20 ms while `restore` runs, on a generated database of about <MiB> MiB.
# Usage: benchmarks/restore-disk-peak.sh [work-dir=/tmp/dbguard-restore-disk] [MiB=200] [pg-only]
# PostgreSQL: DBGUARD_TEST_PG_URL (a role with CREATEDB) and DBGUARD_PG_BIN_DIR; without the URL
# only SQLite is measured.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${1:-/tmp/dbguard-restore-disk}"
MIB="${2:-200}"
rm -rf "$WORK"
./mvnw -q -B -pl benchmarks -am -DskipTests -Dspotless.check.skip compile
./mvnw -q -B -pl core dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="benchmarks/target/classes:core/target/classes:$(cat core/target/classpath.txt)"
PG="-"
if [[ -n "${DBGUARD_TEST_PG_URL:-}" ]]; then PG="${DBGUARD_PG_BIN_DIR:-/usr/lib/postgresql/15/bin}"; fi
java -cp "$CP" io.dbguard.benchmarks.RestoreDiskPeakBenchmark "$WORK" "$MIB" "$PG" ${3:-}
rm -rf "$WORK"
