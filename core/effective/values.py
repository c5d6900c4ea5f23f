"""Effective values: what Lightly would use for each schema entry of each sample.

FORMAT.md: a present, non-null value in the sample's own file wins; a frame falls
back to its video's file; otherwise the entry's default. A value of the wrong type is
reported (source INVALID with the reason), never coerced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from core.dataset.walk import Cancel, Progress, check_cancel
from core.format.keypath import MISSING, follow
from core.format.limits import INT64_MAX, INT64_MIN
from core.format.metadata_file import get_meta, read_disk_state
from core.format.naming import FRAME, IMAGE, metadata_locator
from core.format.samples import SampleRef
from core.format.value_types import ValueType, type_error
from core.schema.entries import FieldSpec

FILE = "file"
VIDEO = "video"
DEFAULT = "default"
INVALID = "invalid"
SOURCES = (FILE, VIDEO, DEFAULT, INVALID)

Reader = Callable[[str], Any]


@dataclass(frozen=True)
class Effective:
    """A value and where it came from (FILE, VIDEO, DEFAULT, or INVALID with `reason`)."""

    value: Any
    source: str
    reason: str | None = None


@dataclass(frozen=True)
class Broken:
    """What a reader returns for a metadata file Lightly cannot read (not valid JSON)."""

    reason: str


#: What a reader returns for a metadata file that is a link out of `.lightly/metadata/` (not read).
LINKED_OUT = Broken("metadata file is a link that leads outside .lightly/metadata/ (not read)")


def broken(error: Exception) -> Broken:
    """The marker for a file that failed to parse with `error` (a jsonio.JsonSyntaxError)."""
    line, column = getattr(error, "line", None), getattr(error, "column", None)
    where = f"line {line}, column {column}" if line is not None else str(error)
    code = getattr(error, "code", "invalid-json")
    if code != "invalid-json":
        return Broken(f"metadata file cannot be used ({code}: {error})")
    return Broken(f"metadata file is not valid JSON ({where})")


def _checked(spec: FieldSpec, value: Any, source: str, where: str) -> Effective:
    reason = type_error(spec.type, value)
    if reason is not None:
        return Effective(value, INVALID, f"{where}: {reason}")
    return Effective(value, source)


def effective_value(spec: FieldSpec, own_data: Any, video_data: Any = None) -> Effective:
    """The value of `spec` for a sample whose file holds `own_data` (None: no file).

    For a frame, pass its video's data as `video_data`; it is used when the frame's own
    file has no value. A `Broken` file makes every value it would give INVALID.
    """
    if isinstance(own_data, Broken):
        return Effective(None, INVALID, own_data.reason)
    value = get_meta(own_data, spec.tokens)
    if value is not MISSING and value is not None:
        return _checked(spec, value, FILE, "value in the file")
    if isinstance(video_data, Broken):
        return Effective(None, INVALID, f"the video's {video_data.reason}")
    if video_data is not None:
        value = get_meta(video_data, spec.tokens)
        if value is not MISSING and value is not None:
            return _checked(spec, value, VIDEO, "value in the video's file")
    if spec.default is None:
        return Effective(None, DEFAULT)
    return _checked(spec, spec.default, DEFAULT, "schema defaultValue")


def effective_row(specs: Iterable[FieldSpec], own_data: Any, video_data: Any = None) -> list[Effective]:
    """`effective_value` for every spec, in schema order."""
    return [effective_value(s, own_data, video_data) for s in specs]


def row_maker(specs: Iterable[FieldSpec]) -> Callable[[Any, Any], list[Effective]]:
    """`effective_row` for many files with the same specs, faster: each spec's default is
    checked once, paths are followed without calls, and values of the plainly right type skip
    type_error. Same results (tests/core/effective: compared with effective_row)."""
    plan = []
    for spec in specs:
        default = Effective(None, DEFAULT) if spec.default is None else _checked(
            spec, spec.default, DEFAULT, "schema defaultValue")
        plan.append((spec, spec.tokens, _PLAIN.get(spec.type, ()), default))

    def value_of(spec, value, ok, source: str, where: str) -> Effective:
        tv = type(value)
        if tv in ok:
            if tv is int:
                plain = INT64_MIN <= value <= INT64_MAX
            else:
                plain = tv is not float or value - value == 0  # finite
            if plain:
                return _plain(value, source)
        return _checked(spec, value, source, where)

    def row(own: Any, video_data: Any = None) -> list[Effective]:
        if isinstance(own, Broken):
            return [Effective(None, INVALID, own.reason) for _ in plan]
        meta = own.get("metadata") if isinstance(own, dict) else None
        if not isinstance(meta, dict):
            meta = None
        video_broken = isinstance(video_data, Broken)
        vmeta = video_data.get("metadata") if isinstance(video_data, dict) else None
        if not isinstance(vmeta, dict):
            vmeta = None
        out = []
        for spec, tokens, ok, default in plan:
            if meta is not None:
                value = follow(meta, tokens)
                if value is not MISSING and value is not None:
                    out.append(value_of(spec, value, ok, FILE, "value in the file"))
                    continue
            if video_broken:
                out.append(Effective(None, INVALID, f"the video's {video_data.reason}"))
                continue
            if vmeta is not None:
                value = follow(vmeta, tokens)
                if value is not MISSING and value is not None:
                    out.append(value_of(spec, value, ok, VIDEO, "value in the video's file"))
                    continue
            out.append(default)
        return out

    return row


def _plain(value: Any, source: str) -> Effective:
    """Effective(value, source) at half the cost of the frozen dataclass's __init__ (hot loop)."""
    e = _new(Effective)
    d = e.__dict__
    d["value"], d["source"], d["reason"] = value, source, None
    return e


