"""How one schema entry's values are distributed over the rows the dataset table shows.

Numeric entries: a histogram (values set in files or inherited in colour, defaults
stacked in grey) with count, min, max, mean and median. Categorical entries: one
horizontal bar per value (most frequent first), plus a "default" and an "invalid" bar.
Clicking a bar asks the table to filter to those rows (`filterRequested`). Charts are
pyqtgraph; all counting is numpy or Counter over the visible column, never per-bar loops.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
import pyqtgraph as pg  # noqa: E402 - after PySide6, so pyqtgraph binds to it

from core.effective.values import DEFAULT, FILE, INVALID, VIDEO  # noqa: E402
from core.format.value_types import ValueType, format_value  # noqa: E402

pg.setConfigOptions(antialias=True)

Provider = Callable[[str], tuple[np.ndarray, np.ndarray]]  # path -> (values, source names)
MAX_BARS = 25
MAX_BINS = 40


def histogram_kind(vt: ValueType) -> bool:
    """Numbers (and epoch timestamps, which are never worth counting one by one) get a histogram."""
    return vt.is_numeric or vt is ValueType.CATEGORICAL_TIMESTAMP


class ClickableBars(pg.BarGraphItem):
    """A BarGraphItem that says which bar was clicked."""

    barClicked = Signal(int)

    def __init__(self, horizontal: bool = False, **opts: Any):
        super().__init__(**opts)
        self.horizontal = horizontal

    def bar_at(self, x: float, y: float) -> int:
        """Index of the bar containing data point (x, y), or -1."""
        o = self.opts
        if self.horizontal:
            lo, hi = np.asarray(o["y0"], float), np.asarray(o["y0"], float) + np.asarray(o["height"], float)
            across = (0.0 <= x <= float(np.max(np.asarray(o["width"], float)) or 0)) if len(lo) else False
            hits = np.flatnonzero((lo <= y) & (y < hi)) if across else []
        else:
            lo = np.asarray(o["x0"], float)
            hi = lo + np.asarray(o["width"], float)
            hits = np.flatnonzero((lo <= x) & (x < hi))
        return int(hits[0]) if len(hits) else -1

    def mouseClickEvent(self, ev) -> None:  # noqa: N802 - pyqtgraph API
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        i = self.bar_at(ev.pos().x(), ev.pos().y())
        if i >= 0:
            ev.accept()
            self.barClicked.emit(i)


class DistributionView(QWidget):
    """Chart of the chosen entry over the visible rows; bar clicks request table filters."""

    filterRequested = Signal(str, str, object)  # schema path, filter kind, value

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("distributionView")
        self._specs: tuple = ()
        self._provider: Provider | None = None
        self.bars: list[ClickableBars] = []
        #: Per bar of `bars[0]` (and stacked ones), the filter it applies: (kind, value).
        self.bar_filters: list[tuple[str, Any]] = []
        self.combo = QComboBox()
        self.combo.setObjectName("distributionEntry")
        self.combo.setMinimumContentsLength(18)
        self.combo.currentIndexChanged.connect(lambda _: self.redraw())
        self.stats = QLabel()
        self.stats.setObjectName("distributionStats")
        self.stats.setWordWrap(True)
        self.stats.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.stats.linkActivated.connect(self._on_link)
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMinimumHeight(160)
        self._apply_palette()
        top = QHBoxLayout()
        top.addWidget(QLabel("Distribution of"))
        top.addWidget(self.combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.stats)
        from gui.common.workers import Debouncer

        self._debounce = Debouncer(self.redraw, 120, self)
        self.redraw()

    def _apply_palette(self) -> None:
        pal = self.palette()
        self._text = pal.color(QPalette.ColorRole.Text)
        base = pal.color(QPalette.ColorRole.Base)
        self._accent = pal.color(QPalette.ColorRole.Highlight)
        self._muted = _mix(base, self._text, 0.45)
        self._red = QColor("#ff6b6b") if base.lightness() < 128 else QColor("#d32f2f")
        self.plot.setBackground(base)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(_mix(base, self._text, 0.6)))
            axis.setTextPen(pg.mkPen(self._text))

    # --- inputs --------------------------------------------------------------------------
    def set_provider(self, provider: Provider) -> None:
        """`provider(path)` returns (values, source names) of the visible rows."""
        self._provider = provider
        self.refresh()

    def set_specs(self, specs) -> None:
        """The schema entries to offer; the current one is kept when it still exists."""
        current = self.current_path()
        self._specs = tuple(specs)
        self.combo.blockSignals(True)
        self.combo.clear()
        for s in self._specs:
            self.combo.addItem(f"{s.label}", s.path)
            self.combo.setItemData(self.combo.count() - 1, f"{s.path} ({s.type.value})",
                                   Qt.ItemDataRole.ToolTipRole)
        i = self.combo.findData(current) if current else -1
        if i < 0:
            i = next((k for k, s in enumerate(self._specs) if s.type is not ValueType.OTHER_STRING), 0)
        self.combo.setCurrentIndex(i if self._specs else -1)
        self.combo.blockSignals(False)
        self.refresh()

    def set_path(self, path: str) -> None:
        """Show schema entry `path` (e.g. when the table's current column changes)."""
        i = self.combo.findData(path)
        if i >= 0 and i != self.combo.currentIndex():
            self.combo.setCurrentIndex(i)

    def current_path(self) -> str | None:
        return self.combo.currentData()

    def current_spec(self):
        path = self.current_path()
        return next((s for s in self._specs if s.path == path), None)

    def refresh(self) -> None:
        """Redraw shortly (many triggers in a row cost one redraw)."""
        self._debounce.trigger()

    def flush(self) -> None:
        self._debounce.flush()

    # --- drawing -------------------------------------------------------------------------
    def redraw(self) -> None:
        self.plot.clear()
        self.bars, self.bar_filters = [], []
        spec = self.current_spec()
        if spec is None or self._provider is None:
            self.stats.setText("No schema entry to show." if not self._specs else "")
            return
        values, sources = self._provider(spec.path)
        if histogram_kind(spec.type):
            self._draw_histogram(spec, values, sources)
        else:
            self._draw_counts(spec, values, sources)

    def _draw_histogram(self, spec, values: np.ndarray, sources: np.ndarray) -> None:
        plot = self.plot.getPlotItem()
        plot.showAxis("bottom", True)
        plot.getAxis("left").setTicks(None)
        plot.getAxis("bottom").setTicks(None)
        plot.setLabel("left", "rows")
        plot.setLabel("bottom", spec.label)
        usable = (sources != INVALID) & np.fromiter((v is not None for v in values), bool, len(values))
        nums = values[usable].astype(float)
        is_default = sources[usable] == DEFAULT
        n_invalid = int(np.count_nonzero(sources == INVALID))
        n_null = int(len(values) - len(nums) - n_invalid)
        if not len(nums):
            n_default = int(np.count_nonzero(sources == DEFAULT))
            self._set_stats(spec, "No values among the rows shown.", n_default, n_invalid, n_null)
            return
        edges, integer = _bin_edges(nums, spec.type.is_integer)
        own, _ = np.histogram(nums[~is_default], edges)
        dflt, _ = np.histogram(nums[is_default], edges)
        x0, width = edges[:-1], np.diff(edges)
        gap = width * 0.04
        set_bars = ClickableBars(x0=x0 + gap, width=width - 2 * gap, height=own, y0=np.zeros(len(own)),
                                 brush=self._accent, pen=pg.mkPen(_mix(self._accent, self._text, 0.3)))
        default_bars = ClickableBars(x0=x0 + gap, width=width - 2 * gap, height=dflt, y0=own,
                                     brush=self._muted, pen=pg.mkPen(self._muted))
        self.bar_filters = [("range", _bin_range(edges, i, integer)) for i in range(len(own))]
        for bars in (set_bars, default_bars):
            bars.barClicked.connect(self._on_bar)
            self.plot.addItem(bars)
            self.bars.append(bars)
        if integer:  # whole numbers on the axis, at most ~12 labels
            centres = np.arange(edges[0] + 0.5, edges[-1])
            step = max(1, math.ceil(len(centres) / 12))
            plot.getAxis("bottom").setTicks([[(c, f"{int(c)}") for c in centres[::step]]])
        plot.setXRange(edges[0], edges[-1], padding=0.02)
        top = max(1, int((own + dflt).max()))
        left = plot.getAxis("left")
        if top <= 8:
            left.setTickSpacing(1, 1)  # counts: no 0.5 ticks
        else:
            left.setTickSpacing()
        plot.setYRange(0, top, padding=0.05)
        stats = (f"<b>{len(nums):,}</b> values · min {_num(nums.min())} · max {_num(nums.max())}"
                 f" · mean {_num(_mean(nums))} · median {_num(_median(nums))}")
        legend = (f"<span style='color:{self._accent.name()}'>■</span> set or inherited &nbsp;"
                  f"<span style='color:{self._muted.name()}'>■</span> default")
        self._set_stats(spec, stats, int(is_default.sum()), n_invalid, n_null, legend)

    def _draw_counts(self, spec, values: np.ndarray, sources: np.ndarray) -> None:
        plot = self.plot.getPlotItem()
        plot.setLabel("left", "")
        plot.setLabel("bottom", "")
        plot.showAxis("bottom", False)
        counted = (sources == FILE) | (sources == VIDEO)
        counts = _count(values[counted])
        n_default = int(np.count_nonzero(sources == DEFAULT))
        n_invalid = int(np.count_nonzero(sources == INVALID))
        items = sorted(counts.items(), key=lambda kv: (-kv[1], _sort_text(kv[0])))
        if spec.type in (ValueType.CATEGORICAL_BOOLEAN, ValueType.CATEGORICAL_INT) and len(items) <= MAX_BARS:
            items = sorted(items, key=lambda kv: (not isinstance(kv[0], (int, float)), kv[0]))
        shown, rest = items[:MAX_BARS], items[MAX_BARS:]
        labels, heights, filters, brushes = [], [], [], []
        for value, n in shown:
            labels.append(_short(format_value(value)))
            heights.append(n)
            filters.append(("equals", value))
            brushes.append(self._accent)
        if rest:
            labels.append(f"({len(rest):,} more values)")
            heights.append(sum(n for _, n in rest))
            filters.append(("source", [FILE, VIDEO]))
            brushes.append(_mix(self._accent, self._muted, 0.6))
        default_text = "null" if spec.default is None else format_value(spec.default)
        labels.append(f"default ({_short(default_text, 18)})")
        heights.append(n_default)
        filters.append(("source", DEFAULT))
        brushes.append(self._muted)
        labels.append("invalid")
        heights.append(n_invalid)
        filters.append(("source", INVALID))
        brushes.append(self._red)
        n = len(labels)
        y0 = np.arange(n, dtype=float)[::-1] + 0.1  # first label on top
        widths = np.asarray(heights, float)
        widths[widths > 0] = np.maximum(widths[widths > 0], max(heights) * 0.012)  # 1 of 10,000 still shows
        bars = ClickableBars(horizontal=True, x0=np.zeros(n), width=widths, y0=y0,
                             height=np.full(n, 0.8), brushes=brushes, pen=pg.mkPen(None))
        bars.barClicked.connect(self._on_bar)
        self.plot.addItem(bars)
        self.bars, self.bar_filters = [bars], filters
        for i, h in enumerate(heights):
            text = pg.TextItem(f"{h:,}", color=self._text, anchor=(0, 0.5))
            text.setPos(h, y0[i] + 0.4)
            self.plot.addItem(text)
        plot.getAxis("left").setTicks([[(y0[i] + 0.4, labels[i]) for i in range(n)]])
        plot.getAxis("bottom").setTicks(None)
        # At least ~10 bar slots tall, bars at the top: a few categories don't become slabs.
        plot.setYRange(n - max(n, 10), n, padding=0.02)
        # Room right of the longest bar for its count label, whatever the plot's width.
        longest = max(1, max(heights))
        label_px = self.fontMetrics().horizontalAdvance(f"{longest:,}") + 12
        plot_px = max(2 * label_px, int(plot.getViewBox().width()) or self.plot.width() - 120)
        plot.setXRange(0, max(longest * 1.15, longest * plot_px / (plot_px - label_px)), padding=0)
        total = len(values)
        stats = f"<b>{total:,}</b> rows · {len(counts):,} distinct values"
        self._set_stats(spec, stats, n_default, n_invalid, 0)

    def _set_stats(self, spec, text: str, n_default: int, n_invalid: int, n_null: int,
                   legend: str = "") -> None:
        parts = [text]
        if n_default:
            parts.append(f"<a href='default'>{n_default:,} default</a>")
        if n_invalid:
            parts.append(f"<a href='invalid' style='color:{self._red.name()}'>{n_invalid:,} invalid</a>")
        if n_null:
            parts.append(f"{n_null:,} without a value")
        self.stats.setText(" · ".join(parts) + (f"<br>{legend}" if legend else ""))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.refresh()  # label room depends on the plot's width

    # --- clicks ----------------------------------------------------------------------------
    def _on_bar(self, i: int) -> None:
        self.click_bar(i)

    def click_bar(self, i: int) -> None:
        """Ask the table to show the rows of bar `i` (what a mouse click on it does)."""
        path = self.current_path()
        if path is not None and 0 <= i < len(self.bar_filters):
            kind, value = self.bar_filters[i]
            self.filterRequested.emit(path, kind, value)

    def _on_link(self, link: str) -> None:
        path = self.current_path()
        if path is not None and link in (DEFAULT, INVALID):
            self.filterRequested.emit(path, "source", link)


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor(round(a.red() + (b.red() - a.red()) * t), round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


def _bin_edges(nums: np.ndarray, integer: bool) -> tuple[np.ndarray, bool]:
    """Histogram edges: one bin per integer when few distinct integers, else up to MAX_BINS bins."""
    lo, hi = float(nums.min()), float(nums.max())
    if integer and hi - lo < MAX_BINS:
        return np.arange(lo - 0.5, hi + 1.5), True
    if lo == hi:
        return np.array([lo - 0.5, hi + 0.5]), False
    bins = min(MAX_BINS, max(5, int(math.sqrt(len(nums)))))
    return np.histogram_bin_edges(nums, bins=bins), False


def _bin_range(edges: np.ndarray, i: int, integer: bool) -> tuple[float, float]:
    """The inclusive (low, high) range filter equivalent to bin `i` ([low, high) but the last)."""
    lo, hi = float(edges[i]), float(edges[i + 1])
    if integer:
        return (lo + 0.5, hi - 0.5)
    if i < len(edges) - 2:
        hi = float(np.nextafter(hi, -np.inf))
    return (lo, hi)


def _count(values: np.ndarray) -> Counter:
    """Value counts; valid values of one entry share a type, so True and 1 never meet."""
    try:
        return Counter(values.tolist())
    except TypeError:  # unhashable values: count their text
        return Counter(format_value(v) for v in values)


def _sort_text(v: Any) -> str:
    return format_value(v).casefold()


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mean(nums: np.ndarray) -> float:
    return float(np.sum(nums / len(nums)))  # no overflow to inf for values near 1e308


def _median(nums: np.ndarray) -> float:
    s, m = np.sort(nums), len(nums) // 2
    return float(s[m]) if len(s) % 2 else float(s[m - 1] / 2 + s[m] / 2)


def _num(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1e6 else f"{x:.4g}"
