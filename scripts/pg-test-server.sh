#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL server for the engine and operator test tiers:
# loopback only, a fresh data directory, run as the non-root user `postgres`, password auth.
#
#   scripts/pg-test-server.sh start   -> prints `export DBGUARD_TEST_PG_URL=...` lines on stdout
#   scripts/pg-test-server.sh stop
#
# Installs the server and client from Debian's packages when they are missing.
# The test password is not a secret (a throwaway, loopback-only cluster) but is still only passed
# to tests through the environment, never on a command line.
set -euo pipefail
PORT="${DBGUARD_TEST_PG_PORT:-55432}"
STATE="${DBGUARD_TEST_PG_STATE:-/tmp/dbguard-test-pg}"
PGUSER_OS=postgres
log() { echo "[pg-test-server] $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u "$PGUSER_OS" -- "$@"; else sudo -u "$PGUSER_OS" "$@"; fi; }

find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

cmd="${1:-start}"
if [ "$cmd" = stop ]; then
  if BIN=$(find_bin) && [ -f "$STATE/data/postmaster.pid" ]; then
    as_pg "$BIN/pg_ctl" -D "$STATE/data" -m fast -w stop >&2 || true
  fi
  exit 0
fi

if ! BIN=$(find_bin) || ! command -v pg_dump >/dev/null; then
  log "installing PostgreSQL from Debian's packages"
  as_root apt-get update -q >&2 || true
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql postgresql-client >&2
  BIN=$(find_bin) || { log "ERROR: initdb not found after install"; exit 1; }
fi
id "$PGUSER_OS" >/dev/null 2>&1 || as_root useradd --system --create-home "$PGUSER_OS"

# Stop a leftover server from an earlier run, then start fresh.
if [ -f "$STATE/data/postmaster.pid" ]; then
  as_pg "$BIN/pg_ctl" -D "$STATE/data" -m immediate -w stop >&2 || true
fi
as_root rm -rf "$STATE"
mkdir -p "$STATE"
PASSWORD="dbguard-test-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$PASSWORD" > "$STATE/pwfile"
chmod 0600 "$STATE/pwfile"
as_root chown -R "$PGUSER_OS" "$STATE"
as_pg "$BIN/initdb" -D "$STATE/data" -U dbguard --pwfile="$STATE/pwfile" \
  --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
as_root rm -f "$STATE/pwfile"
as_pg "$BIN/pg_ctl" -D "$STATE/data" -l "$STATE/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $STATE -c fsync=off -c max_connections=200" start >&2
log "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (data $STATE/data)"
echo "export DBGUARD_TEST_PG_URL='postgresql://dbguard:${PASSWORD}@127.0.0.1:${PORT}/postgres'"
echo "export DBGUARD_PG_BIN_DIR='$BIN'"
