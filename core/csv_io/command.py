"""`main.py import DATASOURCE FILE.csv [--dry-run] [--lightly-root DIR]`: plan, print the report, apply."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from core.csv_io.importer import CsvReadError, apply_plan, plan_import
from core.csv_io.plan import plural, report_text


def _frame_cache():
    try:
        from core.video import counting as video

        return video.FrameCountCache(video.default_cache_path())
    except Exception:  # counting works without a cache
        return None


def run_cli(args, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Plan the import, print the report, apply unless --dry-run. 0 ok, 1 errors, 2 can't open."""
    from core.dataset.index import DatasourceError, scan
    from core.schema.entries import compile_schema, read_schema
    from core.validation.validate import confirm_index_frames
    from core.workspace import Workspace

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
