"""Split a metadata document into schema values and "other" keys, and merge them back.

Plain data, no Qt: the form shows the keys the schema does not name as editable
JSON and must put them back without losing or reordering what the schema owns.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from core.format.keypath import MISSING, get_value, remove_value, set_value
from core.format.metadata_file import TOP_LEVEL_KEYS, metadata_of, new_document
from core.format.samples import SampleRef
from core.schema.entries import FieldSpec


def other_metadata(data: Any, specs: Iterable[FieldSpec]) -> dict:
    """The part of `metadata` that no schema path names (empty when there is none)."""
    meta = metadata_of(data)
    if not isinstance(meta, dict):
        return {}
    rest = copy.deepcopy(meta)
    for spec in specs:
        remove_value(rest, spec.tokens)
    return _prune(rest, meta)


def extra_top_level(data: Any) -> dict:
    """Top-level keys besides file_name, type and metadata, in file order."""
    if not isinstance(data, dict):
        return {}
    return {k: copy.deepcopy(v) for k, v in data.items() if k not in TOP_LEVEL_KEYS}


def schema_part(meta: Any, specs: Iterable[FieldSpec]) -> dict:
    """Only the values at schema paths of a `metadata` object."""
    out: dict = {}
    if not isinstance(meta, dict):
        return out
    for spec in specs:
        value = get_value(meta, spec.tokens)
        if value is not MISSING:
            set_value(out, spec.tokens, copy.deepcopy(value))
    return out


def with_other(data: Any, sample: SampleRef | None, specs: Iterable[FieldSpec],
               other: dict, extra: dict | None = None) -> dict:
    """A copy of document `data` whose non-schema keys are replaced by `other` / `extra`.

    Schema values are kept; keys keep their original order where they survive; a key in
    `other` that a schema path also names wins (the user typed it last). `extra` (when
    given) replaces the top-level keys besides file_name, type and metadata.
    """
    specs = tuple(specs)
    if isinstance(data, dict):
        base = copy.deepcopy(data)
    elif sample is not None:
        base = new_document(sample)
    else:
        base = {"metadata": {}}
    meta = base.get("metadata")
    orig_meta = meta if isinstance(meta, dict) else {}
    merged = _merge(orig_meta, schema_part(orig_meta, specs), copy.deepcopy(other))
    out: dict = {}
    for key, value in base.items():
        if key == "metadata":
            out[key] = merged
        elif key in TOP_LEVEL_KEYS or extra is None:
            out[key] = value
        elif key in extra:
            out[key] = copy.deepcopy(extra[key])
    if "metadata" not in out:
        out["metadata"] = merged
    for key, value in (extra or {}).items():
        if key not in out and key not in TOP_LEVEL_KEYS:
            out[key] = copy.deepcopy(value)
    return out


def _merge(orig: Any, ours: Any, theirs: Any) -> Any:
    """Deep-merge `theirs` over `ours`, ordering keys as in `orig` (then new keys)."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        orig = orig if isinstance(orig, dict) else {}
        keys = [k for k in orig if k in ours or k in theirs]
        keys += [k for k in ours if k not in orig]
        keys += [k for k in theirs if k not in orig and k not in ours]
        out = {}
        for k in keys:
            if k in ours and k in theirs:
                out[k] = _merge(orig.get(k), ours[k], theirs[k])
            else:
                out[k] = ours[k] if k in ours else theirs[k]
        return out
    if isinstance(ours, list) and isinstance(theirs, list):
        orig = orig if isinstance(orig, list) else []
        n = max(len(ours), len(theirs))
        return [
            _merge(orig[i] if i < len(orig) else None,
                   ours[i] if i < len(ours) else None,
                   theirs[i] if i < len(theirs) else None)
            for i in range(n)
        ]
    if theirs is None:  # a gap (array padding) on their side keeps our value
        return ours
    return theirs


def _prune(value: Any, orig: Any) -> Any:
    """Drop containers that removing schema values emptied (left empty or all null).

    Containers that were already empty (or all null) in the file are kept as they are.
    """
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            o = orig.get(k) if isinstance(orig, dict) else None
            p = _prune(v, o)
            if isinstance(v, (dict, list)) and _hollow(p) and not _hollow(o):
                continue
            out[k] = p
        return out
    if isinstance(value, list):
        olist = orig if isinstance(orig, list) else []
        items = [_prune(v, olist[i] if i < len(olist) else None) for i, v in enumerate(value)]
        return [] if _hollow(items) and not _hollow(orig) else items
    return value


def _hollow(value: Any) -> bool:
    if isinstance(value, dict):
        return not value
    if isinstance(value, list):
        return all(v is None or _hollow(v) for v in value)
    return False
