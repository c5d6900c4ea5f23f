"""Validating a datasource: schema lint, scan findings, and per-file checks, as `Finding`s.

`validate_document` checks one metadata file and is reused by the GUI after each save;
`validate` is one streaming pass over every metadata file (each read and parsed once);
`validate_datasource` is the whole headless flow the CLI runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from core.dataset.index import DatasourceIndex, MetaFileInfo, scan
from core.dataset.walk import Cancel, Progress, check_cancel
from core.format.findings import ERROR, INFO, WARNING, Finding
from core.format.keypath import MISSING, format_path
from core.format.limits import INT64_MAX, INT64_MIN
from core.format.media import Extensions
from core.format.metadata_file import TOP_LEVEL_KEYS, DiskState, read_disk_state
from core.format.naming import FRAME, IMAGE, VIDEO, frame_file_name, metadata_locator, metadata_rel
from core.format.value_types import ValueType, describe, type_error
from core.schema.entries import FieldSpec, SchemaFile, compile_schema, read_schema
from core.schema.lint import lint_schema_file
from core.validation.media_checks import media_findings
from core.video import counting as video_mod

KINDS = (IMAGE, VIDEO, FRAME)
#: A value on the way to a schema path has the wrong kind (see _blocked).
PATH_BLOCKED = "path-blocked"


def _frame_rel_name(rel: str) -> str:
    """The frame `file_name` implied by where a frame file lives (`a-09-mp4.json` -> `.png`)."""
    return rel[: -len(".json")] + ".png"


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
        return [_frame_rel_name(rel)], FRAME
    return [], None


def _orphan_name_fits(rel: str, file_name: str, type_: Any) -> bool:
    if type_ == FRAME:
        return file_name.endswith(".png") and _frame_rel_name(rel) == file_name
    return metadata_rel(file_name) == rel


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
        if state.error is not None:
            e = state.error
            return [Finding(ERROR, e.code, rel, e.message, media=media, line=e.line, column=e.column)]
        if not state.exists:
            return []
        data = state.data
    else:
        data = state
        if data is None:
            return []
    out: list[Finding] = []

    def add(code: str, message: str, severity: str = ERROR, **kw) -> None:
        out.append(Finding(severity, code, rel, message, media=media, **kw))

    if not isinstance(data, dict):
        add("wrong-type-field", f"the file must hold a JSON object, not {describe(data)}")
        return out
    for key in TOP_LEVEL_KEYS:
        if key not in data:
            add("missing-key", f"missing top-level key {key!r}", path=key)
    names, kind = _expected(rel, info, index)
    if "file_name" in data:
        fname = data["file_name"]
        if not isinstance(fname, str):
            add("wrong-file-name", f"file_name must be a string, not {describe(fname)}",
                path="file_name", fix=names[0] if names else None)
        elif names and fname not in names:
            add("wrong-file-name", f"file_name is {fname!r}, expected {names[0]!r}",
                path="file_name", fix=names[0])
        elif not names and not _orphan_name_fits(rel, fname, data.get("type")):
            add("wrong-file-name", f"file_name {fname!r} does not match the file's location {rel!r}",
                path="file_name")
    if "type" in data:
        t = data["type"]
        if kind is not None and t != kind:
            add("wrong-type-field", f"type is {format_json(t)}, expected {kind!r}", path="type", fix=kind)
        elif kind is None and t not in KINDS:
            add("wrong-type-field", f"type is {format_json(t)}, expected 'image', 'video' or 'frame'",
                path="type")
    if "metadata" in data and not isinstance(data["metadata"], dict):
        add("wrong-type-field", f"metadata must be a JSON object, not {describe(data['metadata'])}",
            path="metadata")
    elif isinstance(data.get("metadata"), dict):
        meta = data["metadata"]
        for spec in specs:
            tokens = spec.tokens
            if len(tokens) == 1:  # the common flat key, without a call
                value = meta.get(tokens[0], MISSING) if type(tokens[0]) is str else _lookup(meta, tokens)
            else:
                value = _lookup(meta, tokens)
            if value is None:
                continue
            if value is MISSING:
                if len(tokens) > 1:
                    blocked = _blocked(meta, tokens)
                    if blocked is not None:
                        add(PATH_BLOCKED, f"{spec.label}: {blocked}", path=spec.path)
                continue
            tv = type(value)
            if tv in _FAST_OK[spec.type] and (tv is not int or INT64_MIN <= value <= INT64_MAX):
                continue
            reason = type_error(spec.type, value)
            if reason is not None:
                add("value-type", f"{spec.label} ({spec.type.value}): {reason}", path=spec.path)
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            add("extra-top-level-key", f"unexpected top-level key {key!r} (kept on save)", WARNING, path=key)
    return out


#: Exact Python types that always fit a value type (the common case, checked without calls);
#: anything else goes through value_types.type_error for the verdict and its reason.
_FAST_OK: dict[ValueType, tuple[type, ...]] = {
    ValueType.NUMERIC_INT: (int,),
    ValueType.CATEGORICAL_INT: (int,),
    ValueType.CATEGORICAL_TIMESTAMP: (int,),
    ValueType.NUMERIC_FLOAT: (int, float),  # strict JSON has no NaN/Infinity
    ValueType.CATEGORICAL_BOOLEAN: (bool,),
    ValueType.CATEGORICAL_STRING: (str,),
    ValueType.OTHER_STRING: (str,),
    ValueType.CATEGORICAL_DATETIME: (),  # needs parsing
}


def _lookup(meta: dict, tokens: tuple) -> Any:
    """keypath.get_value without per-call overhead (hot loop: files x schema entries)."""
    cur: Any = meta
    for t in tokens:
        if type(t) is int:
            if type(cur) is not list or t >= len(cur):
                return MISSING
        elif type(cur) is not dict or t not in cur:
            return MISSING
        cur = cur[t]
    return cur


def _blocked(meta: dict, tokens: tuple) -> str | None:
    """Why a missing path does not resolve because a value on the way is of the wrong kind
    (an array where the path needs an object): Lightly then silently uses the default."""
    cur: Any = meta
    for i, t in enumerate(tokens[:-1]):
        cur = cur.get(t, MISSING) if type(t) is str else (cur[t] if t < len(cur) else MISSING)
        if cur is MISSING or cur is None:
            return None
        want = list if type(tokens[i + 1]) is int else dict
        if type(cur) is not want:
            where = format_path(tokens[: i + 1])
            need = "an array" if want is list else "an object"
            return (f"{where!r} holds {describe(cur)} where the path needs {need}: Lightly cannot "
                    "resolve it and uses the default")
    return None


def format_json(value: Any) -> str:
    return repr(value) if isinstance(value, str) else describe(value)


def validate(
    index: DatasourceIndex,
    schema_file: SchemaFile,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> list[Finding]:
    """Schema lint + scan findings + every metadata file's checks, in one pass."""
    findings = lint_schema_file(schema_file)
    specs = compile_schema(schema_file.entries)
    per_file: list[Finding] = list(index.findings) + media_findings(index)
    at = metadata_locator(index.lightly_root)
    total = len(index.metadata)
    for done, (rel, info) in enumerate(index.metadata.items()):
        if done % 256 == 0:
            check_cancel(cancel)
            if progress is not None:
                progress(done, total, f"validating {done}/{total}")
        try:
            state = read_disk_state(at(rel))  # rel is index-made: relative, "/"-separated
        except OSError as e:
            msg = f"cannot read the file ({e.strerror or e})"
            per_file.append(Finding(ERROR, "invalid-json", rel, msg, media=info.media))
            continue
        per_file.extend(validate_document(rel, info, state, specs, index))
    if progress is not None:
        progress(total, total, f"validated {total} files")
    per_file.sort(key=lambda f: f.file)  # stable: each file's findings keep their order
    return findings + per_file


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
) -> tuple[DatasourceIndex, list[Finding]]:
    """Scan, confirm frame counts by decoding (unless told not to), and validate everything.

    Raises DatasourceError when a folder cannot be opened.
    """
    index = scan(media_root, lightly_root, extensions, frame_cache, progress, cancel)
    if confirm_frames:
        confirm_index_frames(index, frame_cache, progress, cancel)
    return index, validate(index, read_schema(index.lightly_root), progress, cancel)


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
