"""A virtual table model over core.effective.table: no item per cell, data computed when painted.

Columns: file_name, type, then one per schema entry. Cells are styled by where their
value comes from (set in the file, inherited from the video, default, invalid). Edits go
through the shared undo stack as `set_value_command`s; the table then follows
`documentChanged` like every other view, so an edit from the form shows here too.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QPalette, QUndoStack

from core.effective.readers import workspace_reader
from core.effective.table import FILE_NAME, PENDING, TYPE, EffectiveTable
from core.effective.values import DEFAULT, FILE, INVALID, VIDEO
from core.format.keypath import MISSING
from core.format.naming import FRAME
from core.format.value_types import ValueType, format_value, parse_text
from core.workspace import Workspace
from gui.common.commands import set_value_command
from gui.common.workers import Slices
from gui.common.workspace_signals import WorkspaceSignals

SourceRole = Qt.ItemDataRole.UserRole + 1  # FILE, VIDEO, DEFAULT, INVALID or PENDING
RawValueRole = Qt.ItemDataRole.UserRole + 2  # the JSON value itself
SampleRole = Qt.ItemDataRole.UserRole + 3  # the row's SampleRef
ColumnKeyRole = Qt.ItemDataRole.UserRole + 4  # header: FILE_NAME, TYPE or the schema path

FIXED_COLUMNS = (FILE_NAME, TYPE)
SOURCE_TEXT = {
    FILE: "set in this file",
    VIDEO: "inherited from the video's file",
    DEFAULT: "the schema's default",
    INVALID: "invalid",
    PENDING: "still reading…",
}
_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """`a` moved a fraction `t` towards `b`."""
    return QColor(round(a.red() + (b.red() - a.red()) * t), round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


class CellLook:
    """Brushes and fonts per source, from the application palette (light or dark)."""

    def __init__(self, palette: QPalette):
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        dark = base.lightness() < 128
        link = palette.color(QPalette.ColorRole.Link)
        red = _mix(base, QColor("#ff5c5c" if dark else "#e53935"), 0.28)
        self.foreground = {
            VIDEO: QBrush(_mix(text, link, 0.85)),
            DEFAULT: QBrush(_mix(base, text, 0.5)),
            PENDING: QBrush(_mix(base, text, 0.35)),
        }
        self.background = {INVALID: QBrush(red)}
        italic = QFont()
        italic.setItalic(True)
        self.font = {VIDEO: italic, DEFAULT: italic, PENDING: italic}


class EffectiveTableModel(QAbstractTableModel):
    """Rows of an EffectiveTable (None until built); follows edits of the workspace."""

    #: An edit in a cell was refused (bad value, broken file); the text says why.
    editRejected = Signal(str)
    #: Values of these source rows changed (after an edit); first, last.
    rowsUpdated = Signal(int, int)
    #: The rows of a batch of changed documents (a bulk edit, its undo) are all up to date.
    updatesApplied = Signal()

    def __init__(self, workspace: Workspace, signals: WorkspaceSignals, undo_stack: QUndoStack,
                 parent=None):
        super().__init__(parent)
        self.ws, self.undo_stack = workspace, undo_stack
        self.table: EffectiveTable | None = None
        self._look = CellLook(QGuiApplication.palette())
        signals.documentChanged.connect(self.on_document_changed)
        signals.documentsChanged.connect(self.on_documents_changed)
        #: Rows of many changed documents, updated a slice per event-loop turn.
        self._updates = Slices(self._update_many, parent=self)
        self._updates.done.connect(self.updatesApplied)
        #: Documents changed while the table was still filling: applied when it is complete.
        self._deferred: set[str] = set()

    # --- the table -------------------------------------------------------------------
    def set_table(self, table: EffectiveTable | None) -> None:
        self.beginResetModel()
        self.table = table
        self._deferred.clear()
        self._updates.clear()
        self.endResetModel()

    def specs(self):
        return self.table.specs if self.table is not None else ()

    def column_key(self, column: int) -> str:
        """FILE_NAME, TYPE, or the schema path of a value column."""
        if column < len(FIXED_COLUMNS):
            return FIXED_COLUMNS[column]
        return self.specs()[column - len(FIXED_COLUMNS)].path

    def column_of(self, key: str) -> int:
        """The column showing FILE_NAME, TYPE or a schema path (or entry name); -1 if none."""
        if key in FIXED_COLUMNS:
            return FIXED_COLUMNS.index(key)
        for i, s in enumerate(self.specs()):
            if key in (s.path, s.name):
                return i + len(FIXED_COLUMNS)
        return -1

    def spec_of(self, column: int):
        if column < len(FIXED_COLUMNS):
            return None
        return self.specs()[column - len(FIXED_COLUMNS)]

    def refresh_loaded(self, first_row: int, last_row: int) -> None:
        """Rows whose values arrived while the table fills in the background."""
        if self.table is not None and last_row >= first_row:
            self.dataChanged.emit(self.index(first_row, 0), self.index(last_row, self.columnCount() - 1))

    def table_complete(self) -> None:
        """The background fill ended: apply the edits that arrived meanwhile, repaint."""
        if len(self._deferred) > 64:  # a bulk edit while the table filled: in slices
            self._updates.add(sorted(self._deferred))
        else:
            for rel in sorted(self._deferred):
                self._update(rel)
        self._deferred.clear()
        if self.table is not None and self.table.row_count:
            self.refresh_loaded(0, self.table.row_count - 1)

    # --- Qt model API ----------------------------------------------------------------
    def rowCount(self, parent: _Index = _ROOT) -> int:
        if parent.isValid() or self.table is None:
            return 0
        return self.table.row_count

    def columnCount(self, parent: _Index = _ROOT) -> int:
        if parent.isValid():
            return 0
        return len(FIXED_COLUMNS) + len(self.specs())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        spec = self.spec_of(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return spec.label if spec else FIXED_COLUMNS[section]
        if role == ColumnKeyRole:
            return self.column_key(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            if spec is None:
                return ("Lightly's file_name of the sample (a frame's virtual .png name)"
                        if section == 0 else "image, video or frame")
            default = "null (no value)" if spec.default is None else format_value(spec.default)
            return (f"<b>{spec.label}</b><br>path: <code>{spec.path}</code><br>type: {spec.type.value}"
                    f"<br>default: {default}<br><i>Right-click for filters</i>")
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.table is None:
            return None
        row, col = index.row(), index.column()
        if role == SampleRole:
            return self.table.sample(row)
        if col == 0:
            if role in (Qt.ItemDataRole.DisplayRole, RawValueRole, Qt.ItemDataRole.EditRole):
                return self.table.file_name(row)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.table.sample(row).metadata_rel
            return None
        if col == 1:
            return self.table.kind(row) if role in (Qt.ItemDataRole.DisplayRole, RawValueRole) else None
        spec_col = col - len(FIXED_COLUMNS)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            e = self.table.cell(row, spec_col)
            if e.source == PENDING:
                return "…" if role == Qt.ItemDataRole.DisplayRole else ""
            if e.value is None:
                return "" if role == Qt.ItemDataRole.EditRole else "—"
            if e.source == INVALID and isinstance(e.value, str) and role == Qt.ItemDataRole.DisplayRole:
                return json.dumps(e.value, ensure_ascii=False)  # quoted: "17.5" is text, not a number
            return format_value(e.value)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._look.foreground.get(self.table.cell(row, spec_col).source)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._look.background.get(self.table.cell(row, spec_col).source)
        if role == Qt.ItemDataRole.FontRole:
            return self._look.font.get(self.table.cell(row, spec_col).source)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            spec = self.specs()[spec_col]
            if spec.type.is_numeric:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == SourceRole:
            return self.table.cell(row, spec_col).source
        if role == RawValueRole:
            return self.table.cell(row, spec_col).value
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, spec_col)
        return None

    def _tooltip(self, row: int, spec_col: int) -> str:
        e = self.table.cell(row, spec_col)
        spec = self.specs()[spec_col]
        value = "null (no value)" if e.value is None else format_value(e.value)
        lines = [f"{spec.label}: {value}", f"Source: {SOURCE_TEXT[e.source]}"]
        if e.source == INVALID and e.reason:
            lines.append(e.reason)
        if not self._editable(row, spec_col) and e.source != PENDING:
            lines.append("Inherited: edit the video's row, or open this frame to override it")
        return "\n".join(lines)

    def _editable(self, row: int, spec_col: int) -> bool:
        """Set, default and invalid values can be edited; a frame's inherited value cannot."""
        if self.table.cell(row, spec_col).source == PENDING:
            return False
        return not (self.table.kind(row) == FRAME and self.table.origin(row, spec_col) == VIDEO)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        if (self.table is not None and index.column() >= len(FIXED_COLUMNS)
                and self._editable(index.row(), index.column() - len(FIXED_COLUMNS))):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Parse the typed text for the entry's type and push one undoable edit."""
        if (role != Qt.ItemDataRole.EditRole or not index.isValid() or self.table is None
                or not self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        spec = self.spec_of(index.column())
        sample = self.table.sample(index.row())
        text = "" if value is None else str(value)
        try:
            new = self.parse(spec.type, text)
        except ValueError as e:
            self.editRejected.emit(f"{spec.label} of {sample.label()}: {e}. Nothing was written.")
            return False
        doc = self.ws.document(sample)
        if doc.broken:
            self.editRejected.emit(f"{doc.rel} is not valid JSON: repair it in the form first. "
                                   "Nothing was written.")
            return False
        if doc.data is not None and not _editable_shape(doc.data):
            self.editRejected.emit(f"{doc.rel}: its 'metadata' is not an object. Nothing was written.")
            return False
        current = doc.value(spec.path) if doc.data is not None else MISSING
        if new is MISSING and current is MISSING:
            return True
        if current is not MISSING and new is not MISSING and _same(current, new):
            return True
        label = f"{spec.label} of {sample.label()}"
        self.undo_stack.push(set_value_command(self.ws, sample, spec.path, new, label=label))
        return True

    @staticmethod
    def parse(vt: ValueType, text: str) -> Any:
        """The value to store for typed text; MISSING (remove the value) for empty or `null`."""
        if not text.strip():
            return MISSING
        value = parse_text(vt, text)
        return MISSING if value is None else value

    # --- following edits ---------------------------------------------------------------
    def on_document_changed(self, rel: str) -> None:
        if self.table is None:
            return
        if not self.table.complete:
            self._deferred.add(rel)
            return
        self._update(rel)

    def on_documents_changed(self, rels: list[str]) -> None:
        """Many documents changed together: their rows are updated in slices (`updating()`)."""
        if self.table is None:
            return
        if not self.table.complete:
            self._deferred.update(rels)
            return
        self._updates.add(rels)

    def updating(self) -> bool:
        """Rows of changed documents are still being updated (the table is not up to date)."""
        return self._updates.pending()

    def up_to_date(self) -> bool:
        """Every value read and every edit applied."""
        return self.table is not None and self.table.complete and not self._updates.pending()

    def _update(self, rel: str) -> None:
        last_col = self.columnCount() - 1
        for first, last in self.table.update_document(rel, read=workspace_reader(self.ws)):
            self.dataChanged.emit(self.index(first, 0), self.index(last, last_col))
            self.rowsUpdated.emit(first, last)

    def _update_many(self, rels: list[str]) -> None:
        """One slice: each file's rows, then one repaint of the range they span."""
        if self.table is None:
            return
        read = workspace_reader(self.ws)
        ranges = [r for rel in rels for r in self.table.update_document(rel, read=read)]
        if ranges:
            first, last = min(r[0] for r in ranges), max(r[1] for r in ranges)
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))
            self.rowsUpdated.emit(first, last)


def _editable_shape(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("metadata", {}), dict)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b
