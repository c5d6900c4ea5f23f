"""The import's dry-run report as text, and the `import` CLI command that prints it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from .csv_import import CsvReadError, ImportPlan, apply_plan, plan_import
from .csv_import_plan import DELIMITER_NAMES
from .findings import ERROR, WARNING

WHY_ERRORS = "Errors: nothing is written until they are fixed (the values would be wrong or ambiguous)."
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
        if label == "other errors" and not count:
            continue
        mark = {ERROR: "  error", WARNING: "  warning"}.get(severity, "") if count else ""
        out.append(f"  {label:<32}{count:>7}{mark}")
    if plan.errors:
        out += ["", WHY_ERRORS]
        out += _limited([f"  {i.text()}" for i in plan.errors], limit)
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


def _frame_cache():
    try:
        from . import video

        return video.FrameCountCache(video.default_cache_path())
    except Exception:  # counting works without a cache
        return None


def run_cli(args, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Plan the import, print the report, apply unless --dry-run. 0 ok, 1 errors, 2 can't open."""
    from .index import DatasourceError, scan
    from .schema import compile_schema, read_schema
    from .validation import confirm_index_frames
    from .workspace import Workspace

    out = out or sys.stdout
    err = err or sys.stderr
    csv_path = getattr(args, "csv", None) or getattr(args, "csv_file", None)
    if not csv_path or not Path(csv_path).is_file():
        print(f"error: {csv_path}: no such CSV file", file=err)
        return 2
    cache = _frame_cache()
    try:
        index = scan(args.datasource, getattr(args, "lightly_root", None), frame_cache=cache)
    except DatasourceError as e:
        print(f"error: {e}", file=err)
        return 2
    schema = read_schema(index.lightly_root)
    if schema.error is not None:
        print(f"error: schema.json: {schema.error}; repair it before importing", file=err)
        return 2
    specs = compile_schema(schema.entries)
    ws = Workspace(index.media_root, index.lightly_root)
    ws.index = index
    try:
        plan = plan_import(index, specs, Path(csv_path), read=ws.data_of)
        if plan.mentions_frames and index.videos:
            # Frame names depend on decoded frame counts: confirm them, then plan again.
            confirm_index_frames(index, cache)
            plan = plan_import(index, specs, Path(csv_path), read=ws.data_of)
    except CsvReadError as e:
        print(f"error: {e}", file=err)
        return 2
    finally:
        if cache is not None:
            try:
                cache.save()
            except OSError:
                pass
    print(report_text(plan, limit=200), file=out, end="")
    if not plan.ok:
        print("Nothing was written.", file=out)
        return 1
    if args.dry_run or not plan.value_changes:
        print("Dry run: nothing was written." if args.dry_run else "Nothing was written.", file=out)
        return 0
    result = apply_plan(ws, plan)
    created = f" ({len(result.created)} created)" if result.created else ""
    print(f"Wrote {plural(len(result.written), 'file')}{created}.", file=out)
    for _rel, reason in result.failed:
        print(f"error: {reason}", file=err)
    return 2 if result.failed else 0
