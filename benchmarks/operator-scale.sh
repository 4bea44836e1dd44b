#!/usr/bin/env bash
# The operator at scale: N pending DatabaseMigrations (SQLite specs) in M namespaces, then B applied
# at once, on the test control plane, with the operator in its own JVM (-Xmx512m, JOSDK defaults).
# Prints heap after GC, the idle reconcile rate, the control plane's floor (B ConfigMaps, then B
# Jobs created at once: call and create -> seen by a watch), create -> backup Job p50/p99 with its
# split as the benchmark sees it (create call, create -> status seen, status seen -> Job seen) and
# reconcile p50/p99 (JOSDK's timer). See OperatorScaleBenchmark.
# For the operator's side of the split set DBGUARD_BENCH_LOGBACK=$PWD/benchmarks/operator-split/logback.xml
# and run benchmarks/operator-burst-split.py on the burst's TSV and the operator log it names.
# Mode `running`: R SQLite migrations applied at once in M namespaces, each running backup ->
# migrate -> verify -> Succeeded, the dbguard tool image played by benchmarks/fake-dbguard-step.sh
# (a BENCHMARK FAKE: no backup, no check), the local node running at most P pods at once; after
# W minutes it reports what ended. See
# OperatorRunningBenchmark.
# Usage: benchmarks/operator-scale.sh [N=2000] [M=50] [B=50]
#        benchmarks/operator-scale.sh running R [M=4] [P=12] [W=60]
# Needs the Kubernetes binaries (scripts/k8s-binaries.sh; cached after the first build).
set -euo pipefail
cd "$(dirname "$0")/.."
KUBE_API_TEST_DIR="$(bash scripts/k8s-binaries.sh | tail -n 1)"
export KUBE_API_TEST_DIR KUBE_API_TEST_OFFLINE_MODE=true KUBE_API_TEST_API_SERVER_VERSION=1.20.2
OPDEPS="$(mktemp)"
DEPS="$(mktemp)"
# The operator's runtime classpath (last module of the first build), the benchmark's (second).
./mvnw -q -B -pl operator -am package dependency:build-classpath -DskipTests \
  -Dspotless.check.skip -Dmdep.includeScope=runtime -Dmdep.outputFile="$OPDEPS" >/dev/null
./mvnw -q -B -pl benchmarks -am package dependency:build-classpath -DskipTests \
  -Dspotless.check.skip -Dmdep.outputFile="$DEPS" >/dev/null
OPCP="$PWD/operator/target/classes:$(cat "$OPDEPS")"
CP="benchmarks/target/classes:$(cat "$DEPS")"
rm -f "$OPDEPS" "$DEPS"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
if [ "${1:-}" = running ]; then
  DBGUARD_REPO_ROOT="$PWD" java -cp "$CP" io.dbguard.benchmarks.OperatorScaleBenchmark "$OPCP" \
    running "${2:-100}" "${3:-4}" "${4:-12}" "${5:-60}"
else
  DBGUARD_REPO_ROOT="$PWD" java -cp "$CP" io.dbguard.benchmarks.OperatorScaleBenchmark "$OPCP" \
    "${1:-2000}" "${2:-50}" "${3:-50}"
fi
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
