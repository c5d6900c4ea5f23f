"""Importing values from a CSV: plan first (a dry-run report), then apply only what differs.

The CSV has a key column (`file_name` as Lightly writes it, frames included, or `media`:
a media path) and one column per schema entry, by its name or its path. A cell is
compared with the value the sample already gets (own, inherited from its video, or the
default: what an export writes), so re-importing an export changes nothing. An empty
cell leaves the value alone; the literal `null` stores null (the default applies again).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .effective import Effective, Reader, disk_reader, effective_value
from .findings import ERROR, WARNING
from .keypath import MISSING
from .metadata_file import get_meta, metadata_of
from .naming import FRAME, VIDEO, parse_frame_name, to_posix
from .samples import SampleRef
from .schema import FieldSpec
from .value_types import ValueType, format_value, parse_text, type_error
from .walk import Cancel, Progress, check_cancel

KEY_COLUMNS = ("file_name", "media", "media_path", "path")
#: Columns that describe the row rather than set a value (written by exports).
IGNORED_COLUMNS = ("type", "frame")
DELIMITERS = ",;\t"
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "'|'", " ": "space", ":": "colon"}

# Issue kinds, with whether each blocks the import.
BLOCKING = {
    "csv": True,  # cannot be parsed as CSV at all, or empty
    "delimiter": True,  # one single column: the cells are not separated by , ; or tab
    "no-key-column": True,
    "no-value-columns": True,
    "duplicate-column": True,
    "extra-cells": True,  # a row longer than the header: its cells are misaligned
    "value-type": True,
    "duplicate-row": True,
    "not-editable": True,  # the target file is broken or cannot hold the value
    "unknown-column": False,
    "unmatched-row": False,
    "empty-key": False,
}


class CsvReadError(Exception):
    """The CSV file cannot be read at all (missing, unreadable, not UTF-8)."""


@dataclass(frozen=True)
class ImportIssue:
    """Something about the CSV the user should know; errors block the import."""

    kind: str
    message: str
    line: int | None = None
    key: str | None = None  # the row's key cell (file_name or media path)
    column: str | None = None  # the CSV column concerned

    @property
    def severity(self) -> str:
        return ERROR if BLOCKING.get(self.kind, True) else WARNING

    def text(self) -> str:
        where = [f"line {self.line}"] if self.line else []
        if self.key:
            where.append(self.key if not self.column else f"{self.key}, column {self.column!r}")
        elif self.column:
            where.append(f"column {self.column!r}")
        return ": ".join([*where, self.message])


@dataclass(frozen=True)
class ValueChange:
    """One cell that differs from what the sample gets now."""

    sample: SampleRef
    spec: FieldSpec
    old: Effective
    new: Any
    line: int

    @property
    def path(self) -> str:
        return self.spec.path

    def text(self) -> str:
        old = "(none)" if self.old.value is None else format_value(self.old.value)
        return f"{self.spec.label}: {old} ({self.old.source}) -> {format_value(self.new)}"


@dataclass
class ImportPlan:
    """What importing a CSV would do; `changes` is what `apply_plan` writes."""

    source: str = ""
    delimiter: str | None = None
    key_column: str | None = None
    columns: dict[str, FieldSpec] = field(default_factory=dict)  # header -> spec
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0
    matched_rows: int = 0
    value_changes: list[ValueChange] = field(default_factory=list)
    creates: list[SampleRef] = field(default_factory=list)
    unchanged_cells: int = 0
    empty_cells: int = 0
    issues: list[ImportIssue] = field(default_factory=list)
    #: Whether any row names a video frame (frame counts then matter: see run_cli).
    mentions_frames: bool = False

    @property
    def errors(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity == WARNING]

    @property
    def ok(self) -> bool:
        """False when an error blocks the import (nothing may be written)."""
        return not any(i.severity == ERROR for i in self.issues)

    @property
    def can_apply(self) -> bool:
        return self.ok and bool(self.value_changes)

    @property
    def changes(self) -> dict[SampleRef, dict[str, Any]]:
        """sample -> {schema path: new value}, only cells that differ."""
        out: dict[SampleRef, dict[str, Any]] = {}
        for c in self.value_changes:
            out.setdefault(c.sample, {})[c.path] = c.new
        return out

    def count(self, kind: str) -> int:
        return sum(1 for i in self.issues if i.kind == kind)

    def summary(self) -> list[tuple[str, int, str | None]]:
        """(label, count, severity or None) lines for reports and the dialog."""
        changed = {c.sample for c in self.value_changes}
        return [
            ("files to create", len(self.creates), None),
            ("files to change", len(changed) - len(self.creates), None),
            ("values to change", len(self.value_changes), None),
            ("cells already equal (skipped)", self.unchanged_cells, None),
            ("empty cells (left alone)", self.empty_cells, None),
            ("rows matching no media", self.count("unmatched-row") + self.count("empty-key"), WARNING),
            ("unknown columns", self.count("unknown-column"), WARNING),
            ("values that don't fit the type", self.count("value-type"), ERROR),
            ("duplicate rows", self.count("duplicate-row"), ERROR),
            ("other errors", sum(1 for i in self.errors if i.kind not in ("value-type", "duplicate-row")),
             ERROR),
        ]

    def report_text(self, limit: int | None = 50) -> str:
        from .csv_import_report import report_text

        return report_text(self, limit)


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


def _single_column_issue(header: str) -> ImportIssue:
    others = [c for c in "|: " if c in header.strip()]
    if others:
        name = _DELIMITER_NAMES[others[0]]
        msg = (f"the file has a single column {header.strip()!r}: its cells seem to be separated by "
               f"{name}, which is not a CSV delimiter; use a comma, a semicolon or a tab")
    else:
        msg = (f"the file has a single column {header.strip()!r}: expected a key column (file_name or "
               "media) and one column per schema entry, separated by a comma, a semicolon or a tab")
    return ImportIssue("delimiter", msg, 1)


# --- matching columns and rows --------------------------------------------------------------


def _column_specs(specs: tuple[FieldSpec, ...]) -> dict[str, FieldSpec]:
    """Header -> spec: export's column names (`name (2)` for repeats), then paths, then names."""
    from .export import column_names

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


