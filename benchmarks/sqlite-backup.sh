#!/usr/bin/env bash
# SQLite backup benchmark: dbguard's verified backup vs `sqlite3 .backup` on a generated database
# of at least 1000 MiB (1.05 GB) (reused between runs), same machine, same run, alternating rounds.
# Usage: benchmarks/sqlite-backup.sh [work-dir=/tmp/dbguard-engine-sqlite-bench] [min-MiB=1000] [rounds=3]
# Needs Java 17 and the sqlite3 command-line shell (apt-get install sqlite3).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed (apt-get install sqlite3)" >&2; exit 1; }
./mvnw -q -B -pl benchmarks -am package -DskipTests
# core's own classes plus its third-party dependencies (no `mvn install` needed)
DEPS="$(mktemp)"
./mvnw -q -B -pl core dependency:build-classpath -Dmdep.outputFile="$DEPS" >/dev/null
CP="benchmarks/target/classes:core/target/classes:$(cat "$DEPS")"
rm -f "$DEPS"
exec java -cp "$CP" io.dbguard.benchmarks.SqliteBackupBenchmark "${1:-/tmp/dbguard-engine-sqlite-bench}" "${2:-1000}" "${3:-3}"
