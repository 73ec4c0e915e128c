#!/usr/bin/env bash
# Times `plan check`, `plan status`, `plan fmt --check`, `plan fmt` (writing
# the log's rows shuffled back into order), `plan report` and a log where
# every date is wrong, on generated logs, side by side with the same
# group-by in DuckDB and in Polars, with `cat` and `wc -l` as the floor.
#
# Needs: a Rust toolchain, python3 with venv (DuckDB and Polars are installed
# here into bench/.venv), hyperfine (apt-get install hyperfine, or cargo
# install hyperfine) and GNU time (/usr/bin/time, Debian package `time`).
#
# Usage: bench/run.sh [ROWS ...]     (default: 100000 1000000)
#        bench/run.sh 100000 1000000 10000000   (10 M rows: a 1.7 GB log)
# RUNS=N sets the runs per command (default 10; 3 for 10 M rows).
#
# Three kinds of figure: hyperfine's means of each command alone, GNU
# time's peak memory of one run, and paired
# ratios (bench/paired.py: A and B run in turn, the ratio taken pair by pair,
# so that other work on the machine cancels). Quote the paired ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/bench/out
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)

cargo build --release --quiet --bin plan --example gen_logs
plan=$root/target/release/plan
gen=$root/target/release/examples/gen_logs

if ! bench/.venv/bin/python -c 'import duckdb, polars' 2>/dev/null; then
  python3 -m venv --clear bench/.venv
  bench/.venv/bin/pip install --quiet 'duckdb==1.4.*' 'polars==2.1.*'
fi
py=$root/bench/.venv/bin/python
pair() { "$py" "$root/bench/paired.py" "$@"; }

# Puts files in the page cache as a reader fills it (the kernel's
# readahead), not as their writer left them: on Linux 6.18 / ext4 a file
# written a few KiB at a time stays cached in 4 KiB pages, and every reader
# then pays a page-cache lookup per page (`plan status` 3 % slower at 1 M
# rows). A log read from disk, as logs are after a reboot, is cached in
# large pieces. `sync` writes a file out, dd's `nocache` drops its pages,
# `cat` reads it back. Every tool then reads the same cached file (but the
# shuffled log `plan fmt` rewrites, copied back by `cp` before each run).
cached_as_read() {
  for f in "$@"; do
    sync "$f"
    dd if="$f" iflag=nocache count=0 status=none
    cat "$f" >/dev/null
  done
}

