"""`main.py import DATASOURCE FILE.csv [--dry-run] [--skip-invalid]`: plan, print the report, apply.

An import is resumable, not all-or-nothing: the plan is checked completely before anything
is written (one error and nothing is written), then each file is written atomically (never
torn). Interrupted half-way, running the same command again writes the rest: cells that
already hold their value are skipped.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from core.csv_io.importer import CsvReadError, apply_plan, plan_import
from core.csv_io.plan import ROW_ERRORS, plural, report_text
from core.format.jsonio import remove_stale_temps
from core.format.media import Extensions
from core.storage.location import BucketPath


def _frame_cache():
    try:
        from core.video import counting as video

        return video.FrameCountCache(video.default_cache_path())
    except Exception:  # counting works without a cache
        return None


def listed_reader(ws, index):
    """`ws.data_of` for a workspace with nothing loaded yet, faster for the files the scan
    listed: their place inside .lightly/metadata/ was checked by the walk (links out of it
    are never listed), so no path is resolved again, and the fast JSON path parses them."""
    from core.dataset.processes import read_data
    from core.format.naming import metadata_locator

    known = index.metadata
    at = metadata_locator(index.lightly_root)
    local = not isinstance(at(""), BucketPath)

    def read(rel: str):
        if not local or rel not in known or ws.loaded_document(rel) is not None:
            return ws.data_of(rel)
        ok, got = read_data(at(rel))
        if ok:
            return got
        return None if isinstance(got, OSError) else got.data

    return read


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
        extensions = Extensions.parse(getattr(args, "image_extensions", None),
                                      getattr(args, "video_extensions", None),
                                      getattr(args, "lightly_extensions", None))
        index = scan(args.datasource, getattr(args, "lightly_root", None), extensions, frame_cache=cache)
    except (DatasourceError, ValueError) as e:
        print(f"error: {e}", file=err)
        return 2
    if not args.dry_run:  # a write command: temporary files of killed earlier writes go first
        for path in remove_stale_temps(index.temp_files):
            print(f"removed a temporary file left by an interrupted write: {path}", file=err)
    schema = read_schema(index.lightly_root)
    if schema.error is not None:
        print(f"error: schema.json: {schema.error}; repair it before importing", file=err)
        return 2
    specs = compile_schema(schema.entries)
    ws = Workspace(index.media_root, index.lightly_root)
    ws.index = index
    try:
        read = listed_reader(ws, index)
        plan = plan_import(index, specs, Path(csv_path), read=read)
        if plan.mentions_frames and index.videos:
            # Frame names depend on decoded frame counts: confirm them, then plan again.
            confirm_index_frames(index, cache)
            plan = plan_import(index, specs, Path(csv_path), read=read)
    except CsvReadError as e:
        print(f"error: {e}", file=err)
        return 2
    finally:
        if cache is not None:
            try:
                cache.save()
            except OSError:
                pass
    skipped = plan.skip_invalid_rows() if getattr(args, "skip_invalid", False) else 0
    print(report_text(plan, limit=200), file=out, end="")
    if not plan.ok:
        hint = "" if skipped or not any(i.kind in ROW_ERRORS for i in plan.errors) else (
            " (--skip-invalid applies the valid rows and skips the rest)")
        print(f"Nothing was written.{hint}", file=out)
        return 1
    if args.dry_run or not plan.value_changes:
        print("Dry run: nothing was written." if args.dry_run else "Nothing was written.", file=out)
        return 0
    done: list = []
    try:
        result = apply_plan(ws, plan, on_saved=lambda sample, wrote: done.append(sample))
    except KeyboardInterrupt:
        print(f"Interrupted after writing {plural(len(done), 'file')}: every file written is complete; "
              "run the same command again to write the rest.", file=err)
        return 130
    created = f" ({len(result.created)} created)" if result.created else ""
    print(f"Wrote {plural(len(result.written), 'file')}{created}.", file=out)
    for _rel, reason in result.failed:
        print(f"error: {reason}", file=err)
    if result.failed:
        print("The files above were not written; the others were. After fixing the cause, run the "
              "same command again: values already written are skipped.", file=err)
    return 2 if result.failed else 0
