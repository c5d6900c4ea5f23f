"""A compact list of the schema's lint findings, with a one-click "Fix" for known misspellings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
)

from core.format.findings import ERROR, Finding
from gui.schema.table_model import COLUMNS

CellOf = Callable[[Finding], "tuple[int, int] | None"]


class SchemaFindingsList(QTreeWidget):
    """One line per finding: where (entry · key), what, and a Fix button when there is one."""

    #: The user picked a finding: (row, column) of its cell.
    cellActivated = Signal(int, int)
    #: The user clicked "Fix" on the finding of entry `row`.
    fixRequested = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("schemaFindings")
        self.setColumnCount(3)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.itemActivated.connect(self._on_activated)
        self.itemClicked.connect(self._on_activated)
        self.fix_buttons: dict[int, QToolButton] = {}
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

    def set_findings(self, findings: list[Finding], cell_of: CellOf) -> None:
        self.clear()
        self.fix_buttons = {}
        style = QApplication.style()
        icons = {
            True: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            False: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
        }
        for f in sorted(findings, key=lambda f: cell_of(f) or (-1, -1)):
            cell = cell_of(f)
            where = "schema.json" if cell is None else f"entry {cell[0]} · {_key_of(f, cell)}"
            item = QTreeWidgetItem([where, f.message, ""])
            item.setIcon(0, icons[f.severity == ERROR])
            item.setToolTip(1, f.message)
            item.setData(0, Qt.ItemDataRole.UserRole, cell)
            self.addTopLevelItem(item)
            if f.fix and f.code == "unknown-type" and cell is not None:
                button = QToolButton()
                button.setText(f"Fix → {f.fix}")
                button.setAutoRaise(False)
                button.setToolTip(f"Change valueDataType of entry {cell[0]} to {f.fix}")
                button.clicked.connect(lambda _=False, r=cell[0]: self.fixRequested.emit(r))
                self.setItemWidget(item, 2, button)
                self.fix_buttons[cell[0]] = button
        self.setColumnHidden(2, not self.fix_buttons)

    def _on_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        cell = item.data(0, Qt.ItemDataRole.UserRole)
        if cell is not None:
            self.cellActivated.emit(int(cell[0]), int(cell[1]))


def _key_of(f: Finding, cell: tuple[int, int]) -> str:
    key = f.path.partition(".")[2] if f.path else ""
    return key or COLUMNS[cell[1]]
