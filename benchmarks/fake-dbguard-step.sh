#!/bin/sh
# BENCHMARK FAKE - NOT dbguard. Plays the `dbguard` command of the tool image for
# OperatorRunningBenchmark (benchmarks/operator-scale.sh running R): it takes no backup, checks
# nothing and touches no database. It only speaks the Job <-> operator API of docs/architecture.md
# ("Jobs"): the step's exit code, and its StepResult JSON in the termination message
# (--termination-log PATH, else $DBGUARD_TERMINATION_MESSAGE_PATH). So a benchmark can run
# thousands of step Jobs through the operator without a JVM per pod. Never map it outside a
# benchmark: a migration it "protects" has no backup.
#
# Played: `backup` (BackupVerified, with a backup reference whose file does not exist and whose
# sha256 is that of zero bytes) and `verify-data` (DataVerified). Any other step exits 3 (ToolError)
# with a result saying the fake does not play it, so an unexpected step shows as a failure.
step="$1"
log="${DBGUARD_TERMINATION_MESSAGE_PATH:-}"
db=db
env=production
dir=.
backup=
while [ $# -gt 0 ]; do
  case "$1" in
    --termination-log) log="$2"; shift ;;
    --database-name) db="$2"; shift ;;
    --environment) env="$2"; shift ;;
    --backup-dir) dir="$2"; shift ;;
    --backup) backup="$2"; shift ;;
  esac
  shift
done
now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
case "$step" in
  backup)
    name="${db}_${env}_$(date -u +%Y%m%d_%H%M%S)"
    code=0
    result="{\"step\":\"backup\",\"exitCode\":0,\"reason\":\"BackupVerified\",\"message\":\"benchmark fake: no backup taken\",\"backup\":{\"name\":\"$name\",\"file\":\"$dir/$name.sqlite3\",\"sizeBytes\":0,\"sha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\"verifiedAt\":\"$now\"}}"
    ;;
  verify-data)
    code=0
    result="{\"step\":\"verify-data\",\"exitCode\":0,\"reason\":\"DataVerified\",\"message\":\"benchmark fake: nothing checked against $backup\"}"
    ;;
  *)
    code=3
    result="{\"step\":\"$step\",\"exitCode\":3,\"reason\":\"ToolError\",\"message\":\"benchmark fake: step $step is not played\"}"
    ;;
esac
if [ -n "$log" ]; then
  printf '%s' "$result" > "$log"
fi
echo "$result"
exit "$code"
