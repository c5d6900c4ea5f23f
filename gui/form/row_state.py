"""What one field row shows for one sample or a bulk selection: plain data, no Qt."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from core.effective.values import DEFAULT, FILE, INVALID, VIDEO, effective_value
from core.format.keypath import MISSING
from core.format.metadata_file import get_meta
from core.format.value_types import format_value, same_value
from core.schema.entries import FieldSpec

MIXED = "mixed"


@dataclass(frozen=True)
class RowState:
    """`own`: the value in the file (MISSING when absent or null); `effective`: what applies."""

    own: Any
    effective: Any
    source: str  # core.effective.values FILE / VIDEO / DEFAULT / INVALID, or MIXED
    detail: str  # sentence for tooltips: where the value comes from, or why it is invalid
    can_reset: bool  # the key is present in (one of) the file(s)
    mixed: bool = False


def single_state(spec: FieldSpec, own_data: Any, video_data: Any = None,
                 video_rel: str | None = None) -> RowState:
    """The row of `spec` for a sample whose file holds `own_data` (frames: and its video's)."""
    eff = effective_value(spec, own_data, video_data)
    own = get_meta(own_data, spec.tokens)
    if eff.source == INVALID:
        detail = f"Invalid: {eff.reason}"
    elif eff.source == FILE:
        detail = "Set in this file"
    elif eff.source == VIDEO:
        detail = f"Inherited from the video's file {video_rel}" if video_rel else "Inherited from the video"
    elif eff.value is None:
        detail = "Default from schema.json: null (no value)"
    else:
        detail = f"Default from schema.json: {format_value(eff.value)}"
    if own is None:
        detail += " — the file holds null for this key"
    return RowState(
        own=MISSING if own is None else own,
        effective=eff.value,
        source=eff.source,
        detail=detail,
        can_reset=own is not MISSING,
    )


def bulk_state(states: list[RowState]) -> RowState:
    """One row for many files: their common value, or "mixed" when they disagree."""
    first = states[0]
    can_reset = any(s.can_reset for s in states)
    n = len(states)
    if all(same_value(s.own, first.own) and same_value(s.effective, first.effective)
           and s.source == first.source for s in states):
        return replace(first, can_reset=can_reset, detail=f"{first.detail} (all {n} files)")
    distinct: list = []
    seen: set = set()
    for s in states:  # hashed (type, value) keys: linear in the number of files, not quadratic
        v = s.effective
        try:
            key = (type(v), v)
            if key in seen:
                continue
            seen.add(key)
        except TypeError:  # an unhashable (invalid) value: compare one by one
            if any(same_value(v, d) for d in distinct):
                continue
        distinct.append(v)
    shown = ", ".join(format_value(v) for v in distinct[:5]) + ("…" if len(distinct) > 5 else "")
    set_here = sum(1 for s in states if s.source in (FILE,) or s.own is not MISSING)
    detail = f"The {n} selected files differ: {shown}. Set in {set_here} of them."
    return RowState(MISSING, MISSING, MIXED, detail, can_reset, mixed=True)


#: Distinct values column_state looks for: past this many, a column is mixed for sure.
MIXED_AFTER = 6


def column_state(values, sources, present) -> RowState:
    """`bulk_state` of many files from their table cells (numpy arrays of effective values,
    source names, value-set-in-the-file flags) instead of their documents: what the form
    shows for 100k selected rows without reading one file."""
    n = len(sources)  # `values` may be only the first cell of each value (selection_cells)
    first_v, first_s = values[0], sources[0]
    can_reset = bool(present.any())
    uniform = bool((sources == first_s).all())
    shown_values = _few_distinct(values, MIXED_AFTER)  # mixed for sure past 6; the tooltip names five
    if uniform and len(shown_values) == 1 and (first_s != FILE or present.all()):
        own = first_v if first_s in (FILE, INVALID) and present.all() else MISSING
        if first_s == FILE:
            detail = "Set in this file"
        elif first_s == VIDEO:
            detail = "Inherited from the video"
        elif first_s == INVALID:
            detail = "Invalid in every file"
        elif first_v is None:
            detail = "Default from schema.json: null (no value)"
        else:
            detail = f"Default from schema.json: {format_value(first_v)}"
        return RowState(own, first_v, first_s, f"{detail} (all {n} files)", can_reset)
    shown = ", ".join(format_value(v) for v in shown_values[:5]) + ("…" if len(shown_values) > 5 else "")
    detail = f"The {n} selected files differ: {shown}. Set in {int(present.sum())} of them."
    return RowState(MISSING, MISSING, MIXED, detail, can_reset, mixed=True)


def _distinct_of(values, limit: int) -> list:
    """Distinct values (by JSON kind) in order, stopping past `limit`: a plain loop for few rows."""
    found: list = []
    for v in values:
        if not any(same_value(v, d) for d in found):
            found.append(v)
            if len(found) > limit:
                break
    return found


def _few_distinct(values, limit: int) -> list:
    """Up to `limit` + 1 distinct values of an object array (1 == 1.0 but not True: types count),
    each found with whole-array compares in C: 100k uniform cells cost one pass, not 100k steps."""
    import numpy as np

    head = _distinct_of(values[:256], limit)  # a mixed column is usually mixed in its first rows
    if len(head) > limit:
        return head
    found: list = []
    rest = values
    while len(rest) and len(found) <= limit:
        v = rest[0]
        found.append(v)
        box = np.empty((), dtype=object)
        box[()] = v  # compared as one object, never broadcast (a list value)
        try:
            same = np.asarray(rest == box, dtype=bool)
        except (TypeError, ValueError):
            same = np.fromiter((same_value(x, v) for x in rest), dtype=bool, count=len(rest))
        if type(v) in (int, float, bool):  # 1 == 1.0 == True: keep those of v's type only
            hits = np.flatnonzero(same)
            same[hits] = np.frompyfunc(type, 1, 1)(rest[hits]) == type(v)  # noqa: E721 - per element
        same[0] = True
        rest = rest[~same]
    return found


__all__ = ["DEFAULT", "FILE", "INVALID", "MIXED", "VIDEO", "RowState", "bulk_state", "column_state",
           "single_state"]
