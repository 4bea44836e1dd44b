#!/usr/bin/env bash
# Generates the PostgreSQL restore benchmark database (issue 15 target 1): several large tables
# (pgbench_accounts, a text table, an events table with a jsonb column and two indexes) of about
# <MB> MB in total. Usage: benchmarks/pg-restore-data.sh <database> <MB: 500 or 1500>
# Environment: DBGUARD_TEST_PG_URL (a role with CREATEDB), DBGUARD_PG_BIN_DIR.
set -euo pipefail
DB="$1"; MB="${2:-500}"
: "${DBGUARD_TEST_PG_URL:?set DBGUARD_TEST_PG_URL (source the test environment)}"
BIN="${DBGUARD_PG_BIN_DIR:-$(dirname "$(command -v pg_restore)")}"
rest="${DBGUARD_TEST_PG_URL#*://}"; userinfo="${rest%%@*}"; hostpart="${rest#*@}"; hostport="${hostpart%%/*}"
export PGUSER="${userinfo%%:*}" PGPASSWORD="${userinfo#*:}" PGHOST="${hostport%%:*}" PGPORT="${hostport##*:}"
# per 500 MB: pgbench scale 12 (~180 MB with its index), 700 000 text rows (~150 MB), 900 000 events
UNITS=$(( MB / 500 )); [ "$UNITS" -lt 1 ] && UNITS=1
SCALE=$(( 12 * UNITS )); DOCS=$(( 700000 * UNITS )); EVENTS=$(( 900000 * UNITS ))
"$BIN/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
"$BIN/pgbench" -q -i -s "$SCALE" "$DB" >/dev/null 2>&1
"$BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$DB" <<SQL
CREATE TABLE docs AS SELECT g AS id, md5(g::text) || ' ' || repeat(md5((g * 7)::text), 3) AS body,
  CASE WHEN g % 5 = 0 THEN NULL ELSE now() - g * interval '1 second' END AS edited_at
  FROM generate_series(1, $DOCS) g;
ALTER TABLE docs ADD PRIMARY KEY (id);
CREATE TABLE events (id bigserial PRIMARY KEY, doc_id int NOT NULL, kind text NOT NULL,
  payload jsonb, at timestamptz NOT NULL DEFAULT now());
INSERT INTO events (doc_id, kind, payload, at)
  SELECT g % $DOCS + 1, (ARRAY['view','edit','share','delete'])[g % 4 + 1],
    CASE WHEN g % 3 = 0 THEN NULL ELSE jsonb_build_object('n', g, 'tag', md5(g::text)) END,
    now() - g * interval '1 minute' FROM generate_series(1, $EVENTS) g;
CREATE INDEX events_doc ON events (doc_id);
SELECT lo_from_bytea(0, convert_to(repeat('large object ', 1000), 'UTF8')) FROM generate_series(1, 20);
VACUUM ANALYZE;
SQL
echo "$DB: $("$BIN/psql" -X -At -d postgres -c "SELECT pg_database_size('$DB')") bytes"
