#!/usr/bin/env bash
# dbguard demo: builds the CLI and runs `dbguard run` on a fresh SQLite shop database under
# ./demo/ — a new database, a good migration with a verified backup, a failing migration that is
# rolled back, and a migration that drops data and is rolled back. Needs only Java 17.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
EX="$ROOT/examples/sqlite-demo/releases"

echo "==> building dbguard.jar (./mvnw -q -B -pl init-container -am package -DskipTests)"
./mvnw -q -B -pl init-container -am package -DskipTests
JAR="$ROOT/init-container/target/dbguard.jar"

rm -rf "$ROOT/demo"
mkdir -p "$ROOT/demo/backups"
export DATABASE_URL="sqlite:$ROOT/demo/shop.db"
dbguard() { java -jar "$JAR" "$@"; }

run() {
  local title="$1"; shift
  echo
  echo "################################################################################"
  echo "# $title"
  echo "################################################################################"
  set +e
  dbguard run --backup-dir "$ROOT/demo/backups" --environment demo \
    --seed-sql "$ROOT/examples/sqlite-demo/seed.sql" "$@"
  local rc=$?
  set -e
  echo "(dbguard exited with $rc)"
  return 0
}

run "1. release 1.0 on a new database: schema + seed" \
  --sql-dir "$EX/1.0"

run "2. release 1.1: a good migration, protected by a verified backup" \
  --sql-dir "$EX/1.0" --sql-dir "$EX/1.1"

run "3. release 1.2: V4 adds a table, a foreign key and a column, then V5 fails" \
  --sql-dir "$EX/1.0" --sql-dir "$EX/1.1" --sql-dir "$EX/1.2-broken"

run "4. release 1.3: drops customers.phone, which holds data" \
  --sql-dir "$EX/1.0" --sql-dir "$EX/1.1" --sql-dir "$EX/1.3-drops-data"

echo
echo "==> backups kept in demo/backups"
dbguard backups list --backup-dir "$ROOT/demo/backups"
echo
echo "==> the database is still at release 1.1 with all its data:"
dbguard verify-data --backup-dir "$ROOT/demo/backups"
