"""Filter menus of the dataset table: per column (header right-click, "Filter" button) and per cell.

Each menu action calls `apply(column_key, kind, value)`; asking for a typed value or a
range goes through `ask_text(title, label)`, which the panel lets tests replace.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QMenu

from core.effective.table import EQUALS, FILE_NAME, PENDING, RANGE, SOURCE, TYPE
from core.effective.values import DEFAULT, FILE, INVALID, VIDEO
from core.format.naming import FRAME
from core.format.value_types import format_value
from gui.dataset.filter_chips import KIND_PLURAL, SOURCE_LABELS

Apply = Callable[[str, str, Any], None]
AskText = Callable[[str, str], "str | None"]


def parse_range(text: str) -> tuple[float | None, float | None]:
    """`10..20`, `10-20`, `..20`, `10..` or `10 20` as (low, high); raise ValueError."""
    t = text.strip().replace("–", "..").replace(" to ", "..")
    if ".." in t:
        low, _, high = t.partition("..")
    elif t.count("-") == 1 and not t.startswith("-"):
        low, _, high = t.partition("-")
    else:
        parts = t.split()
        if len(parts) != 2:
            raise ValueError(f"{text!r} is not a range: write it as min..max (either may be empty)")
        low, high = parts
    lo = float(low) if low.strip() else None
    hi = float(high) if high.strip() else None
    if lo is None and hi is None:
        raise ValueError("give a minimum, a maximum, or both")
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return lo, hi


def fill_column_menu(menu: QMenu, model, column: int, frames: bool, apply: Apply, ask_text: AskText,
                     active: set[tuple[str, str]]) -> None:
    """Filters for one column: by type for `type`, by source / value / range for values."""
    key = model.column_key(column)
    spec = model.spec_of(column)
    if key == TYPE:
        for kind in ("image", "video") + ((FRAME,) if frames else ()):
            menu.addAction(f"Only {KIND_PLURAL[kind]}", lambda k=kind: apply(TYPE, EQUALS, k))
    elif key == FILE_NAME:
        menu.addAction("Exact file name…", lambda: _ask_equals(key, "file_name", apply, ask_text))
    else:
        label = spec.label
        menu.addSection(f"Show rows where {label} is")
        sources = (DEFAULT, FILE) + ((VIDEO,) if frames else ()) + (INVALID,)
        for src in sources:
            menu.addAction(SOURCE_LABELS[src], lambda s=src: apply(key, SOURCE, s))
        if frames or model.table.n_videos:  # applying it shows the frames
            menu.addAction(f"Frames whose {label} is still the default",
                           lambda: (apply(key, SOURCE, DEFAULT), apply(TYPE, EQUALS, FRAME)))
        menu.addSeparator()
        menu.addAction("Equal to a value…", lambda: _ask_equals(key, label, apply, ask_text))
        if spec.type.is_numeric or spec.type.is_integer:
            menu.addAction("In a range…", lambda: _ask_range(key, label, apply, ask_text))
    mine = sorted(k for c, k in active if c == key)
    if mine:
        menu.addSeparator()
        menu.addAction(f"Clear the filter on {spec.label if spec else key}",
                       lambda: [apply(key, k, None) for k in mine])


def fill_cell_menu(menu: QMenu, model, source_index, frames: bool, apply: Apply) -> None:
    """Filters from a cell: "rows with this value", "rows whose X is default (frames only)"."""
    key = model.column_key(source_index.column())
    spec = model.spec_of(source_index.column())
    sample = model.table.sample(source_index.row())
    plural = KIND_PLURAL[sample.kind]
    if spec is None:
        if key == TYPE:
            menu.addAction(f"Only {plural}", lambda: apply(TYPE, EQUALS, sample.kind))
        return
    cell = model.table.cell(source_index.row(), source_index.column() - 2)
    if cell.source == PENDING:
        return
    shown = "empty" if cell.value is None else format_value(cell.value)
    if cell.value is not None and not isinstance(cell.value, (dict, list)):
        menu.addAction(f"Only rows where {spec.label} = {shown}", lambda: apply(key, EQUALS, cell.value))
    words = SOURCE_LABELS[cell.source]
    menu.addAction(f"Only rows where {spec.label} is {words}", lambda: apply(key, SOURCE, cell.source))
    if frames:
        menu.addAction(f"Only {plural} where {spec.label} is {words}",
                       lambda: (apply(key, SOURCE, cell.source), apply(TYPE, EQUALS, sample.kind)))


def _ask_equals(key: str, label: str, apply: Apply, ask_text: AskText) -> None:
    text = ask_text(f"Filter {label}", f"Show rows where {label} equals:")
    if text is not None:
        apply(key, EQUALS, text)


def _ask_range(key: str, label: str, apply: Apply, ask_text: AskText) -> None:
    prompt = f"Show rows where {label} is in the range (min..max, either may be empty):"
    while True:
        text = ask_text(f"Filter {label}", prompt)
        if text is None:
            return
        try:
            bounds = parse_range(text)
        except ValueError as e:
            prompt = f"{e}.\nShow rows where {label} is in the range (min..max):"
            continue
        apply(key, RANGE, bounds)
        return