mkdir -p "$out"
for n in "${sizes[@]}"; do
  runs=${RUNS:-10}
  [ "$n" -lt 10000000 ] || runs=${RUNS:-3}
  ws=$out/ws-$n
  mkdir -p "$ws/plans" "$ws/logs"
  sed 's|examples/15-DA-TU/logs/\*\*/\*.csv|logs/*.csv|' plans/15-DA-TU.toml > "$ws/plans/15-DA-TU.toml"
  # Each input is written under another name and renamed when complete, so
  # that a run stopped half-way leaves no half-written input to be reused.
  [ -s "$ws/logs/rows.csv" ] || { "$gen" --rows "$n" --out "$ws/logs/rows.part" && mv "$ws/logs/rows.part" "$ws/logs/rows.csv"; }
  csv=$ws/logs/rows.csv
  # The same log as Excel might save it, every date written dd/mm/yyyy: one
  # `bad-date` on every row (the first 100 shown, the others counted).
  bad=$out/ws-$n-bad-dates
  if [ ! -s "$bad/logs/rows.csv" ]; then
    mkdir -p "$bad/plans" "$bad/logs"
    cp "$ws/plans/15-DA-TU.toml" "$bad/plans/"
    awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } { split($1, d, "-"); $1 = d[3] "/" d[2] "/" d[1]; print }' \
      "$csv" > "$bad/logs/rows.part"
    mv "$bad/logs/rows.part" "$bad/logs/rows.csv"
  fi

  # The same rows in random order (`shuf`, a fixed seed): what `plan fmt`
  # sorts back, in a workspace of its own (the log is put back before each run).
  shuffled=$out/ws-$n-shuffled.csv
  if [ ! -s "$shuffled" ]; then
    { head -n 1 "$csv"; tail -n +2 "$csv" | shuf --random-source=<(yes); } > "$shuffled.part"
    mv "$shuffled.part" "$shuffled"
  fi
  fws=$out/ws-$n-fmt
  mkdir -p "$fws/plans" "$fws/logs"
  cp "$ws/plans/15-DA-TU.toml" "$fws/plans/"
  # Copied back before each run (not timed) and written out, so that the
  # run does not also pay for the disk writing the copy.
  prep_cmd="cp $shuffled $fws/logs/rows.csv && sync"
  prep="sh -c '$prep_cmd'"
  fmtw="$plan -C $fws fmt"
  # The log in canonical form (as `plan fmt` leaves it): `fmt --check` proves
  # it canonical rather than finding a first difference.
  cws=$out/ws-$n-canonical
  if [ ! -s "$cws/logs/rows.csv" ]; then
    rm -rf "$cws" "$cws.part"
    mkdir -p "$cws.part/plans" "$cws.part/logs"
    cp "$ws/plans/15-DA-TU.toml" "$cws.part/plans/"
    cp "$shuffled" "$cws.part/logs/rows.csv"
    "$plan" -C "$cws.part" fmt >/dev/null
    mv "$cws.part" "$cws"
  fi
  fmtcc="$plan -C $cws fmt --check"

  cached_as_read "$csv" "$bad/logs/rows.csv" "$cws/logs/rows.csv"

  check="$plan -C $ws check --at 2026-01-01"
  status="$plan -C $ws status --format json --at 2025-12-31"
  fmtc="$plan -C $ws fmt --check"
  report="$plan -C $ws report --half 2023H1"
  flood="$plan -C $bad check --at 2026-01-01"
  floodj="$plan -C $bad check --format json --at 2026-01-01"
  duck="$py $root/bench/duckdb_groupby.py $csv"
  polars="$py $root/bench/polars_groupby.py $csv"

  echo "== $n rows, $(du -m "$csv" | cut -f1) MB"
  hyperfine -N --warmup 1 --runs "$runs" --ignore-failure --export-markdown "$out/time-$n.md" \
    -n "cat" "cat $csv" \
    -n "wc -l" "wc -l $csv" \
    -n "plan check" "$check" \
    -n "plan status" "$status" \
    -n "plan fmt --check" "$fmtc" \
    -n "plan fmt --check, canonical log" "$fmtcc" \
    -n "plan report --half 2023H1" "$report" \
    -n "plan check, every date wrong" "$flood" \
    -n "plan check --format json, every date wrong" "$floodj" \
    -n "duckdb" "$duck" \
    -n "polars" "$polars"
  hyperfine -N --warmup 1 --runs "$runs" --prepare "$prep" --export-markdown "$out/time-$n-fmt.md" \
    -n "plan fmt (shuffled log)" "$fmtw"
  for cmd in "$check" "$status" "$fmtc" "$fmtcc" "$report" "$flood" "$floodj" "$duck" "$polars"; do
    peak=$( { /usr/bin/time -f %M $cmd 2>&1 >/dev/null || true; } | tail -1)
    echo "peak RSS ${peak} KiB: $cmd"
  done | tee "$out/memory-$n.txt"
  sh -c "$prep_cmd"
  peak=$(/usr/bin/time -f %M $fmtw 2>&1 >/dev/null | tail -1)
  echo "peak RSS ${peak} KiB: $fmtw (shuffled log)" | tee -a "$out/memory-$n.txt"

  echo "== $n rows, paired (A and B in turn, $runs pairs)"
  {
    pair "$runs" "plan status" "$status" "duckdb" "$duck"
    pair "$runs" "plan check" "$check" "duckdb" "$duck"
    pair "$runs" "plan status" "$status" "polars" "$polars"
    pair "$runs" "plan check" "$check" "polars" "$polars"
    pair "$runs" "plan fmt --check" "$fmtc" "plan check" "$check"
    pair "$runs" "plan fmt --check, canonical log" "$fmtcc" "plan check" "$check"
    pair --prepare "$prep_cmd" "$runs" "plan fmt (shuffled log)" "$fmtw" "plan check" "$check"
    pair "$runs" "plan report" "$report" "plan status" "$status"
    pair "$runs" "check, every date wrong" "$flood 2>/dev/null" "plan check" "$check"
    pair "$runs" "check --format json, every date wrong" "$floodj" "plan check" "$check"
    pair "$runs" "plan status" "$status" "wc -l" "wc -l $csv"
    pair "$runs" "plan status" "$status" "cat" "cat $csv"
  } | tee "$out/paired-$n.txt"
done

# The 1 M-row log (or the largest size under it) cut into files of 1000 rows
# (one log per organisation, unit and year is how a province keeps them): the
# same rows, many files, against the same rows in one file.
n=0
for s in "${sizes[@]}"; do [ "$s" -gt 1000000 ] || [ "$s" -le "$n" ] || n=$s; done
[ "$n" -gt 0 ] || exit 0
runs=${RUNS:-10}
one=$out/ws-$n
many=$out/ws-$n-files
if [ ! -d "$many/logs" ]; then
  rm -rf "$many.part"
  mkdir -p "$many.part/plans" "$many.part/logs"
  cp "$one/plans/15-DA-TU.toml" "$many.part/plans/"
  header=$(head -n 1 "$one/logs/rows.csv")
  tail -n +2 "$one/logs/rows.csv" | split -l 1000 -d -a 5 --additional-suffix=.csv - "$many.part/logs/part-"
  for f in "$many.part"/logs/part-*.csv; do
    { echo "$header"; cat "$f"; } > "$f.tmp" && mv "$f.tmp" "$f"
  done
  mv "$many.part" "$many"
fi
cached_as_read "$one/logs/rows.csv" "$many"/logs/*.csv
echo "== $n rows in $(ls "$many/logs" | wc -l) files, paired with the same rows in one file"
{
  pair "$runs" "plan check, many files" "$plan -C $many check --at 2026-01-01" "plan check, one file" "$plan -C $one check --at 2026-01-01"
  pair "$runs" "plan status, many files" "$plan -C $many status --format json --at 2025-12-31" "plan status, one file" "$plan -C $one status --format json --at 2025-12-31"
} | tee "$out/paired-$n-files.txt"
for cmd in "$plan -C $many check --at 2026-01-01" "$plan -C $many status --format json --at 2025-12-31"; do
  peak=$(/usr/bin/time -f %M $cmd 2>&1 >/dev/null | tail -1)
  echo "peak RSS ${peak} KiB: $cmd"
done | tee "$out/memory-$n-files.txt"
