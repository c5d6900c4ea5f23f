"""The checks of one metadata file's content, as parts of findings (no index, no Finding yet).

A part is (severity, code, message, extra fields). The content checks (`head`, `body`) need
only the parsed file and the schema; `identity` (file_name and type) needs what the index
expects. core.validation.validate joins them into `Finding`s; the parallel validation runs
`head`/`body` in worker processes and `identity` in the main one, in the same order, so
both give the same findings. Imports only core.format and core.schema (workers load little).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.format.findings import ERROR, WARNING, Finding
from core.format.keypath import MISSING, format_path
from core.format.limits import INT64_MAX, INT64_MIN
from core.format.metadata_file import TOP_LEVEL_KEYS
from core.format.naming import FRAME, IMAGE, VIDEO, metadata_rel
from core.format.value_types import ValueType, describe, type_error
from core.schema.entries import FieldSpec

KINDS = (IMAGE, VIDEO, FRAME)
#: A value on the way to a schema path has the wrong kind (see _blocked).
PATH_BLOCKED = "path-blocked"

Part = tuple[str, str, str, dict]


def findings_of(parts: Iterable[Part], rel: str, media: str | None) -> list[Finding]:
    return [Finding(sev, code, rel, msg, media=media, **kw) for sev, code, msg, kw in parts]


def frame_rel_name(rel: str) -> str:
    """The frame `file_name` implied by where a frame file lives (`a-09-mp4.json` -> `.png`)."""
    return rel[: -len(".json")] + ".png"


def _orphan_name_fits(rel: str, file_name: str, type_: Any) -> bool:
    if type_ == FRAME:
        return file_name.endswith(".png") and frame_rel_name(rel) == file_name
    return metadata_rel(file_name) == rel


def not_object(data: Any) -> list[Part] | None:
    """The one finding of a file whose top level is not an object (None for an object)."""
    if isinstance(data, dict):
        return None
    return [(ERROR, "wrong-type-field", f"the file must hold a JSON object, not {describe(data)}", {})]


def head(data: dict) -> list[Part]:
    """Missing top-level keys."""
    return [(ERROR, "missing-key", f"missing top-level key {key!r}", {"path": key})
            for key in TOP_LEVEL_KEYS if key not in data]


def identity(rel: str, fname: Any, type_: Any, names: list[str], kind: str | None) -> list[Part]:
    """file_name and type against what the index expects (MISSING: the key is absent)."""
    out: list[Part] = []
    if fname is not MISSING:
        if not isinstance(fname, str):
            out.append((ERROR, "wrong-file-name", f"file_name must be a string, not {describe(fname)}",
                        {"path": "file_name", "fix": names[0] if names else None}))
        elif names and fname not in names:
            out.append((ERROR, "wrong-file-name", f"file_name is {fname!r}, expected {names[0]!r}",
                        {"path": "file_name", "fix": names[0]}))
        elif not names and not _orphan_name_fits(rel, fname, type_ if type_ is not MISSING else None):
            out.append((ERROR, "wrong-file-name",
                        f"file_name {fname!r} does not match the file's location {rel!r}",
                        {"path": "file_name"}))
    if type_ is not MISSING:
        if kind is not None and type_ != kind:
            out.append((ERROR, "wrong-type-field", f"type is {format_json(type_)}, expected {kind!r}",
                        {"path": "type", "fix": kind}))
        elif kind is None and type_ not in KINDS:
            out.append((ERROR, "wrong-type-field",
                        f"type is {format_json(type_)}, expected 'image', 'video' or 'frame'",
                        {"path": "type"}))
    return out


def body(data: dict, specs: Iterable[FieldSpec]) -> list[Part]:
    """`metadata` against the schema, then extra top-level keys."""
    out: list[Part] = []
    meta = data.get("metadata", MISSING)
    if meta is not MISSING and not isinstance(meta, dict):
        out.append((ERROR, "wrong-type-field", f"metadata must be a JSON object, not {describe(meta)}",
                    {"path": "metadata"}))
    elif meta is not MISSING:
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
                        out.append((ERROR, PATH_BLOCKED, f"{spec.label}: {blocked}", {"path": spec.path}))
                continue
            tv = type(value)
            if tv in _FAST_OK[spec.type] and (tv is not int or INT64_MIN <= value <= INT64_MAX):
                continue
            reason = type_error(spec.type, value)
            if reason is not None:
                out.append((ERROR, "value-type", f"{spec.label} ({spec.type.value}): {reason}",
                            {"path": spec.path}))
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            out.append((WARNING, "extra-top-level-key", f"unexpected top-level key {key!r} (kept on save)",
                        {"path": key}))
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
