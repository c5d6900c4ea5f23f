"""The import dialog's details list: the plan's errors, warnings, then its changes (virtual rows)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QIcon, QPalette

from core.csv_io.importer import ImportIssue, ImportPlan, ValueChange
from core.format.findings import ERROR, WARNING
from core.format.value_types import format_value
from gui.common.header_text import column_title

COLUMNS = ("", "Line", "Sample", "Field", "Detail")
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # the ImportIssue or ValueChange of a row

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # default parent (a call in a default argument is evaluated once anyway)


def _shown(value) -> str:
    return "(none)" if value is None else format_value(value)


class ImportPlanModel(QAbstractTableModel):
    """Rows: errors, warnings, then one row per value to change; nothing is copied per row."""

    def __init__(self, parent=None, icons: dict[str, QIcon] | None = None):
        super().__init__(parent)
        self._icons = icons or {}
        self._plan: ImportPlan | None = None
        self._issues: list[ImportIssue] = []
        self._creates: set = set()
        self._skipped: set[int] = set()  # ids of the issues whose rows are left out
        self._muted = QBrush(QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        self._plan = plan
        self._issues = (plan.errors + plan.skipped + plan.warnings) if plan else []  # skipped: left out
        self._creates = set(plan.creates) if plan else set()
        self._skipped = {id(i) for i in plan.skipped} if plan else set()
        self.endResetModel()

    @property
    def plan(self) -> ImportPlan | None:
        return self._plan

    def item(self, row: int) -> ImportIssue | ValueChange | None:
        if row < 0 or self._plan is None:
            return None
        if row < len(self._issues):
            return self._issues[row]
        row -= len(self._issues)
        changes = self._plan.value_changes
        return changes[row] if row < len(changes) else None

    def rowCount(self, parent: Index = _ROOT) -> int:
        if parent.isValid() or self._plan is None:
            return 0
        return len(self._issues) + len(self._plan.value_changes)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        return column_title(COLUMNS, section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self.item(index.row())
        if item is None:
            return None
        if role == ITEM_ROLE:
            return item
        if isinstance(item, ImportIssue):
            return self._issue_data(item, index.column(), role)
        return self._change_data(item, index.column(), role)

    def _issue_data(self, issue: ImportIssue, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                if id(issue) in self._skipped:
                    return "skipped"
                return "error" if issue.severity == ERROR else "warning"
            if column == 1:
                return str(issue.line) if issue.line else ""
            if column == 2:
                return issue.key or ""
            if column == 3:
                return issue.column or ""
            return issue.message
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self._icons.get(WARNING if id(issue) in self._skipped else issue.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            return issue.text()
        return None

    def _change_data(self, change: ValueChange, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return "new file" if change.sample in self._creates else "change"
            if column == 1:
                return str(change.line)
            if column == 2:
                return change.sample.file_name
            if column == 3:
                return change.spec.label
            return f"{_shown(change.old.value)} ({change.old.source})  →  {_shown(change.new)}"
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return self._muted
        if role == Qt.ItemDataRole.ToolTipRole:
            where = f"{change.sample.metadata_rel}, {change.spec.path}"
            return f"line {change.line}: {where}\n{change.text()}"
        return None

