"""Writes a log CSV as an .xlsx the way an office keeps it: date cells,
number cells, text cells (openpyxl, write-only). For bench/excel.sh.
Usage: python3 bench/excel_to_xlsx.py IN.csv OUT.xlsx"""
import csv
import datetime
import sys

import openpyxl

NUMS = {"participants", "cost", "recommendations", "resolved"}
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet("Sheet1")
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = csv.reader(f)
    header = next(rows)
    ws.append(header)
    for r in rows:
        out = []
        for h, v in zip(header, r):
            if v == "":
                out.append(None)
            elif h == "date":
                out.append(datetime.datetime.strptime(v, "%Y-%m-%d"))
            elif h in NUMS:
                out.append(int(v))
            else:
                out.append(v)
        ws.append(out)
wb.save(sys.argv[2])
