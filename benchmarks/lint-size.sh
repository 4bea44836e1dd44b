#!/usr/bin/env bash
# Lint time against migration size (issue: `lint` was super-linear, 50 MB took 666 s).
# Generates SQL data migrations of 1, 10 and 50 MB (reused between runs) and lints each with
# `dbguard`'s analyzer in a fresh JVM (as `dbguard lint FILE` runs), then with squawk on the same
# file if squawk is installed (benchmarks/squawk-compare.sh installs it). Prints seconds and MB/s.
# Usage: benchmarks/lint-size.sh [work-dir=/tmp/dbguard-lint-size] [MB…=1 10 50]
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${1:-/tmp/dbguard-lint-size}"
shift || true
if [ $# -eq 0 ]; then set -- 1 10 50; fi
SIZES=("$@")
./mvnw -q -B -o -pl benchmarks -am compile -Dspotless.check.skip
DEPS="$(mktemp)"
./mvnw -q -B -pl core dependency:build-classpath -Dmdep.outputFile="$DEPS" >/dev/null
CP="benchmarks/target/classes:core/target/classes:$(cat "$DEPS")"
rm -f "$DEPS"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
mapfile -t FILES < <(java -cp "$CP" io.dbguard.benchmarks.LintSizeBenchmark generate "$WORK" "${SIZES[@]}")
SQUAWK="$(find "${HOME}/.cache/dbguard/squawk/node_modules/@squawk-cli" -path '*/bin/squawk' -type f 2>/dev/null | head -1 || true)"
for f in "${FILES[@]}"; do
  START=$(date +%s.%N)
  java -cp "$CP" io.dbguard.benchmarks.LintSizeBenchmark lint "$f"
  END=$(date +%s.%N)
  echo "  dbguard wall (JVM start included): $(python3 -c "print(round($END - $START, 2))") s"
  if [ -n "$SQUAWK" ]; then
    START=$(date +%s.%N)
    "$SQUAWK" "$f" > /dev/null 2>&1 || true
    END=$(date +%s.%N)
    echo "  squawk $("$SQUAWK" --version | awk '{print $2}') wall: $(python3 -c "print(round($END - $START, 2))") s"
  fi
done
