"""The schema as a table: one row per entry of `workspace.schema_entries`, lint on the cells.

The model holds a reference to the workspace's entry tuple (never a copy). Every
edit is one `SchemaCommand` pushed on the shared undo stack; the model itself only
changes when the workspace reports `schemaChanged`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPalette, QUndoStack
from PySide6.QtWidgets import QApplication, QStyle

from core.format.findings import ERROR, Finding
from core.format.jsonio import JsonSyntaxError, loads
from core.format.value_types import ValueType, convert_value, format_value, parse_text, parse_type
from core.schema import entries as schema_ops
from core.schema.entries import SchemaEntry
from core.schema.lint import entry_location, lint
from core.workspace import Workspace
from gui.common.commands import SchemaCommand
from gui.common.workspace_signals import WorkspaceSignals

COLUMNS = ("name", "path", "defaultValue", "valueDataType")
NAME, PATH, DEFAULT, TYPE = range(4)

#: list[Finding] located on the cell.
FindingsRole = Qt.ItemDataRole.UserRole + 1
#: The row's ValueType, or None when its valueDataType is unknown.
TypeRole = Qt.ItemDataRole.UserRole + 2

_ERROR_BG = QColor(220, 50, 47, 70)  # translucent: readable on light and dark palettes
_WARNING_BG = QColor(240, 160, 20, 70)

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class SchemaTableModel(QAbstractTableModel):
    """Columns name, path, defaultValue, valueDataType over the schema being edited."""

    #: Emitted after the lint findings were recomputed (on every schema change).
    findingsChanged = Signal()

    def __init__(self, workspace: Workspace, signals: WorkspaceSignals, undo_stack: QUndoStack,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.ws = workspace
        self.undo_stack = undo_stack
        self.read_only = False
        self._entries: tuple[SchemaEntry, ...] = workspace.schema_entries
        self.findings: list[Finding] = []
        self._by_cell: dict[tuple[int, int], list[Finding]] = {}
        self._relint()
        signals.schemaChanged.connect(self._on_schema_changed)

    # --- reading -------------------------------------------------------------------------
    @property
    def entries(self) -> tuple[SchemaEntry, ...]:
        return self._entries

    def entry(self, row: int) -> SchemaEntry:
        return self._entries[row]

    def cell_findings(self, row: int, column: int) -> list[Finding]:
        return self._by_cell.get((row, column), [])

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
            return str(section)  # entry index, as lint messages count ("entry 3")
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return _HEADER_TIPS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._entries)):
            return None
        row, col = index.row(), index.column()
        e = self._entries[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return _cell_text(e, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            found = self.cell_findings(row, col)
            if found:
                return "\n".join(f.message for f in found)
            if col == DEFAULT and e.default is None and e.has_default:
                return "null: samples without a value get null"
            if col == DEFAULT and e.default == "":
                return "the empty string"
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            found = self.cell_findings(row, col)
            if found:
                return QBrush(_ERROR_BG if any(f.severity == ERROR for f in found) else _WARNING_BG)
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            found = self.cell_findings(row, col)
            if found:
                icon = (QStyle.StandardPixmap.SP_MessageBoxCritical
                        if any(f.severity == ERROR for f in found)
                        else QStyle.StandardPixmap.SP_MessageBoxWarning)
                return QApplication.style().standardIcon(icon)
            return None
        if col == DEFAULT and (e.default is None or e.default == "") and role in (
                Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole):
            # null, "" and a missing default are drawn unlike real values
            if role == Qt.ItemDataRole.ForegroundRole:
                return QApplication.palette().brush(QPalette.ColorRole.PlaceholderText)
            font = QFont()
            font.setItalic(True)
            return font
        if role == FindingsRole:
            return list(self.cell_findings(row, col))
        if role == TypeRole:
            return e.type
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return f if self.read_only else f | Qt.ItemFlag.ItemIsEditable

    # --- editing (each method pushes exactly one command, or none) -----------------------
    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        return self.set_cell(index.row(), index.column(), value)

    def edited_entry(self, row: int, column: int, value: Any) -> SchemaEntry:
        """Entry `row` with cell `column` set to `value` (text is parsed for the default)."""
        e = self._entries[row]
        if column == NAME:
            return e.with_(name=str(value).strip())
        if column == PATH:
            return e.with_(path=str(value).strip())
        if column == DEFAULT:
            return e.with_(default=_default_from(e.type, value))
        new_type = str(value).strip()
        vt = parse_type(new_type)
        default = convert_value(vt, e.default) if vt is not None and e.default is not None else e.default
        return e.with_(value_type=new_type, default=default)

    def set_cell(self, row: int, column: int, value: Any) -> bool:
        """Set one cell (a type change also converts the default, or makes it null)."""
        if self.read_only or not (0 <= row < len(self._entries)) or not (0 <= column < len(COLUMNS)):
            return False
        new = self.edited_entry(row, column, value)
        if new == self._entries[row]:
            return False
        label = _label(self._entries[row], row)
        what = "type" if column == TYPE else COLUMNS[column]
        self._push(schema_ops.replace_entry(self._entries, row, new), f"Change {what} of {label}")
        return True

    def preview_findings(self, row: int, column: int, value: Any) -> list[Finding]:
        """Lint findings that cell (row, column) would have with `value` (for as-you-type hints)."""
        entries = schema_ops.replace_entry(self._entries, row, self.edited_entry(row, column, value))
        return [f for f in lint(entries) if cell_of(f) == (row, column)]

    def add_entry(self, row: int | None = None, entry: SchemaEntry | None = None) -> int:
        """Insert a new entry after `row` (or at the end); returns its row."""
        at = len(self._entries) if row is None else min(row + 1, len(self._entries))
        if entry is None:
            name = schema_ops.unique_name(self._entries, "new field")
            path = _unique_path(self._entries, "new_field")
            entry = SchemaEntry(name=name, path=path, default=None,
                                value_type=ValueType.CATEGORICAL_STRING.value)
        self._push(schema_ops.add_entry(self._entries, entry, at), f"Add {_label(entry, at)}")
        return at

    def add_entries(self, entries: list[SchemaEntry]) -> None:
        """Append several entries as one undo step (propose from data)."""
        new = self._entries
        for e in entries:
            new = schema_ops.add_entry(new, e)
        if entries:
            self._push(new, f"Add {len(entries)} entries from data")

    def remove_rows(self, rows: list[int]) -> None:
        rows = sorted({r for r in rows if 0 <= r < len(self._entries)}, reverse=True)
        if not rows:
            return
        new = self._entries
        for r in rows:
            new = schema_ops.remove_entry(new, r)
        text = f"Delete {_label(self._entries[rows[0]], rows[0])}" if len(rows) == 1 else (
            f"Delete {len(rows)} entries")
        self._push(new, text)

    def duplicate_row(self, row: int) -> int:
        """Copy entry `row` below itself under a unique name; returns the copy's row."""
        e = self._entries[row]
        base = e.name if isinstance(e.name, str) and e.name else "copy"
        copy = e.with_(name=schema_ops.unique_name(self._entries, base))
        self._push(schema_ops.add_entry(self._entries, copy, row + 1), f"Duplicate {_label(e, row)}")
        return row + 1

    def move_row(self, row: int, delta: int) -> int:
        """Move entry `row` up (-1) or down (+1); returns where it is now."""
        dst = row + delta
        if not (0 <= row < len(self._entries)) or not (0 <= dst < len(self._entries)):
            return row
        text = f"Move {_label(self._entries[row], row)} {'up' if delta < 0 else 'down'}"
        self._push(schema_ops.move_entry(self._entries, row, dst), text)
        return dst

    def fixable(self, row: int) -> Finding | None:
        """The row's unknown-type finding that has a one-step fix, if any."""
        for f in self.cell_findings(row, TYPE):
            if f.code == "unknown-type" and f.fix:
                return f
        return None

    def fix_type(self, row: int) -> bool:
        """Apply the known-misspelling fix of row `row` (NUMERICAL_INT -> NUMERIC_INT)."""
        f = self.fixable(row)
        if f is None or self.read_only:
            return False
        e = self._entries[row]
        new = self.edited_entry(row, TYPE, f.fix)
        self._push(schema_ops.replace_entry(self._entries, row, new), f"Fix type of {_label(e, row)}")
        return True

    def _push(self, entries: tuple[SchemaEntry, ...], text: str) -> None:
        if self.read_only:
            return
        self.undo_stack.push(SchemaCommand(self.ws, entries, text))

    # --- following the workspace ---------------------------------------------------------
    def _relint(self) -> None:
        self.findings = lint(self._entries)
        by_cell: dict[tuple[int, int], list[Finding]] = {}
        for f in self.findings:
            cell = cell_of(f)
            if cell is not None:
                by_cell.setdefault(cell, []).append(f)
        self._by_cell = by_cell

    def _on_schema_changed(self) -> None:
        old, new = self._entries, self.ws.schema_entries
        old_cells = self._by_cell
        if len(old) == len(new):
            self._entries = new
            self._relint()
            rows = {i for i, (a, b) in enumerate(zip(old, new)) if a is not b and a != b}
            cells = set(old_cells) | set(self._by_cell)
            rows |= {c[0] for c in cells if old_cells.get(c) != self._by_cell.get(c)}
            if rows:
                self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(COLUMNS) - 1))
        else:
            span = _contiguous_change(old, new)
            if span is None:
                self.beginResetModel()
                self._entries = new
                self._relint()
                self.endResetModel()
            else:
                first, count = span
                if count > 0:
                    self.beginInsertRows(QModelIndex(), first, first + count - 1)
                    self._entries = new
                    self._relint()
                    self.endInsertRows()
                else:
                    self.beginRemoveRows(QModelIndex(), first, first - count - 1)
                    self._entries = new
                    self._relint()
                    self.endRemoveRows()
                if new:  # lint of other rows may change (duplicates, prefixes)
                    self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, len(COLUMNS) - 1))
        self.findingsChanged.emit()


