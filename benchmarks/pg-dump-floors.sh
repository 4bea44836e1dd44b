#!/usr/bin/env bash
# What pg_dump alone costs in each format dbguard could write, against the floor of any verified
# PostgreSQL backup (`pg_dump -Fp -f /dev/null`: no compression, no file, no hash, no check), in
# the same run, alternating rounds. Answers whether a parallel directory-format dump (`-Fd -jN`)
# could bring a verified backup within 1.25x of that floor: if the bare dump in a format is
# already above it, no verification added to it can be below. Results go to
# docs/benchmarks-postgres.md by hand.
#
#   source <libpq environment>   # PGHOST, PGPORT, PGUSER, PGPASSWORD (as pg-backup.sh sets them)
#   BENCH_DB=dbguard_bench_text benchmarks/pg-dump-floors.sh [rounds]
#
# The database is the one benchmarks/pg-backup.sh generates (data set B: BENCH_SCALE=40
# BENCH_TEXT_ROWS=4000000). Variants: floor `-Fp -f /dev/null`; `-Fc -Z1` (dbguard's default
# format and level); `-Fd -j<cores> -Z1`; `-Fd -j<cores> -Z0`. Prints seconds per variant and
# round with the load average, then the median of each and its ratio to the floor's median.
set -euo pipefail
ROUNDS="${1:-3}"
DB="${BENCH_DB:-dbguard_bench_text}"
BIN="${DBGUARD_PG_BIN_DIR:-$(dirname "$(command -v pg_dump)")}"
JOBS="${BENCH_JOBS:-$(nproc)}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
secs() { local s e; s=$(date +%s%N); "$@"; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
: > "$OUT/times"
for round in $(seq "$ROUNDS"); do
  for v in floor fc-z1 fd-z1 fd-z0; do
    rm -rf "$OUT/dump"
    case $v in
      floor) ms=$(secs "$BIN/pg_dump" -d "$DB" -Fp -f /dev/null) ;;
      fc-z1) ms=$(secs "$BIN/pg_dump" -d "$DB" -Fc -Z1 -f "$OUT/dump") ;;
      fd-z1) ms=$(secs "$BIN/pg_dump" -d "$DB" -Fd -j"$JOBS" -Z1 -f "$OUT/dump") ;;
      fd-z0) ms=$(secs "$BIN/pg_dump" -d "$DB" -Fd -j"$JOBS" -Z0 -f "$OUT/dump") ;;
    esac
    size=$(du -sb "$OUT/dump" 2> /dev/null | cut -f1 || echo 0)
    printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$v" "$ms" "${size:-0}" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/times"
  done
done
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
floor=$(awk -F'\t' '$2 == "floor" { print $3 }' "$OUT/times" | median)
for v in floor fc-z1 fd-z1 fd-z0; do
  m=$(awk -F'\t' -v v="$v" '$2 == v { print $3 }' "$OUT/times" | median)
  awk -v v="$v" -v m="$m" -v f="$floor" 'BEGIN { printf "%-6s median %.2f s  %.2fx the floor\n", v, m / 1000, m / f }'
done
