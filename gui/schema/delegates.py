"""In-place editors for the schema table: a type combo, and a default editor chosen by the row's type.

Every editor has `value()` (INVALID while the text is not a value yet), `set_value()`
(never emits `valueEdited`) and `valueEdited`, emitted only for user edits. Default
editors are looked up in DEFAULT_EDITORS by ValueType; every one of them can hold null.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QStyledItemDelegate,
    QToolButton,
    QToolTip,
    QWidget,
)

from core.format.jsonio import JsonSyntaxError, dumps, loads
from core.format.value_types import ADVANCED_TYPES, DOCUMENTED_TYPES, ValueType, format_value, parse_text
from gui.schema.table_model import DEFAULT, PATH, TYPE

#: What `value()` returns while the text is not a value of the editor's type yet.
INVALID: Any = type("Invalid", (), {"__repr__": lambda self: "INVALID"})()

_PROBLEM_STYLE = "background-color: rgba(220, 50, 47, 60);"

TYPE_HINTS = {
    ValueType.NUMERIC_INT: "an integer, shown as a range/histogram",
    ValueType.NUMERIC_FLOAT: "a number, shown as a range/histogram",
    ValueType.CATEGORICAL_INT: "an integer used as a category",
    ValueType.CATEGORICAL_STRING: "a string used as a category",
    ValueType.CATEGORICAL_BOOLEAN: "true or false",
    ValueType.CATEGORICAL_DATETIME: "advanced: an ISO 8601 date-time string",
    ValueType.CATEGORICAL_TIMESTAMP: "advanced: an integer epoch timestamp",
    ValueType.OTHER_STRING: "advanced: a string shown only in a sample's detail",
}


def mark_problem(widget: QWidget, message: str | None) -> None:
    """Tint an editor and show `message` as its tooltip (None clears both)."""
    widget.setStyleSheet(_PROBLEM_STYLE if message else "")
    widget.setToolTip(message or "")
    if message and widget.isVisible():
        QToolTip.showText(widget.mapToGlobal(QPoint(0, widget.height())), message, widget)
    else:
        QToolTip.hideText()


class _PopupCombo(QComboBox):
    """A combo that remembers whether its popup was used (a popup choice ends the edit at once)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.popup_used = False

    def showPopup(self) -> None:
        self.popup_used = True
        super().showPopup()


class TypeComboBox(_PopupCombo):
    """The five documented types first, then the three advanced ones marked "(advanced)"."""

    valueEdited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        for vt in DOCUMENTED_TYPES:
            self._add(vt.value, vt)
        self.insertSeparator(self.count())
        for vt in ADVANCED_TYPES:
            self._add(f"{vt.value} (advanced)", vt)
        self.activated.connect(self.valueEdited)

    def _add(self, text: str, vt: ValueType) -> None:
        self.addItem(text, vt.value)
        self.setItemData(self.count() - 1, TYPE_HINTS[vt], Qt.ItemDataRole.ToolTipRole)

    def set_value(self, name: Any) -> None:
        i = self.findData(name) if isinstance(name, str) else -1
        if i < 0:  # keep an unknown (misspelt) type selectable so opening the editor changes nothing
            for j in range(self.count() - 1, -1, -1):
                if str(self.itemText(j)).endswith("(unknown)"):
                    self.removeItem(j)
            self.insertItem(0, f"{format_value(name) if not isinstance(name, str) else name} (unknown)", name)
            i = 0
        self.setCurrentIndex(i)

    def value(self) -> Any:
        return self.currentData()

    def set_problem(self, message: str | None) -> None:
        mark_problem(self, message)


class BoolComboBox(_PopupCombo):
    """true / false / null."""

    valueEdited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        for text, value in (("true", True), ("false", False), ("null", None)):
            self.addItem(text, value)
        self.activated.connect(self.valueEdited)

    def set_value(self, value: Any) -> None:
        idx = {True: 0, False: 1}.get(value, 2) if isinstance(value, bool) or value is None else -1
        if idx < 0:
            self.addItem(format_value(value), value)
            idx = self.count() - 1
        self.setCurrentIndex(idx)

    def value(self) -> Any:
        return self.itemData(self.currentIndex()) if self.currentIndex() >= 0 else None

    def set_problem(self, message: str | None) -> None:
        mark_problem(self, message)


