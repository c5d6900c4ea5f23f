"""Effective values of one image's or video's file for every spec, fast on the common case.

Filling the table computes files x specs cells (10 million at 1M files). Most cells hold a
value of exactly the right type, or nothing (the default): those are decided here with a
few type tests and no object per cell; anything else (a wrong type, a number out of range,
a date to parse, a broken file) goes through core.effective.values.effective_value, so
the result is always the same as effective_value's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from core.effective.query import CODE
from core.effective.values import FILE, INVALID, Broken, effective_value
from core.format.keypath import MISSING, follow
from core.format.metadata_file import get_meta
from core.format.value_types import ValueType
from core.schema.entries import FieldSpec

__all__ = ["Cell", "CellRows", "cells_reader"]

#: (value, source code, reason or None, whether the file itself holds a non-null value)
Cell = tuple[Any, int, "str | None", bool]

_I64_MIN, _I64_MAX = -(2**63), 2**63 - 1
_FILE, _INVALID = CODE[FILE], CODE[INVALID]


def _exact(vt: ValueType) -> Callable[[Any], bool] | None:
    """A test that a present value fits `vt` without a reason to give; None: always ask."""
    if vt.is_integer:
        return lambda v: type(v) is int and _I64_MIN <= v <= _I64_MAX
    if vt is ValueType.NUMERIC_FLOAT:
        return lambda v: type(v) is int or (type(v) is float and math.isfinite(v))
    if vt is ValueType.CATEGORICAL_BOOLEAN:
        return lambda v: type(v) is bool
    if vt in (ValueType.CATEGORICAL_STRING, ValueType.OTHER_STRING):
        return lambda v: type(v) is str
    return None  # datetimes are parsed: effective_value decides


def cells_reader(specs: Sequence[FieldSpec]) -> Callable[[Any], list[Cell]]:
    """A function from a file's parsed data (or None, or a Broken marker) to its row of cells."""
    plan = []
    for spec in specs:
        d = effective_value(spec, None)  # what a cell without a value gets
        plan.append((spec, spec.tokens, _exact(spec.type), (d.value, CODE[d.source], d.reason, False)))

    def slow(spec: FieldSpec, data: Any) -> Cell:
        e = effective_value(spec, data)
        present = e.source == FILE
        if e.source == INVALID:
            v = get_meta(data, spec.tokens)
            present = v is not MISSING and v is not None
        return e.value, CODE[e.source], e.reason, present

    def cells(data: Any) -> list[Cell]:
        if isinstance(data, Broken):
            return [slow(spec, data) for spec, *_ in plan]
        meta = data.get("metadata", MISSING) if isinstance(data, dict) else MISSING
        if not isinstance(meta, dict):  # no file, or no metadata object: every value is the default
            return [p[3] for p in plan]
        out = []
        for spec, tokens, exact, default in plan:
            v = follow(meta, tokens)
            if v is MISSING or v is None:
                out.append(default)
            elif exact is not None and exact(v):
                out.append((v, _FILE, None, True))
            else:
                out.append(slow(spec, data))
        return out

    return cells


class CellRows:
    """The cells of a run of files, column by column, as the table stores them (`encoded()`)."""

    def __init__(self, n_specs: int):
        self.vals: list[list] = [[] for _ in range(n_specs)]
        self.src = [bytearray() for _ in range(n_specs)]
        self.why: list[dict[int, str]] = [{} for _ in range(n_specs)]  # reasons by the key given
        self.has = bytearray()

    def add(self, key: int, row: list[Cell]) -> None:
        """One file's cells (`cells_reader`'s row); its reasons are kept under `key`."""
        for c, (value, code, reason, present) in enumerate(row):
            self.vals[c].append(value)
            self.src[c].append(code)
            if reason is not None:
                self.why[c][key] = reason
            self.has.append(present)

    def encoded(self) -> tuple[list, list[bytes], bytes]:
        """(per spec: core.effective.cells.encode of the values, per spec: source codes, the
        value-present flags file by file)."""
        from core.effective.cells import encode

        return [encode(v) for v in self.vals], [bytes(x) for x in self.src], bytes(self.has)