def _obstruction(data: Any, spec: FieldSpec) -> str | None:
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
            from .keypath import format_path

            return f"{format_path(spec.tokens[: i + 1])!r} holds {format_value(nxt)!r}, not an object"
        cur = nxt
    return None


def _parse_cell(spec: FieldSpec, text: str) -> tuple[Any, str | None]:
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


# --- planning ----------------------------------------------------------------------------------


def plan_import(
    index,
    specs: Iterable[FieldSpec],
    csv_path_or_text: str | Path,
    read: Reader | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ImportPlan:
    """Read the CSV and work out, without writing anything, what importing it would do.

    `read(metadata_rel)` gives a file's current content (None: no file); the GUI passes
    `workspace.data_of` so unsaved edits count. Raises CsvReadError when the file can't
    be read; every problem with its content is an issue in the plan.
    """
    name, text = read_csv_text(csv_path_or_text)
    plan = ImportPlan(source=name)
    if not text.strip():
        plan.issues.append(ImportIssue("csv", "the file is empty"))
        return plan
    plan.delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=plan.delimiter)
    try:
        header = [h.strip() for h in next(reader)]
        body = _rows(reader)
        rows = list(body)
    except csv.Error as e:
        plan.issues.append(ImportIssue("csv", f"cannot be read as CSV: {e}", reader.line_num or None))
        return plan
    if len(header) == 1 and header[0] not in KEY_COLUMNS:
        plan.issues.append(_single_column_issue(text.splitlines()[0]))
        return plan
    specs = tuple(specs)
    columns = _map_columns(plan, header, specs)
    if plan.key_column is None:
        return plan
    _plan_rows(plan, index, header, columns, rows, read or disk_reader(index), progress, cancel)
    return plan


def _rows(reader) -> Iterable[tuple[int, list[str]]]:
    start = reader.line_num + 1
    for row in reader:
        yield start, row
        start = reader.line_num + 1


def _map_columns(plan: ImportPlan, header: list[str], specs: tuple[FieldSpec, ...]) -> dict[int, FieldSpec]:
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


def _plan_rows(plan: ImportPlan, index, header: list[str], columns: dict[int, FieldSpec],
               rows: list[tuple[int, list[str]]], read: Reader,
               progress: Progress | None, cancel: Cancel | None) -> None:
    key_i = header.index(plan.key_column)
    by_media = plan.key_column != "file_name"
    has_frames = by_media and "frame" in header and "frame" not in plan.columns
    frame_i = header.index("frame") if has_frames else None
    first_line: dict[SampleRef, int] = {}
    duplicated: set[SampleRef] = set()
    absent: set[SampleRef] = set()
    single_cells = 0
    video_cache: dict[str, Any] = {}
    total = len(rows)
    for done, (line, row) in enumerate(rows):
        if done % 256 == 0:
            check_cancel(cancel)
            if progress is not None:
                progress(done, total, f"checking row {done}/{total}")
        if not any(c.strip() for c in row):
            continue
        plan.rows += 1
        single_cells += len(row) == 1 and len(header) > 1
        if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
            plan.issues.append(ImportIssue(
                "extra-cells", f"{len(row)} cells but the header has {len(header)}: is a value "
                f"quoted wrongly or holding the delimiter?", line))
            continue
        row = row + [""] * (len(header) - len(row))
        key = row[key_i].strip()
        if not key:
            plan.issues.append(ImportIssue("empty-key", f"no {plan.key_column}: row skipped", line))
            continue
        frame_text = row[frame_i] if frame_i is not None else ""
        sample, reason = resolve_key(index, key, by_media, frame_text)
        if sample is None:
            if parse_frame_name(key) is not None:
                plan.mentions_frames = True
            plan.issues.append(ImportIssue("unmatched-row", reason, line, key=key))
            continue
        plan.mentions_frames |= sample.kind == FRAME
        if sample in first_line:
            duplicated.add(sample)
            plan.issues.append(ImportIssue(
                "duplicate-row", f"already on line {first_line[sample]}: neither row is applied",
                line, key=key))
            continue
        first_line[sample] = line
        plan.matched_rows += 1
        if _plan_cells(plan, index, sample, row, header, columns, read, video_cache, line):
            absent.add(sample)
    if plan.rows and single_cells == plan.rows:
        name = _DELIMITER_NAMES.get(plan.delimiter, repr(plan.delimiter))
        plan.issues.insert(0, ImportIssue(
            "delimiter", f"the header has {len(header)} columns separated by {name}, but every row has a "
            "single cell: the rows use another delimiter", 2))
    if duplicated:
        plan.value_changes = [c for c in plan.value_changes if c.sample not in duplicated]
    plan.creates = [s for s in dict.fromkeys(c.sample for c in plan.value_changes) if s in absent]
    if progress is not None:
        progress(total, total, f"checked {total} rows")