_INT_PARTIAL = re.compile(r"[+-]?\d*")
_NUMBER_PARTIAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d*)?([eE][+-]?\d*)?")


class NumberBox(QAbstractSpinBox):
    """A spin box over any JSON integer (no 32-bit limit) or any JSON number; empty means null."""

    valueEdited = Signal()

    def __init__(self, integer: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self._vt = ValueType.NUMERIC_INT if integer else ValueType.NUMERIC_FLOAT
        self._partial = _INT_PARTIAL if integer else _NUMBER_PARTIAL
        self.lineEdit().setPlaceholderText("null")
        self.lineEdit().textEdited.connect(self.valueEdited)
        self.setAccelerated(True)

    def _parse(self, text: str) -> Any:
        s = text.strip()
        if s in ("", "null"):
            return None
        if not self._partial.fullmatch(s):
            return INVALID
        try:
            return parse_text(self._vt, s)
        except ValueError:
            return INVALID

    def validate(self, text: str, pos: int) -> QValidator.State:
        s = text.strip()
        if self._parse(s) is not INVALID:
            return QValidator.State.Acceptable
        if self._partial.fullmatch(s) or "null".startswith(s):
            return QValidator.State.Intermediate
        return QValidator.State.Invalid

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        if self.value() is INVALID:
            return QAbstractSpinBox.StepEnabledFlag.StepNone
        flag = QAbstractSpinBox.StepEnabledFlag
        return flag.StepUpEnabled | flag.StepDownEnabled

    def stepBy(self, steps: int) -> None:
        v = self.value()
        if v is INVALID:
            return
        self.lineEdit().setText(format_value((v or 0) + steps))
        self.valueEdited.emit()

    def value(self) -> Any:
        return self._parse(self.text())

    def set_value(self, value: Any) -> None:
        self.lineEdit().setText("" if value is None else format_value(value))

    def set_problem(self, message: str | None) -> None:
        mark_problem(self.lineEdit(), message)


class TextLine(QLineEdit):
    """A plain text editor (names, paths, string defaults)."""

    valueEdited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.textEdited.connect(self.valueEdited)

    def value(self) -> Any:
        return self.text()

    def set_value(self, value: Any) -> None:
        self.setText(value if isinstance(value, str) else format_value(value))

    def set_problem(self, message: str | None) -> None:
        mark_problem(self, message)


class JsonLine(TextLine):
    """Any JSON value as text (the type is unknown); text that is not JSON is a string."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText("JSON value, e.g. 3, \"text\", true, null")

    def value(self) -> Any:
        try:
            return loads(self.text())
        except JsonSyntaxError:
            return self.text()

    def set_value(self, value: Any) -> None:
        self.setText(dumps(value).strip())


class NullableEditor(QWidget):
    """An inner editor plus a "null" toggle, so every type can hold null."""

    valueEdited = Signal()

    def __init__(self, inner: QWidget, placeholder: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.inner = inner
        self._placeholder = placeholder
        self.null_button = QToolButton(self)
        self.null_button.setText("null")
        self.null_button.setCheckable(True)
        self.null_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.null_button.setToolTip("Set the default to null (samples without a value get null)")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        lay.addWidget(inner, 1)
        lay.addWidget(self.null_button)
        self.setFocusProxy(inner)
        self.setAutoFillBackground(True)
        inner.valueEdited.connect(self._on_inner_edited)
        self.null_button.clicked.connect(self._on_null_clicked)
        self._line().setPlaceholderText(placeholder or "null")

    def _line(self) -> QLineEdit:
        return self.inner.lineEdit() if isinstance(self.inner, QAbstractSpinBox) else self.inner

    def _on_inner_edited(self) -> None:
        self.null_button.setChecked(False)
        self._line().setPlaceholderText(self._placeholder or "null")
        self.valueEdited.emit()

    def _on_null_clicked(self, checked: bool) -> None:
        if checked:
            self._line().clear()
            self._line().setPlaceholderText("null")
        self.valueEdited.emit()

    def value(self) -> Any:
        if self.null_button.isChecked():
            return None
        v = self.inner.value()
        if v == "" and isinstance(self.inner, NumberBox):
            return None
        return v

    def set_value(self, value: Any) -> None:
        self.null_button.setChecked(value is None)
        self.inner.set_value("" if value is None else value)
        self._line().setPlaceholderText("null" if value is None else (self._placeholder or "null"))

    def set_problem(self, message: str | None) -> None:
        self.inner.set_problem(message)


def _int_editor(parent: QWidget) -> QWidget:
    return NullableEditor(NumberBox(integer=True), parent=parent)


def _number_editor(parent: QWidget) -> QWidget:
    return NullableEditor(NumberBox(integer=False), parent=parent)


def _string_editor(parent: QWidget) -> QWidget:
    return NullableEditor(TextLine(), "empty string", parent=parent)


def _datetime_editor(parent: QWidget) -> QWidget:
    return NullableEditor(TextLine(), "2024-01-31T12:00:00Z", parent=parent)


#: Default-value editor per valueDataType (None: the type is unknown).
DEFAULT_EDITORS: dict[ValueType | None, Callable[[QWidget], QWidget]] = {
    ValueType.NUMERIC_INT: _int_editor,
    ValueType.CATEGORICAL_INT: _int_editor,
    ValueType.CATEGORICAL_TIMESTAMP: _int_editor,
    ValueType.NUMERIC_FLOAT: _number_editor,
    ValueType.CATEGORICAL_BOOLEAN: BoolComboBox,
    ValueType.CATEGORICAL_STRING: _string_editor,
    ValueType.OTHER_STRING: _string_editor,
    ValueType.CATEGORICAL_DATETIME: _datetime_editor,
    None: JsonLine,
}


class SchemaDelegate(QStyledItemDelegate):
    """Creates the editors above and shows lint findings while the user types."""

    def __init__(self, parent=None):
        super().__init__(parent)
        #: Leaf paths found in the data, offered while typing a path.
        self.path_suggestions: list[str] = []

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        model = index.model()
        col = index.column()
        if col == TYPE:
            editor: QWidget = TypeComboBox(parent)
            editor.activated.connect(lambda _i, e=editor: self._commit_if_popup(e))
        elif col == DEFAULT:
            editor = DEFAULT_EDITORS.get(model.entry(index.row()).type, JsonLine)(parent)
            if isinstance(editor, BoolComboBox):
                editor.activated.connect(lambda _i, e=editor: self._commit_if_popup(e))
        else:
            editor = TextLine(parent)
            if col == PATH and self.path_suggestions:
                completer = QCompleter(self.path_suggestions, editor)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                editor.setCompleter(completer)
        pindex = QPersistentModelIndex(index)
        editor.valueEdited.connect(lambda e=editor, i=pindex: self._preview(e, i))
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        e = index.model().entry(index.row())
        value = (e.name, e.path, e.default, e.value_type)[index.column()]
        editor.set_value(value)

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        value = editor.value()
        if value is not INVALID:
            model.set_cell(index.row(), index.column(), value)

    def updateEditorGeometry(self, editor: QWidget, option, index: QModelIndex) -> None:
        rect = option.rect
        if isinstance(editor, NullableEditor):  # room for the null toggle in narrow columns
            rect = rect.adjusted(0, 0, max(0, 150 - rect.width()), 0)
        editor.setGeometry(rect)

    def _commit_if_popup(self, editor: QWidget) -> None:
        # Arrow keys on a closed combo also "activate": those edits end with Enter/Tab as usual.
        if not editor.popup_used:
            return
        editor.popup_used = False
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def _preview(self, editor: QWidget, index: QPersistentModelIndex) -> None:
        if not index.isValid():
            return
        value = editor.value()
        if value is INVALID:
            editor.set_problem("not a valid value yet")
            return
        found = index.model().preview_findings(index.row(), index.column(), value)
        editor.set_problem("\n".join(f.message for f in found) or None)
