"""Sorting and filtering of the dataset table as one array of source rows.

QSortFilterProxyModel asks the source for every compared cell (millions of Python calls
to sort 100k rows); here the core table sorts and filters whole columns with numpy and
this proxy only keeps `order` (visible source rows, in display order) and its inverse.
Filters and sort wait for a table that is still filling, then apply when it is complete.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractProxyModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from core.effective.table import EQUALS, FILTER_KINDS, RANGE, SOURCE, TYPE, ColumnFilter
from gui.dataset.model import EffectiveTableModel

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
#: Row numbers (fewer than 2**31 rows): the order and its inverse cost 8 MB at 1M rows, not 16.
_ROW = np.int32


class DatasetProxy(QAbstractProxyModel):
    """The visible rows of an EffectiveTableModel: filtered, then sorted."""

    #: The set or order of visible rows changed (filter, sort, rebuild).
    visibleRowsChanged = Signal()
    #: Active filters changed (for the chips above the table).
    filtersChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._order = np.zeros(0, dtype=_ROW)
        self._pos = np.zeros(0, dtype=_ROW)
        self._filters: dict[tuple[str, str], Any] = {}
        self._text = ""
        self._sort_key: str | None = None
        self._descending = False

    # --- source -------------------------------------------------------------------------
    def setSourceModel(self, model: EffectiveTableModel) -> None:  # noqa: N802 - Qt API
        old = self.sourceModel()
        if old is not None:
            old.modelReset.disconnect(self._source_reset)
            old.dataChanged.disconnect(self._source_data_changed)
            old.headerDataChanged.disconnect(self.headerDataChanged)
        self.beginResetModel()
        super().setSourceModel(model)
        model.modelReset.connect(self._source_reset)
        model.dataChanged.connect(self._source_data_changed)
        model.headerDataChanged.connect(self.headerDataChanged)
        self._order, self._pos = self._compute()
        self.endResetModel()
        self.visibleRowsChanged.emit()

    @property
    def table(self):
        model = self.sourceModel()
        return model.table if model is not None else None

    def _source_reset(self) -> None:
        self.beginResetModel()
        model = self.sourceModel()
        # Filters on columns the new schema lacks are dropped.
        self._filters = {k: v for k, v in self._filters.items() if model.column_of(k[0]) >= 0}
        if self._sort_key is not None and model.column_of(self._sort_key) < 0:
            self._sort_key = None
        self._order, self._pos = self._compute()
        self.endResetModel()
        self.filtersChanged.emit()
        self.visibleRowsChanged.emit()

    def _source_data_changed(self, top: QModelIndex, bottom: QModelIndex, roles=()) -> None:
        if not len(self._order):
            return
        rows = self._pos[top.row() : bottom.row() + 1]
        rows = rows[rows >= 0]
        if len(rows):
            self.dataChanged.emit(self.index(int(rows.min()), top.column()),
                                  self.index(int(rows.max()), bottom.column()), roles)

    def source_complete(self) -> None:
        """The table finished filling: apply the filters and sort that waited for it."""
        if self._filters or self._text or self._sort_key is not None:
            self._relayout()

    # --- mapping --------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: _Index = _ROOT) -> QModelIndex:
        if parent.isValid() or not (0 <= row < len(self._order) and 0 <= column < self.columnCount()):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: _Index = _ROOT) -> QModelIndex:  # noqa: B008 - Qt overload
        return QModelIndex()

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def hasChildren(self, parent: _Index = _ROOT) -> bool:
        return not parent.isValid() and len(self._order) > 0

    def mapToSource(self, proxy: _Index) -> QModelIndex:
        if not proxy.isValid() or proxy.row() >= len(self._order):
            return QModelIndex()
        return self.sourceModel().index(int(self._order[proxy.row()]), proxy.column())

    def mapFromSource(self, source: _Index) -> QModelIndex:
        if not source.isValid() or source.row() >= len(self._pos):
            return QModelIndex()
        row = int(self._pos[source.row()])
        return self.index(row, source.column()) if row >= 0 else QModelIndex()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if role == Qt.ItemDataRole.DisplayRole else None
        model = self.sourceModel()
        return model.headerData(section, orientation, role) if model is not None else None

    def source_rows(self) -> np.ndarray:
        """Visible source rows in display order (do not modify)."""
        return self._order

    # --- sorting ----------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if model is None:
            return
        self._sort_key = model.column_key(column) if column >= 0 else None
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._relayout()

    def sort_state(self) -> tuple[str | None, bool]:
        return self._sort_key, self._descending

    # --- filtering --------------------------------------------------------------------------
    def set_text_filter(self, text: str) -> None:
        """Keep rows with `text` (ignoring case) in the file name or any value."""
        if text != self._text:
            self._text = text
            self._relayout()

    def text_filter(self) -> str:
        return self._text

    def set_column_filter(self, column: str, kind: str, value: Any = None) -> None:
        """Filter `column` (FILE_NAME, TYPE, a schema path or entry name) by EQUALS, RANGE or SOURCE.

        One filter per column and kind; `value` None removes it. See core ColumnFilter.
        """
        if kind not in FILTER_KINDS:
            raise ValueError(f"unknown filter kind {kind!r}")
        model = self.sourceModel()
        col = model.column_of(column) if model is not None else -1
        key = model.column_key(col) if col >= 0 else column
        if value is None:
            if self._filters.pop((key, kind), None) is None:
                return
        else:
            if col < 0:
                raise KeyError(f"no column {column!r}")
            if kind == RANGE:
                value = tuple(value)
            self._filters[(key, kind)] = value
        self.filtersChanged.emit()
        self._relayout()

    def remove_filter(self, column: str, kind: str) -> None:
        self.set_column_filter(column, kind, None)

    def clear_filters(self) -> None:
        """Remove every column filter and the quick text filter."""
        if not self._filters and not self._text:
            return
        self._filters.clear()
        self._text = ""
        self.filtersChanged.emit()
        self._relayout()

    def filters(self) -> list[ColumnFilter]:
        return [ColumnFilter(col, kind, value) for (col, kind), value in self._filters.items()]

    # --- recomputing -------------------------------------------------------------------------
    def _compute(self) -> tuple[np.ndarray, np.ndarray]:
        table = self.table
        if table is None:
            return np.zeros(0, dtype=_ROW), np.zeros(0, dtype=_ROW)
        n = table.row_count
        if not table.complete:  # still filling: natural order until it is done
            return np.arange(n, dtype=_ROW), np.arange(n, dtype=_ROW)
        if self._sort_key is not None:
            order = table.sort_order(self._sort_key, self._descending).astype(_ROW)
        else:
            order = np.arange(n, dtype=_ROW)
        if self._filters or self._text.strip():
            mask = table.filter_mask(self.filters(), self._text)
            order = order[mask[order]]
        pos = np.full(n, -1, dtype=_ROW)
        pos[order] = np.arange(len(order), dtype=_ROW)
        return order, pos

    def _relayout(self) -> None:
        """Recompute the visible rows, keeping selection and current index where they still show."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        sources = [int(self._order[i.row()]) if i.isValid() and i.row() < len(self._order) else -1
                   for i in old]
        self._order, self._pos = self._compute()
        new = []
        for i, src in zip(old, sources):
            row = int(self._pos[src]) if 0 <= src < len(self._pos) else -1
            new.append(self.index(row, i.column()) if row >= 0 else QModelIndex())
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()
        self.visibleRowsChanged.emit()


__all__ = ["DatasetProxy", "EQUALS", "RANGE", "SOURCE", "TYPE"]
