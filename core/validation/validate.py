"""Validating a datasource: schema lint, scan findings, and per-file checks, as `Finding`s.

`validate_document` checks one metadata file and is reused by the GUI after each save;
`validate` is one streaming pass over every metadata file (each read and parsed once);
`validate_datasource` is the whole headless flow the CLI runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from core.dataset.index import DatasourceIndex, MetaFileInfo, scan
from core.dataset.walk import Cancel, Progress, check_cancel
from core.format.findings import ERROR, INFO, WARNING, Finding
from core.format.keypath import MISSING
from core.format.media import Extensions
from core.format.metadata_file import DiskState, read_disk_state
from core.format.naming import FRAME, IMAGE, VIDEO, frame_file_name, metadata_locator
from core.schema.entries import FieldSpec, SchemaFile, compile_schema, read_schema
from core.schema.lint import lint_schema_file
from core.storage.location import location
from core.validation import document, parallel
from core.validation.document import frame_rel_name
from core.validation.media_checks import media_findings
from core.video import counting as video_mod

KINDS = document.KINDS
PATH_BLOCKED = document.PATH_BLOCKED
format_json = document.format_json


def _expected(rel: str, info: MetaFileInfo, index: DatasourceIndex | None) -> tuple[list[str], str | None]:
    """The acceptable file_names (first = the fix) and the expected `type`, if known."""
    if info.kind in (IMAGE, VIDEO):
        media = index.media_for_metadata(rel) if index is not None else []
        media = media or [info.media]
        return media, info.kind
    if info.kind == FRAME:
        n = index.frame_counts.get(info.media) if index is not None else None
        if n is not None and info.frame < n:
            return [frame_file_name(info.media, info.frame, n)], FRAME
        return [frame_rel_name(rel)], FRAME
    return [], None


def state_findings(rel: str, media: str | None, state: DiskState) -> list[Finding] | None:
    """The finding of a file that could not be read or parsed ([] when absent; None: it parsed)."""
    if state.error is not None:
        e = state.error
        return [Finding(ERROR, e.code, rel, e.message, media=media, line=e.line, column=e.column)]
    return None if state.exists else []


def validate_document(
    rel: str,
    info: MetaFileInfo,
    state: DiskState | Any,
    specs: Iterable[FieldSpec],
    index: DatasourceIndex | None = None,
) -> list[Finding]:
    """Findings for one metadata file, given its DiskState or its parsed content.

    An absent file (a DiskState that does not exist, or None) has no findings.
    """
    media = info.media
    if isinstance(state, DiskState):
        early = state_findings(rel, media, state)
        if early is not None:
            return early
        data = state.data
    else:
        data = state
        if data is None:
            return []
    parts = document.not_object(data)
    if parts is None:
        names, kind = _expected(rel, info, index)
        parts = document.head(data) + document.identity(
            rel, data.get("file_name", MISSING), data.get("type", MISSING), names, kind
        ) + document.body(data, specs)
    return document.findings_of(parts, rel, media)


def validate(
    index: DatasourceIndex,
    schema_file: SchemaFile,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    checks: parallel.Checks | None = None,
    seen: Callable[[Any], None] | None = None,
) -> list[Finding]:
    """Schema lint + scan findings + every metadata file's checks, in one pass.

    With `checks` (core.validation.parallel: the files read and checked by worker
    processes), their results are finished here; the findings are the same. Without them,
    `seen(data)` gets each file's parsed JSON as it is read (the window collects the values
    used from the same pass instead of reading every file again).
    """
    findings = lint_schema_file(schema_file)
    specs = compile_schema(schema_file.entries)
    per_file: list[Finding] = list(index.findings) + media_findings(index)
    at = metadata_locator(index.lightly_root)
    total = len(index.metadata)
    if checks is not None:
        per_file += _finish_checks(index, specs, checks, at, progress, cancel, seen)
    else:
        for done, (rel, info) in enumerate(index.metadata.items()):
            if done % 256 == 0:
                check_cancel(cancel)
                if progress is not None:
                    progress(done, total, f"validating {done}/{total}")
            per_file += _check_file(rel, info, at, specs, index, seen)
    if progress is not None:
        progress(total, total, f"validated {total} files")
    per_file.sort(key=lambda f: f.file)  # stable: each file's findings keep their order
    return findings + per_file


def _check_file(rel: str, info: MetaFileInfo, at, specs, index: DatasourceIndex, seen=None) -> list[Finding]:
    try:
        state = read_disk_state(at(rel))  # rel is index-made: relative, "/"-separated
    except OSError as e:
        msg = f"cannot read the file ({e.strerror or e})"
        return [Finding(ERROR, "invalid-json", rel, msg, media=info.media)]
    if seen is not None and state.error is None and state.data is not None:
        seen(state.data)
    return validate_document(rel, info, state, specs, index)


def _finish_checks(index, specs, checks: parallel.Checks, at, progress, cancel, seen=None) -> list[Finding]:
    """The workers' results joined with the index (both in sorted order of the rels); a file
    the workers did not list (made since) is checked here, one they listed that the index
    does not know is left out, as in one process."""
    out: list[Finding] = []
    results = checks.results(cancel)
    pending = next(results, None)
    total = len(index.metadata)
    media_kinds = (IMAGE, VIDEO)
    for done, (rel, info) in enumerate(index.sorted_items()):
        if done % 256 == 0:
            check_cancel(cancel)
            if progress is not None:
                progress(done, total, f"validating {done}/{total}")
        while pending is not None and pending[0] < rel:
            pending = next(results, None)
        if pending is None or pending[0] != rel:
            out += _check_file(rel, info, at, specs, index, seen)
            continue
        d = pending[1]
        pending = next(results, None)
        what = d[0]
        if what == parallel.DOC:
            if not d[1] and not d[4] and d[2] == info.media and d[3] == info.kind in media_kinds:
                continue  # the common file: its own media's name and kind, nothing else to say
            names, kind = _expected(rel, info, index)
            parts = document.identity(rel, d[2], d[3], names, kind)
            if d[1] or d[4] or parts:
                out += document.findings_of(d[1] + parts + d[4], rel, info.media)
        elif what == parallel.BROKEN:
            out.append(Finding(ERROR, d[1], rel, d[2], media=info.media, line=d[3], column=d[4]))
        elif what == parallel.UNREADABLE:
            out.append(Finding(ERROR, "invalid-json", rel, d[1], media=info.media))
        elif what == parallel.FINAL:
            out += document.findings_of(d[1], rel, info.media)
    return out


def confirm_index_frames(
    index: DatasourceIndex,
    frame_cache=None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> None:
    """Replace quick frame counts by decoded ones; problems become unreadable-video findings."""
    items = [(v, index.path_of_media(v)) for v in index.videos]
    if not items:
        return
    def counted(done: int, total: int, label: str) -> None:
        progress(done, total, f"counting frames {done}/{total}: {label}")

    reported = counted if progress is not None else None
    for r in video_mod.confirm_frame_counts(items, frame_cache, progress=reported, cancel=cancel):
        if r.error:
            reason = r.error.removeprefix(f"{r.video}: ")  # VideoReadError names the file
            index.set_frame_count(r.video, None, problem=reason)
        elif r.mismatch:
            if r.packets is not None and r.packets != r.frames:
                problem = f"decoding gives {r.frames} frames but the file has {r.packets} frame packets"
            else:
                problem = f"the file has damaged packets; {r.frames} frames decode"
            problem += " (the decoded count is used: check the video)"
            index.set_frame_count(r.video, r.frames, problem=problem)
        else:
            index.set_frame_count(r.video, r.frames)


def validate_datasource(
    media_root: str | Path,
    lightly_root: str | Path | None = None,
    extensions: Extensions | None = None,
    confirm_frames: bool = True,
    progress: Progress | None = None,
    *,
    frame_cache=None,
    cancel: Cancel | None = None,
    processes: bool = True,
) -> tuple[DatasourceIndex, list[Finding]]:
    """Scan, confirm frame counts by decoding (unless told not to), and validate everything.

    A large local datasource is read by worker processes while the index is built (unless
    not `processes`): core.validation.parallel.

    Raises DatasourceError when a folder cannot be opened.
    """
    checks = _start_checks(media_root, lightly_root) if processes else None
    try:
        index = scan(media_root, lightly_root, extensions, frame_cache, progress, cancel)
        if confirm_frames:
            confirm_index_frames(index, frame_cache, progress, cancel)
        schema = read_schema(index.lightly_root)
        if checks is not None and compile_schema(schema.entries) != checks.specs:
            checks.close()  # schema.json changed meanwhile: check again in one process
            checks = None
        return index, validate(index, schema, progress, cancel, checks)
    finally:
        if checks is not None:
            checks.close()


def _start_checks(media_root, lightly_root) -> parallel.Checks | None:
    """Worker processes reading the metadata files while the index is built (a big local datasource)."""
    try:
        specs = compile_schema(read_schema(location(lightly_root if lightly_root is not None
                                                    else media_root)).entries)
    except (OSError, ValueError):
        return None
    return parallel.start(media_root, lightly_root, specs)


def summary(findings: Iterable[Finding], n_files: int | None = None) -> str:
    """One line: counts of errors and warnings (and how many files were checked)."""
    counts = {ERROR: 0, WARNING: 0, INFO: 0}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    e, w = counts[ERROR], counts[WARNING]
    text = f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''}"
    if n_files is not None:
        text += f" in {n_files} metadata file{'s' if n_files != 1 else ''}"
    return text
