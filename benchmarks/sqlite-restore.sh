#!/usr/bin/env bash
# SQLite restore benchmark (issue 15 target 1): `sqlite3 <db> ".restore <backup>"` (bare), the floor
# (bare + PRAGMA integrity_check of the result), dbguard's previous restore (each step timed) and
# SqliteEngine.restore, of the same backup, alternating rounds, load printed per figure.
# Usage: benchmarks/sqlite-restore.sh [work-dir=/tmp/dbguard-sqlite-restore-bench] [min-MiB=500] [rounds=3]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed (apt-get install sqlite3)" >&2; exit 1; }
./mvnw -q -B -pl benchmarks -am -DskipTests -Dspotless.check.skip compile
./mvnw -q -B -pl core dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="benchmarks/target/classes:core/target/classes:$(cat core/target/classpath.txt)"
exec java -cp "$CP" io.dbguard.benchmarks.SqliteRestoreBenchmark "${1:-/tmp/dbguard-sqlite-restore-bench}" "${2:-500}" "${3:-3}"
