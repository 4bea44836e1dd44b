#!/usr/bin/env bash
# Compare dbguard's analysis with squawk on the PostgreSQL SQL subset of the labelled corpus
# (core/src/test/resources/corpus: pg/, flyway/, golang-migrate/ *.sql, down files excluded).
# Prints agreement, disagreements and the throughput of both tools measured in the same run.
#
# Requirements: node/npm (squawk-cli is installed into ~/.cache/dbguard/squawk, it runs offline),
# Java 17, python3. Usage: benchmarks/squawk-compare.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-20}"
SQUAWK_DIR="${HOME}/.cache/dbguard/squawk"
SQUAWK="${SQUAWK_DIR}/node_modules/.bin/squawk"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [ ! -x "$SQUAWK" ]; then
  mkdir -p "$SQUAWK_DIR"
  (cd "$SQUAWK_DIR" && npm init -y >/dev/null && npm install --no-audit --no-fund squawk-cli >/dev/null)
fi
# time the native binary the npm package ships (the js wrapper adds a node start per run)
NATIVE="$(find "$SQUAWK_DIR/node_modules/@squawk-cli" -path '*/bin/squawk' -type f 2>/dev/null | head -1)"
if [ -n "$NATIVE" ]; then SQUAWK="$NATIVE"; fi
echo "squawk: $("$SQUAWK" --version) ($SQUAWK)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

./mvnw -q -o -pl core compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="core/target/classes:$(cat "$WORK/cp.txt")"

find core/src/test/resources/corpus/pg core/src/test/resources/corpus/flyway \
     core/src/test/resources/corpus/golang-migrate -name '*.sql' ! -name '*.down.sql' > "$WORK/files.txt"
# the held-out batches, PostgreSQL files only (SQLite files use PRAGMA)
find core/src/test/resources/corpus/tricky core/src/test/resources/corpus/tricky2 -maxdepth 1 \
     -name '*.sql' -exec grep -L PRAGMA {} + >> "$WORK/files.txt"
sort -o "$WORK/files.txt" "$WORK/files.txt"
echo "files: $(wc -l < "$WORK/files.txt")"

javac -d "$WORK/bench" -cp "$CP" benchmarks/squawk/DbguardBench.java
java -cp "$CP:$WORK/bench" DbguardBench "$WORK/files.txt" 5 "$ROUNDS" > "$WORK/dbguard.json"
COLD_START=$(date +%s.%N)
java -cp "$CP:$WORK/bench" DbguardBench "$WORK/files.txt" 0 1 > /dev/null
COLD_END=$(date +%s.%N)
DBG_COLD=$(python3 -c "print($COLD_END - $COLD_START)")

# squawk exits 1 when it finds anything; that is not an error here
mapfile -t FILES < "$WORK/files.txt"
"$SQUAWK" --reporter json "${FILES[@]}" > "$WORK/squawk.json" || true
for _ in 1 2 3; do "$SQUAWK" --reporter json "${FILES[@]}" > /dev/null || true; done
START=$(date +%s.%N)
for _ in $(seq "$ROUNDS"); do "$SQUAWK" --reporter json "${FILES[@]}" > /dev/null || true; done
END=$(date +%s.%N)
SQUAWK_SECS=$(python3 -c "print($END - $START)")

python3 benchmarks/squawk/compare.py "$WORK/dbguard.json" "$WORK/squawk.json" "$SQUAWK_SECS" "$ROUNDS" "$DBG_COLD"
