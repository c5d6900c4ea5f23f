"""Importing values from a CSV: plan first (a dry-run report), then apply only what differs.

The CSV has a key column (`file_name` as Lightly writes it, frames included, or `media`:
a media path) and one column per schema entry, by its name or its path. A cell is
compared with the value the sample already gets (own, inherited from its video, or the
default: what an export writes), so re-importing an export changes nothing. An empty
cell leaves the value alone; the literal `null` stores null (the default applies again).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from core.csv_io.formulas import restore
from core.csv_io.plan import (
    BLOCKING,
    DELIMITER_NAMES,
    KEY_COLUMNS,
    ApplyResult,
    CsvReadError,
    ImportIssue,
    ImportPlan,
    ValueChange,
)
from core.csv_io.read import (
    detect_delimiter,
    map_columns,
    obstruction,
    parse_cell,
    read_csv_text,
    resolve_key,
    same_value,
    single_column_issue,
)
from core.csv_io.rows import read_rows
from core.dataset.walk import Cancel, Progress, check_cancel
from core.effective.values import Reader, disk_reader, row_maker
from core.format.keypath import MISSING, PathSyntaxError
from core.format.metadata_file import NotEditableError, get_meta
from core.format.naming import FRAME, parse_frame_name
from core.format.samples import SampleRef
from core.format.value_types import format_value
from core.schema.entries import FieldSpec

__all__ = [
    "BLOCKING", "ApplyResult", "CsvReadError", "ImportIssue", "ImportPlan", "ValueChange",
    "apply_changes", "apply_plan", "detect_delimiter", "plan_import", "read_csv_text", "resolve_key",
]

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
    rows = read_rows(plan, text)
    if not rows:
        if not plan.issues:
            plan.issues.append(ImportIssue("csv", "the file has no header row"))
        return plan
    header = [h.strip() for h in rows.pop(0)[1]]
    if len(header) == 1 and header[0] not in KEY_COLUMNS:
        plan.issues.append(single_column_issue(text.splitlines()[0]))
        return plan
    specs = tuple(specs)
    columns = map_columns(plan, header, specs)
    if plan.key_column is None:
        return plan
    _plan_rows(plan, index, header, columns, rows, read or disk_reader(index), progress, cancel)
    return plan


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
    current_row = row_maker(columns.values())  # the values the mapped columns have now
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
        broken_cell = next((i for i, c in enumerate(row) if "\n" in c or "\r" in c), None)
        if broken_cell is not None:
            end = line + row[broken_cell].count("\n")
            col = header[broken_cell] if broken_cell < len(header) else f"#{broken_cell + 1}"
            plan.issues.append(ImportIssue(
                "line-break", f"the cell spans lines {line}-{end}: is a quote missing its pair? "
                "(cells with line breaks are not imported)", line, key=row[key_i].strip() or None,
                column=col))
            continue
        key = restore(row[key_i].strip())
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
        if _plan_cells(plan, index, sample, row, header, columns, read, video_cache, line, current_row):
            absent.add(sample)
    if plan.rows and single_cells == plan.rows:
        name = DELIMITER_NAMES.get(plan.delimiter, repr(plan.delimiter))
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
                read: Reader, video_cache: dict[str, Any], line: int, current_row) -> bool:
    """Plan one row's cells; returns whether the sample has no file yet."""
    own = read(sample.metadata_rel)
    # Listed on disk but unreadable: never overwritten (FORMAT.md).
    broken = own is None and sample.metadata_rel in index.metadata and index.has_own_file(sample)
    broken = broken or sample.metadata_rel in getattr(index, "links_outside", ())
    video_data = None
    if sample.kind == FRAME:
        if sample.media not in video_cache:
            video_cache[sample.media] = read(SampleRef.video(sample.media).metadata_rel)
        video_data = video_cache[sample.media]
    currents = current_row(own, video_data)
    for (i, spec), current in zip(columns.items(), currents):
        text = restore(row[i].strip())
        if not text:
            plan.empty_cells += 1
            continue
        if current.value is not None and text == format_value(current.value):
            plan.unchanged_cells += 1  # also keeps an exported invalid value as it is
            continue
        value, problem = parse_cell(spec, text)
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
            why = ("is a link leading outside .lightly/metadata/: never written through"
                   if sample.metadata_rel in getattr(index, "links_outside", ()) else
                   "exists but cannot be read (not valid JSON?): repair it before importing")
            plan.issues.append(ImportIssue(
                "not-editable", f"its file {sample.metadata_rel} {why}", line, key=sample.file_name))
            return False
        blocked = obstruction(own, spec)
        if blocked:
            plan.issues.append(ImportIssue(
                "not-editable", f"cannot set {spec.path} in {sample.metadata_rel}: {blocked}", line,
                key=sample.file_name, column=header[i]))
            continue
        plan.value_changes.append(ValueChange(sample, spec, current, value, line))
    return own is None


# --- applying ------------------------------------------------------------------------------------


def apply_changes(workspace, plan: ImportPlan,
                  failed: list[tuple[str, str]] | None = None) -> list[SampleRef]:
    """The edit itself: one `workspace.set_value` per changed cell. Returns the samples touched.

    A sample whose file cannot take the values (broken meanwhile, a link out of the folder)
    is left as it was and, with `failed`, listed there as (metadata rel, reason).
    """
    from core.workspace import BrokenFileError

    touched = []
    for sample, values in plan.changes.items():
        snap = workspace.snapshot(sample)
        try:
            for path, value in values.items():
                workspace.set_value(sample, path, value)
        except (BrokenFileError, NotEditableError, PathSyntaxError) as e:
            workspace.restore(sample, snap)
            if failed is None:
                raise
            failed.append((sample.metadata_rel, f"{sample.metadata_rel}: not changed: {e}"))
            continue
        touched.append(sample)
    return touched


def apply_plan(workspace, plan: ImportPlan, save: bool = True,
               on_saved: Callable[[SampleRef, bool], None] | None = None) -> ApplyResult:
    """Apply the plan's changes and (with `save`) write each affected file once.

    Refuses a plan with blocking errors. A file that cannot be changed or written stays as
    it was (or modified in the workspace) and is listed in `failed`; the others are still
    written. `on_saved(sample, wrote)` is called after each file.
    """
    if not plan.ok:
        raise ValueError("the import plan has errors; nothing may be written")
    result = ApplyResult()
    samples = apply_changes(workspace, plan, result.failed)
    if not save:
        return result
    from core.workspace import ConflictError, WriteError

    index = getattr(workspace, "index", None)
    for sample in samples:
        existed = workspace.document(sample).disk.exists
        try:
            wrote = workspace.save(sample)
        except (ConflictError, WriteError) as e:
            result.failed.append((sample.metadata_rel, str(e)))
            continue
        if wrote:
            result.written.append(sample.metadata_rel)
            if not existed:
                result.created.append(sample.metadata_rel)
            if index is not None:
                index.note_written(sample)
        if on_saved is not None:
            on_saved(sample, wrote)
    return result
