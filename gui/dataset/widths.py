"""Column widths of the dataset table from its header and a sample of rows.

`QTableView.resizeColumnsToContents()` asks every row for its text: seconds at 100k rows,
minutes at 1M. A few hundred rows (the first ones and an even spread) give the same widths.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

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
