"""Choice editors: an editable combo box of known values, and a check box for booleans."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from core.format.keypath import MISSING
from core.format.value_types import format_value, parse_text
from core.schema.entries import FieldSpec
from gui.editors.base import REFUSED, FieldEditor, leaves_field, same_value, shown_text
from gui.editors.text import INT_PATTERN


class CategoricalEditor(FieldEditor, QComboBox):
    """Editable combo box offering the values already used in the dataset."""

    edited = Signal(object)
    inputError = Signal(str)

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self._init_editor(spec)
        self._known: list = []
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(10)
        line = self.lineEdit()
        if spec.type.is_integer:
            line.setValidator(QRegularExpressionValidator(QRegularExpression(INT_PATTERN), self))
        # No completer: inline completion turns a typed "park" into "parking lot" (or "1" into
        # "12") on Tab/Enter, and a completion pop-up swallows focus changes, so Tab would
        # leave the field without committing. Known values are in the list (Alt+Down / F4).
        self.setCompleter(None)
        self.activated.connect(self._on_activated)
        line.editingFinished.connect(self._commit_text)
        line.textChanged.connect(lambda _t: self._restyle())
        self._show_effective()

    def parse(self, text: str) -> Any:
        if self.spec.type.is_integer:
            return parse_text(self.spec.type, text)
        return text

    def value(self) -> Any:
        text = self.currentText()
        return MISSING if not text.strip() else self.parse(text)

    def set_value(self, value: Any) -> None:
        self._shown, self._mixed = value, False
        self.blockSignals(True)
        i = self._index_of(value)
        self.setCurrentIndex(i)
        if i < 0:
            self.setEditText(shown_text(value))
        self.blockSignals(False)
        self.lineEdit().setModified(False)
        self._set_error("")
        self._show_effective()

    def set_known_values(self, values: list) -> None:
        known: list = []
        for v in values:
            if not any(same_value(v, k) for k in known):
                known.append(v)
        if len(known) == len(self._known) and all(same_value(a, b) for a, b in zip(known, self._known)):
            return
        line = self.lineEdit()
        dirty, text, pos = line.isModified(), line.text(), line.cursorPosition()
        self.blockSignals(True)
        self.clear()
        self._known = known
        for i, v in enumerate(known):
            self.addItem(format_value(v))
            self.setItemData(i, f"{format_value(v)}", Qt.ItemDataRole.ToolTipRole)
        self.blockSignals(False)
        if dirty:
            line.setText(text)
            line.setCursorPosition(pos)
            line.setModified(True)
        else:
            mixed = self._mixed
            self.set_value(self._shown)
            if mixed:
                self.set_mixed(True)

    def known_values(self) -> list:
        return list(self._known)

    def add_known_value(self, value: Any) -> None:
        if value is not MISSING and value is not None and not any(same_value(value, k) for k in self._known):
            self.set_known_values(self._known + [value])

    def is_dirty(self) -> bool:
        return self.lineEdit().isModified()

    def commit_pending(self) -> bool:
        self._commit_text()
        return not self._error

    def _index_of(self, value: Any) -> int:
        for i, k in enumerate(self._known):
            if same_value(k, value):
                return i
        return -1

    def _show_effective(self) -> None:
        self.lineEdit().setPlaceholderText(self._placeholder())
        self._restyle()

    def _showing_effective(self) -> bool:
        return not self.currentText()

    def _style_targets(self) -> list[QWidget]:
        return [self, self.lineEdit()]

    def _on_activated(self, index: int) -> None:
        if not 0 <= index < len(self._known):
            return
        self.lineEdit().setModified(False)
        self._emit_if_changed(self._known[index])

    def _commit_text(self) -> None:
        line = self.lineEdit()
        if not line.isModified():
            return
        value = self._value_from_text(line.text())
        if value is REFUSED:
            return
        line.setModified(False)
        self._emit_if_changed(value)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if leaves_field(event):  # e.g. Tab while the completion list was open
            self._commit_text()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and (self.lineEdit().isModified() or self._error):
            self.revert()
            event.accept()
            return
        super().keyPressEvent(event)


class BoolEditor(FieldEditor, QCheckBox):
    """A check box; when not set here it shows the effective value, greyed and italic."""

    edited = Signal(object)
    inputError = Signal(str)

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self._init_editor(spec)
        self.clicked.connect(self._on_clicked)
        self._show_effective()

    def value(self) -> Any:
        return self._shown if not self._mixed else MISSING

    def set_value(self, value: Any) -> None:
        self._shown, self._mixed = value, False
        self._show_effective()

    def nextCheckState(self) -> None:
        checked = self.checkState() == Qt.CheckState.Checked
        self.setTristate(False)
        self.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _on_clicked(self) -> None:
        self._emit_if_changed(self.checkState() == Qt.CheckState.Checked)
        self._show_effective()

    def _show_effective(self) -> None:
        if self._mixed:
            state, text = Qt.CheckState.PartiallyChecked, "mixed"
        else:
            shown = self._effective if self._showing_effective() else self._shown
            state = Qt.CheckState.Checked if shown is True else Qt.CheckState.Unchecked
            text = shown_text(shown) or "no value"
        self.setTristate(state == Qt.CheckState.PartiallyChecked)
        self.setCheckState(state)
        self.setText(text)
        self._restyle()

    def _showing_effective(self) -> bool:
        return self._mixed or self._shown is MISSING or self._shown is None
