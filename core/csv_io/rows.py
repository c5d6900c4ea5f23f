"""Splitting an import CSV into rows by the strict CSV rules, so a stray quote is an error.

Python's csv module, when not strict, reads an unterminated quote as one cell holding the
rest of the file, and `"sun"ny` as `sunny`: both import silently wrong values.
"""

from __future__ import annotations

import csv
import io

from core.csv_io.plan import ImportIssue, ImportPlan


def read_rows(plan: ImportPlan, text: str) -> list[tuple[int, list[str]]]:
    """(first line, cells) of every row of `text`; rows the strict rules reject become issues.

    An unterminated quote ends the reading: it is an error about the whole file.
    """
    reader = csv.reader(io.StringIO(text), delimiter=plan.delimiter or ",", strict=True)
    rows: list[tuple[int, list[str]]] = []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as e:
            if "unexpected end of data" in str(e):
                plan.issues.append(ImportIssue(
                    "unterminated-quote", f"a quote opened in the row starting on line {start} is never "
                    "closed: the rest of the file would be one cell", start))
                return rows
            if not rows:
                plan.issues.append(ImportIssue("csv", f"the header cannot be read as CSV: {e}", start))
                return []
            plan.rows += 1
            plan.issues.append(ImportIssue("bad-quote", f"cannot be read as CSV: {e} (quote the whole "
                                           "cell, and double any quote inside it)", start))
            continue
        rows.append((start, row))
