"""Exporting effective values as CSV or JSON, for the CLI and the GUI's "export rows".

Both writers stream: they take any iterable of (SampleRef, list[Effective]) rows, in
the order of the schema's field specs, and never hold the whole table in memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from core.csv_io.formulas import neutralize
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


def _cell(e: Effective, raw: bool) -> str:
    if e.value is None:
        return ""
    text = format_value(e.value)
    return text if raw or not isinstance(e.value, str) else neutralize(text)


def unwritable(texts: Iterable[str]) -> str | None:
    """Why these texts cannot be written as UTF-8 (a lone surrogate, e.g. from a file name
    that is not UTF-8 on disk), or None."""
    texts = list(texts)
    try:
        "".join(texts).encode("utf-8")
        return None
    except UnicodeEncodeError:
        pass
    for t in texts:
        try:
            t.encode("utf-8")
        except UnicodeEncodeError as e:
            return f"{t[max(0, e.start - 20):e.start]!r}… holds {t[e.start]!r}, which is not a character"
    return None


def write_csv(rows: Iterable[Row], specs: Iterable[FieldSpec], out: TextIO, *,
              raw_formulas: bool = False, skipped: list[tuple[str, str]] | None = None) -> int:
    """Columns file_name, type, then one per schema entry; returns the number of rows written.

    Open `out` with newline="" (the csv module writes its own line ends). Text cells that
    a spreadsheet would run as formulas are neutralized (core.csv_io.formulas) unless
    `raw_formulas`. A row that cannot be written as UTF-8 is left out and, with
    `skipped`, listed there as (file_name, reason).
    """
    csv.writer(out, lineterminator="\n").writerow(["file_name", "type", *column_names(specs)])
    return write_csv_rows(rows, out, raw_formulas=raw_formulas, skipped=skipped)


def write_csv_rows(rows: Iterable[Row], out: TextIO, *, raw_formulas: bool = False,
                   skipped: list[tuple[str, str]] | None = None) -> int:
    """The rows of write_csv without the header (also run by export workers on a chunk)."""
    writer = csv.writer(out, lineterminator="\n")
    n = 0
    for sample, values in rows:
        name = sample.file_name if raw_formulas else neutralize(sample.file_name)
        cells = [name, sample.kind, *(_cell(e, raw_formulas) for e in values)]
        reason = unwritable(cells)
        if reason is not None:
            if skipped is not None:
                skipped.append((sample.file_name, reason))
            continue
        writer.writerow(cells)
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


def write_json(rows: Iterable[Row], specs: Iterable[FieldSpec], out: TextIO, *,
               skipped: list[tuple[str, str]] | None = None) -> int:
    """A JSON array of `row_dict`s, written row by row; returns the number of rows written.

    A row that strict JSON in UTF-8 cannot hold (NaN, Infinity, a lone surrogate) is left
    out and, with `skipped`, listed there as (file_name, reason).
    """
    n = 0
    out.write("[")
    for text in json_row_texts(rows, column_names(specs), skipped):
        out.write(",\n  " if n else "\n  ")
        out.write(text)
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def json_row_texts(rows: Iterable[Row], names: list[str],
                   skipped: list[tuple[str, str]] | None = None) -> Iterator[str]:
    """One line of JSON per row that can be written (also run by export workers on a chunk)."""
    for sample, values in rows:
        try:
            text = json.dumps(row_dict(sample, values, names), ensure_ascii=False, allow_nan=False)
            reason = unwritable([text])
        except ValueError as e:  # a non-finite float
            reason = str(e)
        if reason is not None:
            if skipped is not None:
                skipped.append((sample.file_name, reason))
            continue
        yield text


def export_file(path, rows: Iterable[Row], specs: Iterable[FieldSpec]) -> tuple[int, list[tuple[str, str]]]:
    """Write rows to `path` (JSON for a `.json` name, else CSV), complete or not at all.

    Returns (rows written, rows left out as (file_name, reason)); raises OSError.
    """
    from core.format.jsonio import atomic_output

    skipped: list[tuple[str, str]] = []
    writer = write_json if str(path).lower().endswith(".json") else write_csv
    with atomic_output(path) as out:
        n = writer(rows, tuple(specs), out, skipped=skipped)
    return n, skipped
