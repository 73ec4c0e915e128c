"""The DuckDB side of the benchmark: the same validation and group-by that
`plan status` does (typed columns, count and sum of cost of done rows by
organisation, half-year and kind), on 2 threads. Usage: duckdb_groupby.py FILE.csv"""
import sys

import duckdb

con = duckdb.connect()
con.execute("SET threads TO 2")
rows = con.execute(
    """
    SELECT org,
           year(date) || CASE WHEN month(date) <= 6 THEN 'H1' ELSE 'H2' END AS half,
           kind,
           count(*) FILTER (WHERE status = 'done') AS done,
           sum(cost) FILTER (WHERE status = 'done') AS cost
    FROM read_csv(?, header = true, columns = {
        'date': 'DATE', 'org': 'VARCHAR', 'unit': 'VARCHAR', 'kind': 'VARCHAR',
        'status': 'VARCHAR', 'title': 'VARCHAR', 'field': 'VARCHAR', 'ref': 'VARCHAR',
        'participants': 'UBIGINT', 'cost': 'UBIGINT', 'recommendations': 'UBIGINT',
        'resolved': 'UBIGINT', 'note': 'VARCHAR'})
    GROUP BY ALL
    ORDER BY ALL
    """,
    [sys.argv[1]],
).fetchall()
print(len(rows), "groups")
