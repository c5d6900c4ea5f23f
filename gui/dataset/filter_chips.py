"""The active filters shown as removable chips above the dataset table, plus "Clear all"."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from core.effective.table import EQUALS, RANGE, SOURCE, SOURCE_WORDS, TYPE, ColumnFilter
from core.format.value_types import format_value

#: How a source filter reads in the chips and menus.
SOURCE_LABELS = {"file": "set in its file", "video": "inherited from the video", "default": "default",
                 "invalid": "invalid"}
KIND_PLURAL = {"image": "images", "video": "videos", "frame": "frames"}


def _number(x: Any) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def describe(label: str, f: ColumnFilter) -> str:
    """A filter in words: `Weather is default`, `Temperature 10 – 20`, `only frames`."""
    if f.column == TYPE:
        kinds = [f.value] if isinstance(f.value, str) else list(f.value)
        return "only " + " and ".join(KIND_PLURAL.get(k, k) for k in kinds)
    if f.kind == SOURCE:
        words = [f.value] if isinstance(f.value, str) else list(f.value)
        names = [SOURCE_LABELS[SOURCE_WORDS.get(w, w)] for w in words]
        return f"{label} is " + " or ".join(names)
    if f.kind == RANGE:
        low, high = f.value
        if low is None:
            return f"{label} ≤ {_number(high)}"
        if high is None:
            return f"{label} ≥ {_number(low)}"
        return f"{label} {_number(low)} – {_number(high)}"
    if f.kind == EQUALS:
        shown = f.value if isinstance(f.value, str) else format_value(f.value)
        return f"{label} = {shown!s}" if shown != "" else f"{label} is empty"
    return f"{label}: {f.value}"


class FilterChips(QWidget):
    """One button per active filter (click removes it); hidden when nothing filters."""

    removeRequested = Signal(str, str)  # column key, kind
    clearRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._title = QLabel("Filters:")
        self._layout.addWidget(self._title)
        self._chips: list[QToolButton] = []
        self._clear = QToolButton()
        self._clear.setText("Clear all")
        self._clear.setAutoRaise(True)
        self._clear.clicked.connect(self.clearRequested)
        self._layout.addWidget(self._clear)
        self._layout.addStretch(1)
        self.setVisible(False)

    def set_filters(self, filters: list[tuple[str, ColumnFilter]], text: str = "") -> None:
        """`filters`: (column label, filter) pairs; `text`: the quick filter, shown too."""
        for chip in self._chips:
            self._layout.removeWidget(chip)
            chip.deleteLater()
        self._chips = []
        for label, f in filters:
            chip = QToolButton()
            chip.setObjectName("filterChip")
            chip.setText(f"{describe(label, f)}  ✕")
            chip.setToolTip("Remove this filter")
            chip.setStyleSheet("QToolButton#filterChip { border: 1px solid palette(mid); border-radius: 9px;"
                               " padding: 1px 8px; background: palette(alternate-base); }")
            chip.clicked.connect(lambda _=False, c=f.column, k=f.kind: self.removeRequested.emit(c, k))
            self._layout.insertWidget(1 + len(self._chips), chip)
            self._chips.append(chip)
        self._clear.setVisible(bool(filters) or bool(text.strip()))
        self.setVisible(bool(filters))

    def chip_texts(self) -> list[str]:
        return [c.text().rstrip(" ✕") for c in self._chips]

    def click_chip(self, i: int) -> None:
        self._chips[i].click()
