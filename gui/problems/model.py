"""Findings grouped by file as a two-level tree model, built for 100k findings.

Top-level rows are files (with their counts); child rows are findings. The model keeps
plain lists per file (no item objects), filters by severity and text itself, and can
replace one file's findings without a full reset (after a save).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont, QIcon, QPalette

from core.format.findings import ERROR, INFO, WARNING, Finding
from gui.common.header_text import column_title

FINDING_ROLE = Qt.ItemDataRole.UserRole + 1  # the Finding of a child row (None on file rows)
FILE_ROLE = Qt.ItemDataRole.UserRole + 2  # the file (metadata rel or schema.json) of any row
FIXABLE_ROLE = Qt.ItemDataRole.UserRole + 3  # whether a finding row has a one-step fix

COLUMNS = ("Problem", "Message", "Where", "Fix")
_RANK = {ERROR: 0, WARNING: 1, INFO: 2}
_TOP = 0  # internalId of top-level rows; a child's internalId is its file's id (>= 1)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # default parent (a call in a default argument is evaluated once anyway)


def _where(f: Finding) -> str:
    if f.line is not None:
        return f"{f.line}:{f.column or 1}"
    return f.path or ""


def _tally(findings: Iterable[Finding]) -> tuple[int, int]:
    """(errors, warnings) among `findings` (notes count as neither)."""
    errors = warnings = 0
    for f in findings:
        if f.severity == ERROR:
            errors += 1
        elif f.severity == WARNING:
            warnings += 1
    return errors, warnings


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


class ProblemsModel(QAbstractItemModel):
    """Files and their findings; `set_findings` replaces all, `update_file` one file."""

    def __init__(self, parent=None, icons: dict[str, QIcon] | None = None,
                 fix_label: Callable[[Finding], str | None] | None = None):
        super().__init__(parent)
        self._icons = icons or {}
        #: The label of a finding's one-step fix, or None (shown in the Fix column).
        self._fix_label = fix_label or (lambda f: None)
        self._all: dict[str, list[Finding]] = {}  # every finding, by file
        self._counts = (0, 0)  # (errors, warnings) of _all
        self._total = 0
        self._errors_shown: dict[str, int] = {}  # visible errors per visible file (sort key)
        self._files: list[str] = []  # visible files, in display order
        self._rows: dict[str, list[Finding]] = {}  # visible findings per visible file
        self._row_of: dict[str, int] = {}
        self._ids: dict[str, int] = {}  # stable id per file (a child's internalId)
        self._by_id: list[str] = [""]
        self._show = {ERROR: True, WARNING: True, INFO: True}
        self._text = ""
        self._sort = (0, Qt.SortOrder.AscendingOrder)
        self._bold = QFont()
        self._bold.setBold(True)
        self._fix_brush = QBrush(QPalette().color(QPalette.ColorRole.Link))
        self._link_font = QFont()
        self._link_font.setUnderline(True)  # a link: a click applies the fix

    # --- data in -------------------------------------------------------------------------
    def set_findings(self, findings: Iterable[Finding]) -> None:
        grouped: dict[str, list[Finding]] = {}
        for f in findings:
            grouped.setdefault(f.file, []).append(f)
        self.beginResetModel()
        self._all = grouped
        self._counts = _tally(f for fs in grouped.values() for f in fs)
        self._total = sum(len(fs) for fs in grouped.values())
        for file in grouped:
            self._id(file)
        self._rebuild()
        self.endResetModel()

    def update_file(self, file: str, findings: Iterable[Finding]) -> None:
        """Replace the findings of one file, keeping the rest of the tree (and its expansion)."""
        new_all = [f for f in findings if f.file == file]
        old_all = self._all.pop(file, [])
        if new_all:
            self._id(file)
            self._all[file] = new_all
        (e0, w0), (e1, w1) = _tally(old_all), _tally(new_all)
        self._counts = (self._counts[0] - e0 + e1, self._counts[1] - w0 + w1)
        self._total += len(new_all) - len(old_all)
        new = self._visible(file, new_all)
        row = self._row_of.get(file)
        if row is None:
            if new:
                self._insert_file(file, new)
            return
        parent = self.index(row, 0)
        if not new:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._files[row]
            del self._rows[file]
            self._errors_shown.pop(file, None)
            self._row_of = {f: i for i, f in enumerate(self._files)}
            self.endRemoveRows()
            return
        old = self._rows[file]
        if old:
            self.beginRemoveRows(parent, 0, len(old) - 1)
            self._rows[file] = []
            self.endRemoveRows()
        self.beginInsertRows(parent, 0, len(new) - 1)
        self._rows[file] = self._sorted_children(new)
        self._errors_shown[file] = _tally(new)[0]
        self.endInsertRows()
        self.dataChanged.emit(parent, self.index(row, len(COLUMNS) - 1))

    def _insert_file(self, file: str, findings: list[Finding]) -> None:
        key = self._file_key()
        keys = [key(f) for f in self._files]
        reverse = self._sort[1] == Qt.SortOrder.DescendingOrder
        self._rows[file] = self._sorted_children(findings)
        self._errors_shown[file] = _tally(findings)[0]
        k = key(file)
        if reverse:
            pos = next((i for i, x in enumerate(keys) if x < k), len(keys))
        else:
            pos = bisect.bisect_right(keys, k)
        self.beginInsertRows(QModelIndex(), pos, pos)
        self._files.insert(pos, file)
        self._row_of = {f: i for i, f in enumerate(self._files)}
        self.endInsertRows()

    def _id(self, file: str) -> int:
        i = self._ids.get(file)
        if i is None:
            i = self._ids[file] = len(self._by_id)
            self._by_id.append(file)
        return i

    # --- filtering and sorting ------------------------------------------------------------
    def set_filter(self, errors: bool = True, warnings: bool = True, text: str = "") -> None:
        self.beginResetModel()
        self._show = {ERROR: errors, WARNING: warnings, INFO: warnings}
        self._text = text.strip().lower()
        self._rebuild()
        self.endResetModel()

    def _visible(self, file: str, findings: list[Finding]) -> list[Finding]:
        show, text = self._show, self._text
        if all(show.values()):
            out = list(findings)
        else:
            out = [f for f in findings if show.get(f.severity, True)]
        if text and text not in file.lower():
            out = [f for f in out if text in f.message.lower() or text in f.code or
                   (f.path is not None and text in f.path.lower())]
        return out

    def _rebuild(self) -> None:
        rows = {}
        for file, findings in self._all.items():
            visible = self._visible(file, findings)
            if visible:
                rows[file] = visible
        self._rows = rows
        self._files = list(rows)
        self._errors_shown = {file: sum(1 for f in fs if f.severity == ERROR) for file, fs in rows.items()}
        self._apply_sort()

    def _file_key(self):
        column = self._sort[0]
        if column == 1:  # by how bad: errors, then total
            errors, rows = self._errors_shown, self._rows
            return lambda file: (errors[file], len(rows[file]), file)
        return lambda file: file

    def _child_key(self):
        column = self._sort[0]
        if column == 1:
            return lambda f: (f.message, f.code)
        if column == 2:
            return lambda f: (f.line or 0, f.column or 0, f.path or "", f.code)
        if column == 3:
            return lambda f: (self._fix_label(f) or "\uffff", f.code)
        return lambda f: (_RANK.get(f.severity, 3), f.code, f.path or "")

    def _sorted_children(self, findings: list[Finding]) -> list[Finding]:
        reverse = self._sort[1] == Qt.SortOrder.DescendingOrder
        return sorted(findings, key=self._child_key(), reverse=reverse)

    def _apply_sort(self) -> None:
        reverse = self._sort[1] == Qt.SortOrder.DescendingOrder
        self._files.sort(key=self._file_key(), reverse=reverse)
        child_key = self._child_key()
        for file in self._files:
            self._rows[file].sort(key=child_key, reverse=reverse)
        self._row_of = {f: i for i, f in enumerate(self._files)}

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or (column, order) == self._sort:
            return  # already in this order: every change keeps it (the view asks twice)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        where = [self._locate(i) for i in old]
        self._sort = (column, order)
        self._apply_sort()
        new = []
        for (file, finding), i in zip(where, old):
            new.append(self._relocate(file, finding, i.column()))
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _locate(self, index: QModelIndex) -> tuple[str, Finding | None]:
        if index.internalId() == _TOP:
            return self._files[index.row()], None
        file = self._by_id[index.internalId()]
        return file, self._rows[file][index.row()]

    def _relocate(self, file: str, finding: Finding | None, column: int) -> QModelIndex:
        row = self._row_of.get(file)
        if row is None:
            return QModelIndex()
        if finding is None:
            return self.createIndex(row, column, _TOP)
        rows = self._rows[file]
        child = next((i for i, f in enumerate(rows) if f is finding), None)
        return QModelIndex() if child is None else self.createIndex(child, column, self._ids[file])

    # --- queries ----------------------------------------------------------------------------
    def counts(self) -> tuple[int, int]:
        """(errors, warnings) over all findings, whatever the filter shows."""
        return self._counts

    def finding(self, index: QModelIndex) -> Finding | None:
        if not index.isValid() or index.internalId() == _TOP:
            return None
        return self._rows[self._by_id[index.internalId()]][index.row()]

    def file(self, index: QModelIndex) -> str | None:
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            return self._files[index.row()]
        return self._by_id[index.internalId()]

    def file_index(self, file: str) -> QModelIndex:
        row = self._row_of.get(file)
        return QModelIndex() if row is None else self.createIndex(row, 0, _TOP)

    def findings_of(self, file: str) -> list[Finding]:
        return list(self._all.get(file, ()))

    def total_count(self) -> int:
        return self._total

    def visible_count(self) -> int:
        return sum(len(v) for v in self._rows.values())

    # --- QAbstractItemModel ------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self._files):
                return QModelIndex()
            return self.createIndex(row, column, _TOP)
        if parent.internalId() != _TOP or parent.column() != 0:
            return QModelIndex()
        file = self._files[parent.row()]
        if row >= len(self._rows[file]):
            return QModelIndex()
        return self.createIndex(row, column, self._ids[file])

    def parent(self, index: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        row = self._row_of.get(self._by_id[index.internalId()])
        return QModelIndex() if row is None else self.createIndex(row, 0, _TOP)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if not parent.isValid():
            return len(self._files)
        if parent.internalId() != _TOP or parent.column() != 0:
            return 0
        return len(self._rows[self._files[parent.row()]])

    def columnCount(self, parent: Index = _ROOT) -> int:
        return len(COLUMNS)

    def hasChildren(self, parent: Index = _ROOT) -> bool:
        if not parent.isValid():
            return bool(self._files)
        if parent.internalId() != _TOP or parent.column() != 0:
            return False
        return bool(self._rows[self._files[parent.row()]])

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        return column_title(COLUMNS, section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _FLAGS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            return self._file_data(self._files[index.row()], index.column(), role)
        file = self._by_id[index.internalId()]
        return self._finding_data(self._rows[file][index.row()], index.column(), role)

    def _file_data(self, file: str, column: int, role: int):
        rows = self._rows[file]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{file}  ({len(rows)})"
            if column == 1:
                errors = sum(1 for f in rows if f.severity == ERROR)
                parts = [_plural(errors, "error")] if errors else []
                if len(rows) - errors:
                    parts.append(_plural(len(rows) - errors, "warning"))
                return ", ".join(parts)
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            worst = min((_RANK.get(f.severity, 3) for f in rows), default=3)
            return self._icons.get({0: ERROR, 1: WARNING}.get(worst, INFO))
        if role == Qt.ItemDataRole.FontRole and column == 0:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{file}: {self._file_data(file, 1, Qt.ItemDataRole.DisplayRole)}"
        if role == FILE_ROLE:
            return file
        return None

    def _finding_data(self, f: Finding, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f.code
            if column == 1:
                return f.message
            if column == 2:
                return _where(f)
            return self._fix_label(f)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self._icons.get(f.severity)
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return self._fix_brush
        if role == Qt.ItemDataRole.FontRole and column == 3:
            return self._link_font
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f.text()
            if f.media:
                tip += f"\nmedia: {f.media}"
            label = self._fix_label(f)
            if label:
                tip += f"\nFix: {label} (click the link, press Fix, or right-click)"
            return tip
        if role == FINDING_ROLE:
            return f
        if role == FILE_ROLE:
            return f.file
        if role == FIXABLE_ROLE:
            return self._fix_label(f) is not None
        return None
