"""The import plan as data: what a CSV import would do, its issues, which of them block it, and its report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.effective.values import Effective
from core.format.findings import ERROR, WARNING
from core.format.samples import SampleRef
from core.format.value_types import format_value
from core.schema.entries import FieldSpec

KEY_COLUMNS = ("file_name", "media", "media_path", "path")
#: Columns that describe the row rather than set a value (written by exports).
IGNORED_COLUMNS = ("type", "frame")
DELIMITERS = ",;\t"
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "'|'", " ": "space", ":": "colon"}

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
    "unterminated-quote": True,  # a quote never closed: the rest of the file would be one cell
    "bad-quote": True,  # a row the strict CSV rules reject (text after a closing quote)
    "line-break": True,  # a cell holding a line break: almost always a quote missing its pair
    "duplicate-key-column": True,  # two key columns of the same name: which one is meant?
    "unknown-column": False,
    "unmatched-row": False,
    "empty-key": False,
}


#: Errors that concern one row: `ImportPlan.skip_invalid_rows` can leave those rows out.
ROW_ERRORS = frozenset({"extra-cells", "value-type", "duplicate-row", "not-editable", "bad-quote",
                        "line-break"})


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
    #: Row errors whose rows are left out ("apply the valid rows, skip the rest").
    skipped: list[ImportIssue] = field(default_factory=list)

    def skip_invalid_rows(self) -> int:
        """Leave out every row with a row error; returns how many rows that is.

        The plan is then `ok` unless an error concerns the whole file (no key column, an
        unterminated quote...): those can't be skipped.
        """
        bad = [i for i in self.issues if i.kind in ROW_ERRORS and i.severity == ERROR]
        if not bad:
            return 0
        lines = {i.line for i in bad}
        self.issues = [i for i in self.issues if i not in bad]
        self.skipped.extend(bad)
        self.value_changes = [c for c in self.value_changes if c.line not in lines]
        kept = {c.sample for c in self.value_changes}
        self.creates = [s for s in self.creates if s in kept]
        return len(lines)

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
            ("invalid rows skipped", len({i.line for i in self.skipped}), WARNING),
        ]

    def report_text(self, limit: int | None = 50) -> str:
        return report_text(self, limit)


@dataclass
class ApplyResult:
    """What `apply_plan` wrote: metadata rels written, created, and (rel, reason) failures."""

    written: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


# --- the dry-run report as text ---------------------------------------------------------------

WHY_ERRORS = "Errors: nothing is written until they are fixed (the values would be wrong or ambiguous)."
WHY_SKIPPED = "Skipped: these rows have errors and are left out; the valid rows are applied."
WHY_WARNINGS = ("Warnings: these rows and columns are left out; the rest can be imported "
                "(a CSV often covers more samples or fields than this datasource).")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _limited(lines: list[str], limit: int | None) -> list[str]:
    if limit is None or len(lines) <= limit:
        return lines
    return lines[:limit] + [f"  … and {len(lines) - limit} more"]


def verdict(plan: ImportPlan) -> str:
    """One line saying whether the import can be applied and what it would do."""
    if not plan.ok:
        n = len(plan.errors)
        return f"{plural(n, 'error')}: nothing will be written."
    if not plan.value_changes:
        return "Nothing to change: every cell is empty or already equal."
    files = len({c.sample for c in plan.value_changes})
    new = f", {len(plan.creates)} of them new" if plan.creates else ""
    return f"Ready: {plural(len(plan.value_changes), 'value')} in {plural(files, 'file')}{new}."


def change_lines(plan: ImportPlan) -> list[str]:
    """The changes grouped by sample: a header line per file, then one line per value."""
    creates = set(plan.creates)
    lines: list[str] = []
    current = None
    for c in plan.value_changes:
        if c.sample != current:
            current = c.sample
            new = f"  (new file {c.sample.metadata_rel})" if c.sample in creates else ""
            lines.append(f"  {c.sample.file_name}{new}")
        lines.append(f"    line {c.line}: {c.text()}")
    return lines


def report_text(plan: ImportPlan, limit: int | None = 50) -> str:
    """A readable dry-run report; `limit` caps each details section (None: everything)."""
    out = [f"Import of {plan.source}"]
    if plan.delimiter is not None:
        parts = [f"delimiter: {DELIMITER_NAMES.get(plan.delimiter, repr(plan.delimiter))}"]
        if plan.key_column:
            parts.insert(0, f"key column: {plan.key_column}")
        parts.append(f"{plan.rows} row{'s' if plan.rows != 1 else ''} ({plan.matched_rows} matched)")
        out.append("  " + " · ".join(parts))
    if plan.columns:
        out.append("  columns:")
        out += [f"    {h!r} -> {s.path} ({s.type.value})" for h, s in plan.columns.items()]
    if plan.ignored_columns:
        out.append(f"  ignored columns: {', '.join(plan.ignored_columns)}")
    out += ["", "Summary"]
    for label, count, severity in plan.summary():
        if label in ("other errors", "invalid rows skipped") and not count:
            continue
        mark = {ERROR: "  error", WARNING: "  warning"}.get(severity, "") if count else ""
        out.append(f"  {label:<32}{count:>7}{mark}")
    if plan.errors:
        out += ["", WHY_ERRORS]
        out += _limited([f"  {i.text()}" for i in plan.errors], limit)
    if plan.skipped:
        out += ["", WHY_SKIPPED]
        out += _limited([f"  {i.text()}" for i in plan.skipped], limit)
    if plan.warnings:
        out += ["", WHY_WARNINGS]
        out += _limited([f"  {i.text()}" for i in plan.warnings], limit)
    if plan.value_changes:
        files = len({c.sample for c in plan.value_changes})
        out += ["", f"Changes ({plural(len(plan.value_changes), 'value')} in {plural(files, 'file')}; "
                "only cells that differ from the value the sample gets now):"]
        out += _limited(change_lines(plan), limit if limit is None else limit * 2)
    out += ["", verdict(plan)]
    return "\n".join(out) + "\n"
