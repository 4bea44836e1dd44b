#!/usr/bin/env bash
# The full test suite, with everything it needs set up on a fresh Debian machine:
#   0. the sqlite3 CLI, chattr, Django and psycopg2 (Debian packages) when missing;
#   1. a throwaway PostgreSQL server (scripts/pg-test-server.sh), its URL exported to the tests;
#   2. kube-apiserver, kube-controller-manager and etcd (scripts/k8s-binaries.sh, cached by version);
#   3. ./mvnw verify: unit, engine (real SQLite and PostgreSQL, real pg_dump/pg_restore), operator
#      (real control plane + local node) and chart tiers, then the formatting check.
# Extra arguments go to Maven, e.g. scripts/test.sh -pl core -am
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

# The sqlite3 CLI (the operator ITs' sample migrations and the SQLite benchmark call it),
# chattr from e2fsprogs (a failed-copy test makes a file undeletable with it) and Debian's
# python3-django (dbguard plan runs a real Django project's showmigrations) with python3-psycopg2
# (PlanListingIT's Django project is on PostgreSQL).
MISSING=""
command -v sqlite3 >/dev/null 2>&1 || MISSING="$MISSING sqlite3"
command -v chattr >/dev/null 2>&1 || MISSING="$MISSING e2fsprogs"
# Django for the plan's test with a real Django project (PlannerDjangoTest, which fails without it)
/usr/bin/python3 -c "import django" >/dev/null 2>&1 || MISSING="$MISSING python3-django"
/usr/bin/python3 -c "import psycopg2" >/dev/null 2>&1 || MISSING="$MISSING python3-psycopg2"
if [ -n "$MISSING" ]; then
  if [ "$(id -u)" = 0 ]; then AS_ROOT=""; else AS_ROOT="sudo"; fi
  $AS_ROOT apt-get update -q >&2 || true
  # shellcheck disable=SC2086
  $AS_ROOT env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $MISSING >&2
fi

eval "$(bash scripts/pg-test-server.sh start)"
trap 'bash "$ROOT/scripts/pg-test-server.sh" stop' EXIT
export DBGUARD_TEST_PG_URL DBGUARD_PG_BIN_DIR

KUBE_API_TEST_DIR="$(bash scripts/k8s-binaries.sh | tail -n 1)"
export KUBE_API_TEST_DIR KUBE_API_TEST_OFFLINE_MODE=true KUBE_API_TEST_API_SERVER_VERSION=1.20.2

./mvnw -B -ntp verify "$@"
