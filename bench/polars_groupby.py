"""The Polars side of the benchmark: the same validation and group-by as
bench/duckdb_groupby.py (typed columns, count and sum of cost of done rows by
organisation, half-year and kind), lazily with the streaming engine, on 2
threads. Usage: polars_groupby.py FILE.csv"""
import os
import sys

os.environ.setdefault("POLARS_MAX_THREADS", "2")

import polars as pl  # noqa: E402  (the thread count is read at import)

SCHEMA = {
    "date": pl.Date,
    "org": pl.String,
    "unit": pl.String,
    "kind": pl.String,
    "status": pl.String,
    "title": pl.String,
    "field": pl.String,
    "ref": pl.String,
    "participants": pl.UInt64,
    "cost": pl.UInt64,
    "recommendations": pl.UInt64,
    "resolved": pl.UInt64,
    "note": pl.String,
}

done = pl.col("status") == "done"
half = pl.col("date").dt.year().cast(pl.String) + pl.when(pl.col("date").dt.month() <= 6).then(
    pl.lit("H1")
).otherwise(pl.lit("H2"))
rows = (
    pl.scan_csv(sys.argv[1], schema=SCHEMA)
    .group_by("org", half.alias("half"), "kind")
    .agg(done.sum().alias("done"), pl.col("cost").filter(done).sum().alias("cost"))
    .sort("org", "half", "kind")
    .collect(engine="streaming")
)
print(rows.height, "groups")
