"""Exporting effective values as CSV or JSON, for the CLI and the GUI's "export rows".

Both writers stream: they take any iterable of (SampleRef, list[Effective]) rows, in
the order of the schema's field specs, and never hold the whole table in memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from core.effective.values import INVALID, Effective, Reader, iter_effective_rows
from core.format.samples import SampleRef
from core.format.value_types import format_value
from core.schema.entries import FieldSpec

Row = tuple[SampleRef, list[Effective]]


def export_rows(
    index, specs: Iterable[FieldSpec], frames: bool = False, read: Reader | None = None, **kw
) -> Iterator[Row]:
    """Every sample's effective values (frames too when `frames`), streamed."""
    return iter_effective_rows(index, specs, frames=frames, read=read, **kw)


def column_names(specs: Iterable[FieldSpec]) -> list[str]:
    """One unique column name per spec: its name, `name (2)`… when names repeat."""
    out: list[str] = []
    used = {"file_name", "type"}
    for s in specs:
        base = s.label
        name, n = base, 2
        while name in used:
            name, n = f"{base} ({n})", n + 1
        used.add(name)
        out.append(name)
    return out


def _cell(e: Effective) -> str:
    return "" if e.value is None else format_value(e.value)


def write_csv(rows: Iterable[Row], specs: Iterable[FieldSpec], out: TextIO) -> int:
    """Columns file_name, type, then one per schema entry; returns the number of rows.

    Open `out` with newline="" (the csv module writes its own line ends).
    """
    names = column_names(specs)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file_name", "type", *names])
    n = 0
    for sample, values in rows:
        writer.writerow([sample.file_name, sample.kind, *(_cell(e) for e in values)])
        n += 1
    return n


def row_dict(sample: SampleRef, values: list[Effective], names: list[str]) -> dict:
    """One JSON row: values and, for each, its source (and the reason for invalid ones)."""
    row: dict = {
        "file_name": sample.file_name,
        "type": sample.kind,
        "values": {n: e.value for n, e in zip(names, values)},
        "sources": {n: e.source for n, e in zip(names, values)},
    }
    problems = {n: e.reason for n, e in zip(names, values) if e.source == INVALID}
    if problems:
        row["problems"] = problems
    return row


def write_json(rows: Iterable[Row], specs: Iterable[FieldSpec], out: TextIO) -> int:
    """A JSON array of `row_dict`s, written row by row; returns the number of rows."""
    names = column_names(specs)
    n = 0
    out.write("[")
    for sample, values in rows:
        out.write(",\n  " if n else "\n  ")
        out.write(json.dumps(row_dict(sample, values, names), ensure_ascii=False, allow_nan=False))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n
