"""The dataset table's horizontal header: column widths from a sample of rows, and painting
that stays fast with 100k rows selected (`SectionHeader`).

`QTableView.resizeColumnsToContents()` asks every row for its text: seconds at 100k rows,
minutes at 1M. A few hundred rows (the first ones and an even spread) give the same widths.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader, QTableView

#: Rows whose text sets the column widths: the first ones and an even spread of the rest.
SAMPLE_ROWS = 200
MIN_WIDTH, MAX_FIRST, MAX_OTHER = 70, 360, 220


def sample_rows(n: int, limit: int = SAMPLE_ROWS) -> list[int]:
    """Up to `limit` row numbers of `n`: the first half of them, then evenly spaced ones."""
    step = max(1, n // limit)
    return sorted(set(range(min(n, limit // 2))) | set(range(0, n, step)))[:limit]


def fit_columns(view: QTableView, columns: int) -> None:
    """Set each column's width from its header and the sampled rows' display text."""
    model, header, metrics = view.model(), view.horizontalHeader(), view.fontMetrics()
    display = Qt.ItemDataRole.DisplayRole
    rows = sample_rows(model.rowCount())
    for col in range(columns):
        title = str(model.headerData(col, Qt.Orientation.Horizontal, display) or "")
        width = metrics.horizontalAdvance(title) + 24  # room for the sort indicator
        for r in rows:
            text = model.index(r, col).data(display)
            if text is not None:
                width = max(width, metrics.horizontalAdvance(str(text)))
        header.resizeSection(col, min(max(width + 12, MIN_WIDTH), MAX_FIRST if col == 0 else MAX_OTHER))


class SectionHeader(QHeaderView):
    """A horizontal header that paints its sections without asking the selection model.

    Qt's own painting asks `isColumnSelected` for each section and its neighbours on every
    paint; with whole rows selected that calls the model's `index()` and `flags()` once per
    row: 45 s after Ctrl+A on 100k rows. Sections never show as selected here (the table
    does not highlight them anyway).
    """

    def __init__(self, parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:  # noqa: N802 - Qt API
        if not rect.isValid():
            return
        opt = QStyleOptionHeader()
        self.initStyleOption(opt)
        opt.rect = rect
        opt.section = logical
        opt.orientation = Qt.Orientation.Horizontal
        model = self.model()
        text = model.headerData(logical, Qt.Orientation.Horizontal) if model is not None else None
        opt.text = "" if text is None else str(text)
        opt.textAlignment = self.defaultAlignment()
        opt.iconAlignment = Qt.AlignmentFlag.AlignVCenter
        if self.isSortIndicatorShown() and self.sortIndicatorSection() == logical:
            opt.sortIndicator = (QStyleOptionHeader.SortIndicator.SortDown
                                 if self.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
                                 else QStyleOptionHeader.SortIndicator.SortUp)
        visual, last = self.visualIndex(logical), self.count() - 1
        Position = QStyleOptionHeader.SectionPosition
        opt.position = (Position.OnlyOneSection if last == 0 else Position.Beginning if visual == 0
                        else Position.End if visual == last else Position.Middle)
        self.style().drawControl(QStyle.ControlElement.CE_Header, opt, painter, self)
