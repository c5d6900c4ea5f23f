"""Reading an import CSV: text and delimiter, mapping columns to schema entries, keys to samples."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from core.csv_io.plan import (
    DELIMITER_NAMES,
    DELIMITERS,
    IGNORED_COLUMNS,
    KEY_COLUMNS,
    CsvReadError,
    ImportIssue,
    ImportPlan,
)
from core.format.keypath import MISSING, format_path
from core.format.metadata_file import metadata_of
from core.format.naming import VIDEO, parse_frame_name, to_posix
from core.format.samples import SampleRef
from core.format.value_types import ValueType, format_value, parse_text, type_error
from core.schema.entries import FieldSpec

# --- reading the CSV -------------------------------------------------------------------


def read_csv_text(source: str | Path) -> tuple[str, str]:
    """(name, text) of a CSV given as a path, or as text (a str holding a line break)."""
    if isinstance(source, str) and ("\n" in source or "\r" in source):
        return "CSV text", source
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise CsvReadError(f"{path}: {e.strerror or e}") from None
    try:
        return path.name, data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise CsvReadError(
            f"{path.name}: line {line} is not UTF-8 text; save the file as \"CSV UTF-8\""
        ) from None


def _field_count(text: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader(io.StringIO(text), delimiter=delimiter), []))
    except csv.Error:
        return 0


def detect_delimiter(text: str) -> str:
    """The delimiter among `, ; tab`: the sniffer's guess unless another splits the header more."""
    sample = text[:65536]
    header = sample.splitlines()[0] if sample.strip() else ""
    try:
        guess = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        guess = ","
    counts = {d: _field_count(header, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return guess if counts.get(guess, 0) >= counts[best] else best


def single_column_issue(header: str) -> ImportIssue:
    others = [c for c in "|: " if c in header.strip()]
    if others:
        name = DELIMITER_NAMES[others[0]]
        msg = (f"the file has a single column {header.strip()!r}: its cells seem to be separated by "
               f"{name}, which is not a CSV delimiter; use a comma, a semicolon or a tab")
    else:
        msg = (f"the file has a single column {header.strip()!r}: expected a key column (file_name or "
               "media) and one column per schema entry, separated by a comma, a semicolon or a tab")
    return ImportIssue("delimiter", msg, 1)


# --- matching columns and rows --------------------------------------------------------------


def _column_specs(specs: tuple[FieldSpec, ...]) -> dict[str, FieldSpec]:
    """Header -> spec: export's column names (`name (2)` for repeats), then paths, then names."""
    from core.csv_io.export import column_names

    out: dict[str, FieldSpec] = {}
    for name, spec in zip(column_names(specs), specs):
        out.setdefault(name, spec)
    for spec in specs:
        out.setdefault(spec.path, spec)
    for spec in specs:
        out.setdefault(spec.name, spec)
    return out


def _frame_sample(index, key: str) -> tuple[SampleRef | None, str | None]:
    """The frame named by a `file_name` like `videos/v-099-mp4.png`, or why it matches none."""
    fn = parse_frame_name(key) if key.endswith(".png") else None
    if fn is None:
        return None, None
    video = fn.video_rel()
    if index.media_kind(video) != VIDEO:
        return None, None
    n = index.frame_counts.get(video)
    if n is None:
        return None, f"the frame count of {video} is unknown (the video cannot be read)"
    if fn.index >= n:
        return None, f"frame {fn.index} is past the last frame of {video} ({n} frames)"
    sample = SampleRef.frame_of(video, fn.index, n)
    if len(fn.digits) != len(str(n)):
        return None, f"the frame number needs {len(str(n))} digits; did you mean {sample.file_name}?"
    return sample, None


def resolve_key(index, key: str, by_media: bool = False, frame: str = "") -> tuple[SampleRef | None, str]:
    """The sample a key cell names, or None and the reason it matches no media."""
    key = to_posix(key.strip())
    while key.startswith("./"):
        key = key[2:]
    kind = index.media_kind(key)
    if by_media and kind is not None:
        if not frame.strip():
            return SampleRef(key, kind), ""
        n = index.frame_counts.get(key)
        try:
            i = int(frame)
        except ValueError:
            return None, f"frame {frame!r} is not a number"
        if kind != VIDEO or n is None or not 0 <= i < n:
            return None, f"has no frame {i}"
        return SampleRef.frame_of(key, i, n), ""
    if kind is not None:
        return SampleRef(key, kind), ""
    sample, reason = _frame_sample(index, key)
    if sample is not None:
        return sample, ""
    return None, reason or "no media file of this datasource has this name"


def same_value(vt: ValueType, a: Any, b: Any) -> bool:
    """Equal as values of `vt`: 2 == 2.0 for floats, but True != 1 and "1" != 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if vt is ValueType.NUMERIC_FLOAT and isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def obstruction(data: Any, spec: FieldSpec) -> str | None:
    """Why `spec`'s value can't be written into `data` without destroying other data."""
    if data is None:
        return None
    if not isinstance(data, dict):
        return "the file does not hold a JSON object"
    meta = metadata_of(data)
    if meta is MISSING:
        return None
    if not isinstance(meta, dict):
        return "its 'metadata' is not a JSON object"
    cur: Any = meta
    for i, t in enumerate(spec.tokens[:-1]):
        nxt = cur.get(t, MISSING) if isinstance(t, str) else (cur[t] if t < len(cur) else MISSING)
        if nxt is MISSING or nxt is None:
            return None
        want = list if isinstance(spec.tokens[i + 1], int) else dict
        if not isinstance(nxt, want):
            return f"{format_path(spec.tokens[: i + 1])!r} holds {format_value(nxt)!r}, not an object"
        cur = nxt
    return None


def parse_cell(spec: FieldSpec, text: str) -> tuple[Any, str | None]:
    try:
        value = parse_text(spec.type, text)
    except ValueError as e:
        reason = str(e)
        if spec.type.is_numeric and "," in text:
            reason += " (use a dot as the decimal separator)"
        return None, reason
    if value is not None:
        problem = type_error(spec.type, value)
        if problem:
            return None, problem
    return value, None


def numbered_rows(reader) -> Iterable[tuple[int, list[str]]]:
    start = reader.line_num + 1
    for row in reader:
        yield start, row
        start = reader.line_num + 1


def map_columns(plan: ImportPlan, header: list[str], specs: tuple[FieldSpec, ...]) -> dict[int, FieldSpec]:
    lookup = _column_specs(specs)
    key_i = next((header.index(k) for k in KEY_COLUMNS if k in header and k not in lookup), None)
    if key_i is None:
        key_i = next((header.index(k) for k in KEY_COLUMNS if k in header), None)
    if key_i is None:
        plan.issues.append(ImportIssue(
            "no-key-column",
            f"no key column: the header needs a 'file_name' (or 'media') column; it has "
            f"{', '.join(repr(h) for h in header)}", 1))
        return {}
    plan.key_column = header[key_i]
    if header.count(plan.key_column) > 1:
        where = ", ".join(str(i + 1) for i, h in enumerate(header) if h == plan.key_column)
        plan.issues.append(ImportIssue(
            "duplicate-key-column", f"{header.count(plan.key_column)} columns are named "
            f"{plan.key_column!r} (columns {where}): which one names the files is ambiguous", 1,
            column=plan.key_column))
        return {}
    columns: dict[int, FieldSpec] = {}
    seen: dict[str, str] = {}
    for i, h in enumerate(header):
        if i == key_i:
            continue
        spec = lookup.get(h)
        if spec is None:
            if h in KEY_COLUMNS or h in IGNORED_COLUMNS:
                plan.ignored_columns.append(h)
            else:
                plan.issues.append(ImportIssue(
                    "unknown-column", "matches no schema entry name or path: ignored", 1,
                    column=h or f"#{i + 1} (no name)"))
            continue
        if spec.path in seen:
            plan.issues.append(ImportIssue(
                "duplicate-column",
                f"columns {seen[spec.path]!r} and {h!r} both set {spec.label!r} ({spec.path})", 1))
            continue
        seen[spec.path] = h
        columns[i] = spec
        plan.columns[h] = spec
    if not columns:
        known = ", ".join(repr(s.name) for s in specs) or "(the schema has no usable entries)"
        plan.issues.append(ImportIssue(
            "no-value-columns", f"no column matches a schema entry; the schema's names are {known}", 1))
    return columns
