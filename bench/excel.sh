#!/usr/bin/env bash
# The workbook path against the CSV path: the same N generated rows as a CSV
# log and as an .xlsx (typed dates and numbers, written by openpyxl), timed
# with `plan check`, one thread and all threads. Needs: python3 with
# openpyxl, hyperfine, GNU time.
# Usage: bench/excel.sh [ROWS]          (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
n=${1:-100000}
out=$root/bench/out/excel-$n
cargo build --release --quiet --bin plan --example gen_logs
plan=$root/target/release/plan
for form in csv xlsx; do
  mkdir -p "$out/$form/plans" "$out/$form/logs"
  sed "s|examples/15-DA-TU/logs/\*\*/\*.csv|logs/*.$form|" plans/15-DA-TU.toml > "$out/$form/plans/15-DA-TU.toml"
done
[ -s "$out/csv/logs/rows.csv" ] || target/release/examples/gen_logs --rows "$n" --out "$out/csv/logs/rows.csv"
[ -s "$out/xlsx/logs/rows.xlsx" ] || python3 bench/excel_to_xlsx.py "$out/csv/logs/rows.csv" "$out/xlsx/logs/rows.xlsx"
ls -l "$out/csv/logs/rows.csv" "$out/xlsx/logs/rows.xlsx"
# Same figures from the same rows.
cmp <("$plan" -C "$out/csv" status --format json --at 2025-12-31) <("$plan" -C "$out/xlsx" status --format json --at 2025-12-31)
for threads in 1 2; do
  PLAN_THREADS=$threads hyperfine -N --warmup 1 --runs 5 \
    -n "csv, $threads thread(s)" "$plan -C $out/csv check --at 2026-01-01" \
    -n "xlsx, $threads thread(s)" "$plan -C $out/xlsx check --at 2026-01-01"
done
for form in csv xlsx; do
  echo "peak RSS $(/usr/bin/time -f %M "$plan" -C "$out/$form" check --at 2026-01-01 2>&1 >/dev/null | tail -1) KiB: $form"
done