_new = object.__new__


#: Exact types that always fit (ints within 64 bits, finite floats); others go to type_error.
_PLAIN: dict[ValueType, tuple[type, ...]] = {
    ValueType.NUMERIC_INT: (int,),
    ValueType.CATEGORICAL_INT: (int,),
    ValueType.CATEGORICAL_TIMESTAMP: (int,),
    ValueType.NUMERIC_FLOAT: (int, float),
    ValueType.CATEGORICAL_BOOLEAN: (bool,),
    ValueType.CATEGORICAL_STRING: (str,),
    ValueType.OTHER_STRING: (str,),
}


def disk_reader(index) -> Reader:
    """A reader of metadata files from disk; only files the index knows are opened.

    Missing or unreadable files read as None (absent), so their values fall back; a file
    that is not valid JSON reads as a `Broken` marker (its values are INVALID).
    """
    at = metadata_locator(index.lightly_root)

    links = getattr(index, "links_outside", ())

    def read(rel: str) -> Any:
        if rel not in index.metadata:
            return LINKED_OUT if rel in links else None
        try:
            state = read_disk_state(at(rel))
        except OSError:
            return None
        return state.data if state.error is None else broken(state.error)

    return read


def iter_effective_rows(
    index,
    specs: Iterable[FieldSpec],
    frames: bool = False,
    read: Reader | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Iterator[tuple[SampleRef, list[Effective]]]:
    """(sample, effective values) for every sample of `index`, each file read once.

    `read(metadata_rel)` returns parsed data or None; it is called for every sample (the
    default reads from disk and skips files the index does not list). A video's data is
    kept while its frames are produced.
    """
    specs = tuple(specs)
    reader = read or disk_reader(index)
    total = index.n_samples(frames)
    video_data: Any = None
    for done, sample in enumerate(index.samples(frames)):
        if done % 256 == 0:
            check_cancel(cancel)
            if progress is not None:
                progress(done, total, f"reading values {done}/{total}")
        own = reader(sample.metadata_rel)
        if sample.kind == FRAME:
            yield sample, effective_row(specs, own, video_data)
        else:
            if sample.kind != IMAGE:  # a whole video: its frames follow and fall back to it
                video_data = own
            yield sample, effective_row(specs, own)
    if progress is not None:
        progress(total, total, f"read values of {total} samples")
