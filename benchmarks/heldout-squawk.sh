#!/usr/bin/env bash
# File-level comparison of dbguard and squawk on the PostgreSQL files of the held-out corpus
# (core/src/test/resources/heldout/pg, labels in labels.tsv). A file counts as flagged by squawk
# when squawk reports a rule that has a dbguard counterpart (the `squawk:` sources in
# docs/rules.md); squawk rules without one (timeouts, robust statements, style) are ignored.
# dbguard's file levels are read from core/target/heldout-metrics.txt (run HeldOutScore first).
#
# Requirements: squawk-cli in ~/.cache/dbguard/squawk (see squawk-compare.sh), python3.
# Usage: benchmarks/heldout-squawk.sh [heldout-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-core/src/test/resources/heldout}"
SQUAWK="$(find "${HOME}/.cache/dbguard/squawk/node_modules/@squawk-cli" -path '*/bin/squawk' -type f | head -1)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
echo "squawk: $("$SQUAWK" --version)"
tail -n +2 core/src/test/resources/heldout/labels.tsv | awk -F'\t' '$1 ~ /^pg\//' > "$WORK/labels.tsv"
: > "$WORK/squawk.jsonl"
while IFS=$'\t' read -r file label reason; do
  # squawk exits 1 when it finds anything; that is not an error here
  printf '%s\t%s\n' "$file" "$("$SQUAWK" --reporter json "$DIR/$file" 2>/dev/null || true)" >> "$WORK/squawk.jsonl"
done < "$WORK/labels.tsv"
python3 - "$WORK/labels.tsv" "$WORK/squawk.jsonl" docs/rules.md core/target/heldout-metrics.txt <<'PY'
import json, re, sys
labels = {l.split('\t')[0]: l.split('\t')[1] for l in open(sys.argv[1]) if l.strip()}
mapped = set()
for m in re.finditer(r"Sources: (.*)", open(sys.argv[3]).read()):
    mapped.update(re.findall(r"`squawk:([a-z-]+)`", m.group(1)))
squawk = {}
for line in open(sys.argv[2]):
    f, js = line.rstrip('\n').split('\t', 1)
    rules = {v['rule_name'] for v in (json.loads(js) if js.strip() else [])}
    squawk[f] = sorted(r for r in rules if r in mapped)
# dbguard levels of misclassified files; every other file got its label
dbg = dict(labels)
for m in re.finditer(r"^  pg (\w+) -> (\w+)\t\[[^\]]*\]\t(\S+)", open(sys.argv[4]).read(), re.M):
    dbg[m.group(3)] = m.group(2)
def score(flag):
    tp = sum(1 for f in labels if flag(f) and labels[f] != 'safe')
    fp = sum(1 for f in labels if flag(f) and labels[f] == 'safe')
    fn = sum(1 for f in labels if not flag(f) and labels[f] != 'safe')
    return tp, fp, fn, tp / max(tp + fp, 1), tp / max(tp + fn, 1)
print(f"files: {len(labels)} ({sum(1 for v in labels.values() if v != 'safe')} labelled refuse or warn)")
for name, flag in (("dbguard", lambda f: dbg[f] != 'safe'), ("squawk", lambda f: bool(squawk[f]))):
    tp, fp, fn, p, r = score(flag)
    print(f"{name:8} flags a risk: tp={tp} fp={fp} fn={fn} precision={p:.3f} recall={r:.3f}")
for f in sorted(labels):
    if bool(squawk[f]) != (labels[f] != 'safe'):
        print(f"  squawk {'flags' if squawk[f] else 'misses'} {labels[f]}: {f} {squawk[f]}")
PY
