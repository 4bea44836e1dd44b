#!/bin/sh
# dbguard test-cluster watchdog (part of dbguard-test-support).
# Usage: watchdog.sh <owner-pid> <command> [args...]
# Runs the command in a new session (its own process group) and kills that whole group when
#  - this wrapper gets SIGTERM/SIGINT (forwarded as SIGTERM to the group), or
#  - the owner (the test JVM) or this wrapper disappears, e.g. after kill -9 (SIGKILL to the group,
#    checked once a second).
# Exits with the command's exit status (128 + signal number when it was killed by a signal).
# DBGUARD_WATCHDOG_CLEANUP: space-separated paths deleted once the command is gone (etcd's data
# directories, which kube-api-test can no longer delete when the JVM was killed).
owner="$1"
shift
me=$$
setsid "$@" &
child=$!
(
  while kill -0 "$owner" 2>/dev/null && kill -0 "$me" 2>/dev/null && kill -0 "$child" 2>/dev/null; do
    sleep 1
  done
  kill -KILL "-$child" 2>/dev/null
  if [ -n "${DBGUARD_WATCHDOG_CLEANUP:-}" ]; then
    sleep 1
    for path in $DBGUARD_WATCHDOG_CLEANUP; do rm -rf -- "$path"; done
  fi
) </dev/null >/dev/null 2>&1 &
trap 'kill -TERM "-$child" 2>/dev/null' TERM INT
rc=0
while :; do
  wait "$child"
  rc=$?
  kill -0 "$child" 2>/dev/null || break
done
exit "$rc"
