"""Which values to copy from one metadata file into another ("copy from previous file").

Only values set in the source file count (not defaults, not values inherited from a
video); by default they go only into fields the target does not set yet, so copying
never overwrites what an annotator already entered unless asked to.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.format.keypath import MISSING
from core.format.metadata_file import get_meta
from core.format.value_types import type_error
from core.schema.entries import FieldSpec

__all__ = ["values_to_copy"]


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def values_to_copy(specs: Iterable[FieldSpec], source: Any, target: Any, *,
                   paths: Iterable[str] | None = None, overwrite: bool = False) -> dict[str, Any]:
    """Schema path -> value to set in `target` (file contents) so it gets `source`'s values.

    `paths` limits the fields (default: every spec). A field is copied when the source sets
    a value of the field's type and the target does not set it (or `overwrite`, and the
    values differ). Values that do not fit the type (and nulls) are never copied.
    """
    wanted = None if paths is None else set(paths)
    out: dict[str, Any] = {}
    for spec in specs:
        if wanted is not None and spec.path not in wanted:
            continue
        value = get_meta(source, spec.tokens)
        if value is MISSING or value is None or type_error(spec.type, value) is not None:
            continue
        current = get_meta(target, spec.tokens)
        if current is MISSING or current is None or (overwrite and not _same(current, value)):
            out[spec.path] = value
    return out