_HEADER_TIPS = (
    "name: shown to users in Lightly",
    "path: keys inside each file's metadata object, e.g. weather.temperature or cams[0].id",
    "defaultValue: used when a sample has no value (may be null)",
    "valueDataType: the kind of value (the last three are advanced)",
)


def cell_of(f: Finding) -> tuple[int, int] | None:
    loc = entry_location(f)
    if loc is None:
        return None
    row, key = loc
    return row, (COLUMNS.index(key) if key in COLUMNS else NAME)


def _cell_text(e: SchemaEntry, col: int) -> str:
    if col == NAME:
        return e.name if isinstance(e.name, str) else format_value(e.name)
    if col == PATH:
        return e.path if isinstance(e.path, str) else format_value(e.path)
    if col == DEFAULT:
        if not e.has_default:
            return "(missing)"
        return '""' if e.default == "" else format_value(e.default)
    return e.value_type if isinstance(e.value_type, str) else format_value(e.value_type)


def _default_from(vt: ValueType | None, value: Any) -> Any:
    """A default from an editor's value; text (from setData or a plain editor) is parsed."""
    if not isinstance(value, str):
        return value
    if vt is not None and not vt.is_string:
        try:
            return parse_text(vt, value)
        except ValueError:
            return value  # kept as typed: lint shows it as a default of the wrong type
    if vt is None:
        try:
            return loads(value)
        except JsonSyntaxError:
            return value
    return value


def _label(e: SchemaEntry, row: int) -> str:
    return f"'{e.name}'" if isinstance(e.name, str) and e.name else f"entry {row}"


def _unique_path(entries, base: str) -> str:
    paths = {e.path for e in entries}
    if base not in paths:
        return base
    n = 2
    while f"{base}_{n}" in paths:
        n += 1
    return f"{base}_{n}"


def _contiguous_change(old: tuple, new: tuple) -> tuple[int, int] | None:
    """(first row, +inserted or -removed count) when `new` differs from `old` by one block."""
    n_old, n_new = len(old), len(new)
    shorter = min(n_old, n_new)
    pre = 0
    while pre < shorter and old[pre] is new[pre]:
        pre += 1
    post = 0
    while post < shorter - pre and old[n_old - 1 - post] is new[n_new - 1 - post]:
        post += 1
    if pre + post != shorter:
        return None
    return pre, n_new - n_old
