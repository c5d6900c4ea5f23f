"""Proposed schema entries (from the data) as a checkable table: path, name, files, examples, type."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from core.dataset.leaf_stats import LeafStats
from core.format.value_types import format_value, parse_type
from core.schema.entries import SchemaEntry
from gui.common.header_text import column_title

PROPOSAL_COLUMNS = ("path", "name", "files", "examples", "valueDataType")
P_PATH, P_NAME, P_FILES, P_EXAMPLES, P_TYPE = range(5)

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class ProposalModel(QAbstractTableModel):
    """Rows are proposals; the path column is checkable, name and type are editable."""

    def __init__(self, proposals: list[SchemaEntry], stats: dict[str, LeafStats], n_files: int,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._entries = list(proposals)
        self._checked = [True] * len(proposals)
        self._stats = stats
        self._n_files = n_files

    def entry(self, row: int) -> SchemaEntry:
        return self._entries[row]

    def selected_entries(self) -> list[SchemaEntry]:
        return [e for e, c in zip(self._entries, self._checked) if c]

    def set_all_checked(self, checked: bool) -> None:
        self._checked = [checked] * len(self._entries)
        if self._entries:
            last = self.index(len(self._entries) - 1, P_PATH)
            self.dataChanged.emit(self.index(0, P_PATH), last, [Qt.ItemDataRole.CheckStateRole])

    def set_cell(self, row: int, column: int, value: Any) -> bool:
        e = self._entries[row]
        if column == P_NAME:
            new = e.with_(name=str(value).strip())
        elif column == P_TYPE and parse_type(value) is not None:
            new = e.with_(value_type=str(value))
        else:
            return False
        self._entries[row] = new
        self.dataChanged.emit(self.index(row, column), self.index(row, column))
        return True

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(PROPOSAL_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        return column_title(PROPOSAL_COLUMNS, section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._entries)):
            return None
        row, col = index.row(), index.column()
        e = self._entries[row]
        st = self._stats.get(e.path)
        if role == Qt.ItemDataRole.CheckStateRole and col == P_PATH:
            return Qt.CheckState.Checked if self._checked[row] else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == P_PATH:
                return e.path
            if col == P_NAME:
                return e.name
            if col == P_FILES:
                return f"{st.count} of {self._n_files}" if st else ""
            if col == P_EXAMPLES:
                return _examples(st)
            return e.value_type
        if role == Qt.ItemDataRole.ToolTipRole and st is not None:
            if col == P_FILES:
                return f"{st.count} of {self._n_files} metadata files have {e.path}"
            if col == P_EXAMPLES:
                kinds = ", ".join(f"{k} ×{n}" for k, n in st.type_counts.most_common())
                return f"{_examples(st)}\nvalue kinds: {kinds}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col == P_FILES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == P_PATH:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
            self._checked[index.row()] = checked
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
            return True
        if role == Qt.ItemDataRole.EditRole:
            return self.set_cell(index.row(), index.column(), value)
        return False

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == P_PATH:
            f |= Qt.ItemFlag.ItemIsUserCheckable
        if index.column() in (P_NAME, P_TYPE):
            f |= Qt.ItemFlag.ItemIsEditable
        return f


def _examples(st: LeafStats | None) -> str:
    if st is None:
        return ""
    text = ", ".join(json.dumps(v, ensure_ascii=False) if isinstance(v, str) else format_value(v)
                     for v in st.examples)
    more = len(st.values) - len(st.examples)
    if st.capped or more > 0:
        text += ", …"
    return text