def _plan_cells(plan: ImportPlan, index, sample: SampleRef, row: list[str], header: list[str],
                columns: dict[int, FieldSpec],
                read: Reader, video_cache: dict[str, Any], line: int) -> bool:
    """Plan one row's cells; returns whether the sample has no file yet."""
    own = read(sample.metadata_rel)
    # Listed on disk but unreadable: never overwritten (FORMAT.md).
    broken = own is None and sample.metadata_rel in index.metadata and index.has_own_file(sample)
    video_data = None
    if sample.kind == FRAME:
        if sample.media not in video_cache:
            video_cache[sample.media] = read(SampleRef.video(sample.media).metadata_rel)
        video_data = video_cache[sample.media]
    for i, spec in columns.items():
        text = row[i].strip()
        if not text:
            plan.empty_cells += 1
            continue
        current = effective_value(spec, own, video_data)
        if current.value is not None and text == format_value(current.value):
            plan.unchanged_cells += 1  # also keeps an exported invalid value as it is
            continue
        value, problem = _parse_cell(spec, text)
        if problem is not None:
            plan.issues.append(ImportIssue(
                "value-type", f"expected {spec.type.value}: {problem}", line,
                key=sample.file_name, column=header[i]))
            continue
        stored = get_meta(own, spec.tokens)
        if value is None:
            if stored is MISSING or stored is None:
                plan.unchanged_cells += 1
                continue
        elif current.source != "invalid" and same_value(spec.type, value, current.value):
            plan.unchanged_cells += 1
            continue
        if broken:
            plan.issues.append(ImportIssue(
                "not-editable", f"its file {sample.metadata_rel} exists but cannot be read "
                "(not valid JSON?): repair it before importing", line, key=sample.file_name))
            return False
        blocked = _obstruction(own, spec)
        if blocked:
            plan.issues.append(ImportIssue(
                "not-editable", f"cannot set {spec.path} in {sample.metadata_rel}: {blocked}", line,
                key=sample.file_name, column=header[i]))
            continue
        plan.value_changes.append(ValueChange(sample, spec, current, value, line))
    return own is None


# --- applying ------------------------------------------------------------------------------------


@dataclass
class ApplyResult:
    written: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def apply_changes(workspace, plan: ImportPlan) -> list[SampleRef]:
    """The edit itself: one `workspace.set_value` per changed cell. Returns the samples touched."""
    changes = plan.changes
    for sample, values in changes.items():
        for path, value in values.items():
            workspace.set_value(sample, path, value)
    return list(changes)


def apply_plan(workspace, plan: ImportPlan, save: bool = True,
               on_saved: Callable[[SampleRef, bool], None] | None = None) -> ApplyResult:
    """Apply the plan's changes and (with `save`) write each affected file once.

    Refuses a plan with blocking errors. A file that fails to write stays modified in the
    workspace and is listed in `failed`; the others are still written.
    """
    if not plan.ok:
        raise ValueError("the import plan has errors; nothing may be written")
    samples = apply_changes(workspace, plan)
    result = ApplyResult()
    if not save:
        return result
    from .workspace import ConflictError, WriteError

    index = getattr(workspace, "index", None)
    for sample in samples:
        existed = workspace.document(sample).disk.exists
        try:
            if workspace.save(sample):
                result.written.append(sample.metadata_rel)
                if not existed:
                    result.created.append(sample.metadata_rel)
                if index is not None:
                    index.note_written(sample)
        except (ConflictError, WriteError) as e:
            result.failed.append((sample.metadata_rel, str(e)))
    return result


def run_cli(args) -> int:
    """`main.py import DATASOURCE FILE.csv [--dry-run] [--lightly-root DIR]`: 0 ok, 1 errors, 2 can't open."""
    from .csv_import_report import run_cli as _run

    return _run(args)
