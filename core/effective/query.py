"""Sorting and filtering an EffectiveTable by whole columns (numpy), for the dataset view.

A filter is plain data (`ColumnFilter`); `filter_mask` turns a list of them (and the
quick-filter text) into a boolean per row, `sort_order` gives the rows in column order.
Each evaluates a Python function at most once per *stored* cell, never once per frame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.dataset.columns import StrColumn, release_free_memory
from core.effective.values import DEFAULT, FILE, INVALID, VIDEO
from core.format.naming import FRAME, IMAGE, frame_file_name
from core.format.naming import VIDEO as VIDEO_KIND
from core.format.value_types import ValueType, format_value

#: A cell whose file has not been read yet (the table is still filling).
PENDING = "pending"
#: Source codes stored per cell (index into SOURCES_BY_CODE).
CODE = {FILE: 0, VIDEO: 1, DEFAULT: 2, INVALID: 3}
SOURCES_BY_CODE = (FILE, VIDEO, DEFAULT, INVALID)
PENDING_CODE = 255
#: Words users filter by, mapped to sources ("set" is a value in the sample's own file).
SOURCE_WORDS = {"set": FILE, "file": FILE, "inherited": VIDEO, "video": VIDEO, "default": DEFAULT,
                "invalid": INVALID}

FILE_NAME = "file_name"
TYPE = "type"
KIND_CODES = {IMAGE: 0, VIDEO_KIND: 1, FRAME: 2}

EQUALS, RANGE, SOURCE = "equals", "range", "source"
FILTER_KINDS = (EQUALS, RANGE, SOURCE)


@dataclass(frozen=True)
class ColumnFilter:
    """Keep rows whose cell in `column` (FILE_NAME, TYPE or a schema path) matches.

    EQUALS: the value (text is parsed for numeric columns); RANGE: (low, high), inclusive,
    either may be None; SOURCE: a source or source word ("default", "inherited"...), or
    several of them. TYPE takes EQUALS "image", "video" or "frame" (or several).
    """

    column: str
    kind: str
    value: Any


# --- sorting -------------------------------------------------------------------------


def sort_order(table, column: str | int, descending: bool = False) -> np.ndarray:
    """Row indices sorted by a column; null and invalid cells come last either way.

    `column` is FILE_NAME, TYPE, a spec index or a spec path. Numeric, integer and
    boolean entries sort by number; others by text, ignoring case. Ties keep row order.
    File names sort frames under their video; descending is the exact reverse.
    """
    if column == FILE_NAME:
        rank = file_ranks(table)
        if not table.frames:
            return np.argsort(-rank if descending else rank, kind="stable")
        frame = table.row_frames().astype(np.int64)
        key_media = rank[table.row_media()]
        if descending:
            return np.lexsort((-frame, -key_media))
        return np.lexsort((frame, key_media))
    if column == TYPE:
        key = table.kinds().astype(np.int64)
        return np.argsort(-key if descending else key, kind="stable")
    col = table.column_index(column)
    spec = table.specs[col]
    sources = table.column_sources(col)
    if _numeric_sort(spec.type):
        key, valid = table.numbers(col)
        key = np.where(valid, key, 0.0)
    else:
        codes, _texts = text_codes(table, col)
        key = text_ranks(table, col)[codes]
        valid = table.valid_cells(col)
    group = np.where(valid, 0, np.where(sources == CODE[INVALID], 2, 1))
    return np.lexsort((-key if descending else key, group))


def file_ranks(table) -> np.ndarray:
    """Per media, its rank by file name ignoring case; computed once per table (names never change)."""
    rank = getattr(table, "_file_rank", None)
    if rank is None:
        rank = table._file_rank = _ranks_of(folded_names(table))
    return rank


def _ranks_of(texts: StrColumn) -> np.ndarray:
    """Per string, its position in sorted order (equal strings keep their index order)."""
    rank = np.empty(len(texts), dtype=np.int32)  # (4 bytes a row: 4 MB at 1M files, not 8)
    rank[texts.sort_order()] = np.arange(len(texts), dtype=np.int32)
    return rank


def text_ranks(table, col: int) -> np.ndarray:
    """Per distinct text of column `col` (text_codes), its rank in sorted order; cached like it."""
    cached = table.text_cache.get(("rank", col))
    if cached is None:
        cached = table.text_cache[("rank", col)] = _ranks_of(text_codes(table, col)[1])
    return cached


def folded_names(table) -> StrColumn:
    """The media names casefolded, computed once per table (the names themselves when equal)."""
    folded = getattr(table, "_folded_names", None)
    if folded is None:
        media = table.media
        folded = StrColumn([m.casefold() for m in media])
        if isinstance(media, StrColumn) and folded == media:
            folded = media
        table._folded_names = folded
    return folded


def _numeric_sort(vt: ValueType) -> bool:
    return vt.is_numeric or vt.is_integer or vt is ValueType.CATEGORICAL_BOOLEAN


# --- filtering -----------------------------------------------------------------------


def filter_mask(table, filters: Iterable[ColumnFilter] = (), text: str = "") -> np.ndarray:
    """Rows matching every filter and (when given) containing `text` in some cell."""
    mask = np.ones(table.row_count, dtype=bool)
    for f in filters:
        mask &= _filter(table, f)
    needle = text.strip().casefold()
    if needle:
        mask &= _text_mask(table, needle)
    return mask


def _filter(table, f: ColumnFilter) -> np.ndarray:
    if f.column == TYPE:
        wanted = [f.value] if isinstance(f.value, str) else list(f.value)
        return np.isin(table.kinds(), [KIND_CODES[k] for k in wanted])
    if f.column == FILE_NAME:
        needle = str(f.value).casefold()
        return file_name_mask(table, lambda name: name.casefold() == needle)
    col = table.column_index(f.column)
    spec = table.specs[col]
    if f.kind == SOURCE:
        words = [f.value] if isinstance(f.value, str) else list(f.value)
        return np.isin(table.column_sources(col), [CODE[SOURCE_WORDS.get(w, w)] for w in words])
    if f.kind == RANGE:
        low, high = f.value
        nums, ok = table.numbers(col)
        if low is not None:
            ok &= nums >= float(low)
        if high is not None:
            ok &= nums <= float(high)
        return ok
    if f.kind == EQUALS:
        target = _equals_target(spec.type, f.value)
        return table.map_values(col, lambda v: _equal(v, target), bool)
    raise ValueError(f"unknown filter kind {f.kind!r}")


def _text_mask(table, needle: str) -> np.ndarray:
    """File name or any value contains `needle` (casefolded): one test per distinct value."""
    mask = file_name_mask(table, lambda name: needle in name.casefold(), needle=needle)
    for c in range(len(table.specs)):
        codes, texts = text_codes(table, c)
        mask |= texts.contains(needle)[codes]
    return mask


def text_codes(table, col: int) -> tuple[np.ndarray, StrColumn]:
    """Per row, a code into the column's distinct texts (casefolded); cached until the table changes.

    Typing in the filter box then tests each distinct value once, not each row; the texts are
    one buffer (a StrColumn), so a column of a million distinct dates costs its bytes, not a
    million Python strings.
    """
    cached = table.text_cache.get(col)
    if cached is not None:
        return cached
    pos: dict = {}
    texts: list[str] = []

    def code(v: Any) -> int:
        key = (type(v), v) if isinstance(v, (str, int, float, bool)) else (type(v), _text(v))
        i = pos.get(key)
        if i is None:
            i = pos[key] = len(texts)
            texts.append("" if v is None else _text(v).casefold())
        return i

    codes = table.map_values(col, code, np.int32)  # once per distinct value
    pos.clear()
    for dtype in (np.uint8, np.uint16):  # few distinct values (categories): 1-2 bytes a row
        if len(texts) <= np.iinfo(dtype).max + 1:
            codes = codes.astype(dtype)
            break
    cached = table.text_cache[col] = (codes, StrColumn(texts))
    return cached


def warm_text_codes(table, cancel: Callable[[], bool] | None = None) -> None:
    """Compute every column's text codes (and the file-name ranks) now, in a worker, before the
    first keystroke or sort needs them."""
    file_ranks(table)
    folded_names(table)
    for c in range(len(table.specs)):
        if cancel is not None and cancel():
            return
        text_codes(table, c)
        if not _numeric_sort(table.specs[c].type):
            text_ranks(table, c)
    release_free_memory()


def file_name_mask(table, pred: Callable[[str], bool], needle: str | None = None) -> np.ndarray:
    """pred(file_name) per row. With `needle` (pred being "contains needle, ignoring case"),
    frame names are built only where the needle could touch the frame number."""
    if needle is not None:
        media = folded_names(table).contains(needle)
    else:
        media = np.fromiter((pred(m) for m in table.media), bool, len(table.media))
    if not table.frames:
        return media
    out = media[table.row_media()]
    for name, start, n in table.frame_blocks():
        if needle is not None:
            head, _, tail = frame_file_name(name, 0, n).casefold().rpartition(f"-{0:0{len(str(n))}d}-")
            head, tail = head + "-", "-" + tail
            if needle in head or needle in tail:
                out[start : start + n] = True
                continue
            if not _may_span(needle, head, tail):
                out[start : start + n] = False
                continue
        out[start : start + n] = [pred(frame_file_name(name, i, n)) for i in range(n)]
    return out


def _may_span(needle: str, head: str, tail: str) -> bool:
    """Whether `needle` could match across or inside a frame number between `head` and `tail`."""
    allowed = set("0123456789") | set(head[-len(needle):]) | set(tail[: len(needle)])
    return all(ch in allowed for ch in needle)


def _text(v: Any) -> str:
    return v if isinstance(v, str) else format_value(v)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _equals_target(vt: ValueType, value: Any) -> Any:
    """What an EQUALS filter compares with: a number for numeric text in numeric columns."""
    if isinstance(value, str) and (vt.is_numeric or vt.is_integer):
        try:
            return float(value.strip())
        except ValueError:
            return value
    if isinstance(value, str) and vt is ValueType.CATEGORICAL_BOOLEAN:
        low = value.strip().lower()
        if low in ("true", "false"):
            return low == "true"
    return value


def _equal(v: Any, target: Any) -> bool:
    if isinstance(target, bool) or isinstance(v, bool):
        return type(v) is type(target) and v == target
    if _is_number(target) and _is_number(v):
        return float(v) == float(target)
    if isinstance(target, str):
        return v is not None and _text(v) == target
    return v == target
