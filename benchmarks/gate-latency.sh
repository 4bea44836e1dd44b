#!/usr/bin/env bash
# Rollout-gate latency benchmark: `dbguard gate` process start -> exit on the test control plane,
# against the floor `java -jar dbguard.jar --version`, with and without the AppCDS archive that the
# image build makes (init-container/dbguard-cds.sh), with the flags of the image's wrapper
# (init-container/dbguard-wrapper.sh), and, given a second jar, that jar as the image would run it.
# Alternating rounds, same run.
# Usage: benchmarks/gate-latency.sh [rounds=20] [before.jar ...]
# Needs the Kubernetes binaries (scripts/k8s-binaries.sh; cached after the first build).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-20}"
KUBE_API_TEST_DIR="$(bash scripts/k8s-binaries.sh | tail -n 1)"
export KUBE_API_TEST_DIR KUBE_API_TEST_OFFLINE_MODE=true KUBE_API_TEST_API_SERVER_VERSION=1.20.2
DEPS="$(mktemp)"
# Build the jar and the benchmark; the classpath of the last module (benchmarks) stays in $DEPS.
./mvnw -q -B -pl benchmarks,init-container -am package dependency:build-classpath -DskipTests \
  -Dspotless.check.skip -Dmdep.outputFile="$DEPS" >/dev/null
CP="benchmarks/target/classes:$(cat "$DEPS")"
rm -f "$DEPS"
JAR="$PWD/init-container/target/dbguard.jar"
CDS="$(mktemp -d)/dbguard.jsa"
bash init-container/dbguard-cds.sh "$JAR" "$CDS"
# "before" (optional further arguments): other builds of dbguard.jar, e.g. of the previous commit,
# each with its own archive made by the same script, run as the image runs it, alternating with
# this one.
BEFORE=-
shift || true
for other in "$@"; do
  copy="$(dirname "$CDS")/$(basename "$other")"
  cp "$other" "$copy"
  bash init-container/dbguard-cds.sh "$copy" "${copy%.jar}.jsa"
  if [ "$BEFORE" = - ]; then BEFORE="$copy"; else BEFORE="$BEFORE,$copy"; fi
done
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
DBGUARD_REPO_ROOT="$PWD" java -cp "$CP" io.dbguard.benchmarks.GateLatencyBenchmark "$JAR" "$CDS" "$BEFORE" "$ROUNDS"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$(dirname "$CDS")"
