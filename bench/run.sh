#!/usr/bin/env bash
# Times `plan check` and `plan status` on generated logs of 10 k, 100 k and
# 1 M rows, side by side with the same group-by in DuckDB and with `cat` as
# the floor. Needs: a Rust toolchain, python3 (for DuckDB, installed here
# into bench/.venv), hyperfine (apt-get install hyperfine, or cargo install
# hyperfine) and GNU time (/usr/bin/time, Debian package `time`).
#
# Usage: bench/run.sh [ROWS ...]        (default: 10000 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/bench/out
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)

cargo build --release --quiet --bin plan --example gen_logs
plan=$root/target/release/plan
gen=$root/target/release/examples/gen_logs

if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet 'duckdb==1.4.*'
fi
py=$root/bench/.venv/bin/python

mkdir -p "$out"
for n in "${sizes[@]}"; do
  ws=$out/ws-$n
  mkdir -p "$ws/plans" "$ws/logs"
  sed 's|examples/15-DA-TU/logs/\*\*/\*.csv|logs/*.csv|' plans/15-DA-TU.toml > "$ws/plans/15-DA-TU.toml"
  [ -s "$ws/logs/rows.csv" ] || "$gen" --rows "$n" --out "$ws/logs/rows.csv"
  csv=$ws/logs/rows.csv
  echo "== $n rows, $(du -m "$csv" | cut -f1) MB"
  hyperfine -N --warmup 1 --runs 10 --export-markdown "$out/time-$n.md" \
    -n cat "cat $csv" \
    -n "plan check" "$plan -C $ws check --at 2026-01-01" \
    -n "plan status" "$plan -C $ws status --format json --at 2025-12-31" \
    -n "duckdb" "$py $root/bench/duckdb_groupby.py $csv" \
    -n "python + import duckdb" "$py -c 'import duckdb'"
  for cmd in "$plan -C $ws check --at 2026-01-01" "$plan -C $ws status --format json --at 2025-12-31" "$py $root/bench/duckdb_groupby.py $csv"; do
    peak=$(/usr/bin/time -f %M $cmd 2>&1 >/dev/null | tail -1)
    echo "peak RSS ${peak} KiB: $cmd"
  done | tee "$out/memory-$n.txt"
done

# The largest log cut into files of 1000 rows (one log per organisation,
# unit and year is how a province keeps them): the same rows, many files.
n=${sizes[-1]}
many=$out/ws-$n-files
if [ ! -d "$many/logs" ]; then
  mkdir -p "$many/plans" "$many/logs"
  cp "$out/ws-$n/plans/15-DA-TU.toml" "$many/plans/"
  header=$(head -n 1 "$out/ws-$n/logs/rows.csv")
  tail -n +2 "$out/ws-$n/logs/rows.csv" | split -l 1000 -d -a 5 --additional-suffix=.csv - "$many/logs/part-"
  for f in "$many"/logs/part-*.csv; do
    { echo "$header"; cat "$f"; } > "$f.tmp" && mv "$f.tmp" "$f"
  done
fi
echo "== $n rows in $(ls "$many/logs" | wc -l) files"
hyperfine -N --warmup 1 --runs 10 --export-markdown "$out/time-$n-files.md" \
  -n "plan check" "$plan -C $many check --at 2026-01-01" \
  -n "plan status" "$plan -C $many status --format json --at 2025-12-31"
for cmd in "$plan -C $many check --at 2026-01-01" "$plan -C $many status --format json --at 2025-12-31"; do
  peak=$(/usr/bin/time -f %M $cmd 2>&1 >/dev/null | tail -1)
  echo "peak RSS ${peak} KiB: $cmd"
done | tee "$out/memory-$n-files.txt"

# The largest log as Excel might save it, every date written dd/mm/yyyy: one
# `bad-date` diagnostic per row, each shown with its source line.
bad=$out/ws-$n-bad-dates
if [ ! -s "$bad/logs/rows.csv" ]; then
  mkdir -p "$bad/plans" "$bad/logs"
  cp "$out/ws-$n/plans/15-DA-TU.toml" "$bad/plans/"
  awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } { split($1, d, "-"); $1 = d[3] "/" d[2] "/" d[1]; print }' \
    "$out/ws-$n/logs/rows.csv" > "$bad/logs/rows.csv"
fi
echo "== $n rows, every date wrong"
hyperfine -N --warmup 1 --runs 5 --ignore-failure --export-markdown "$out/time-$n-bad-dates.md" \
  -n "plan check (human, stderr to a file)" "sh -c '$plan -C $bad check --at 2026-01-01 2>$out/bad-dates.txt'" \
  -n "plan check --format json" "sh -c '$plan -C $bad check --format json --at 2026-01-01 >$out/bad-dates.json'"
peak=$( { /usr/bin/time -f %M "$plan" -C "$bad" check --at 2026-01-01 2>&1 >/dev/null || true; } | tail -1)
echo "peak RSS ${peak} KiB: plan check on $bad" | tee "$out/memory-$n-bad-dates.txt"
