"""Line-edit editors: integers of any size, JSON numbers, free text, ISO 8601 date-times."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QWidget

from core.format.keypath import MISSING
from core.format.value_types import parse_datetime, parse_text
from core.schema.entries import FieldSpec
from gui.editors.base import REFUSED, FieldEditor, leaves_field, shown_text

INT_PATTERN = r"[+-]?[0-9]*"
FLOAT_PATTERN = r"[+-]?[0-9]*\.?[0-9]*([eE][+-]?[0-9]*)?"
DATETIME_HINT = "YYYY-MM-DDTHH:MM:SS"


class TextFieldEditor(FieldEditor, QLineEdit):
    """A line edit; Enter or leaving the field commits; Escape reverts; empty means "not set"."""

    edited = Signal(object)
    inputError = Signal(str)
    pattern: str | None = None
    hint = ""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self._init_editor(spec)
        if self.pattern:
            self.setValidator(QRegularExpressionValidator(QRegularExpression(self.pattern), self))
        self.editingFinished.connect(self._commit)
        self.textChanged.connect(lambda _t: self._restyle())
        self._show_effective()

    def parse(self, text: str) -> Any:
        return parse_text(self.spec.type, text)

    def value(self) -> Any:
        text = self.text()
        return MISSING if not text.strip() else self.parse(text)

    def set_value(self, value: Any) -> None:
        self._shown, self._mixed = value, False
        self.setText(shown_text(value))
        self.setModified(False)
        self._set_error("")
        self._show_effective()

    def is_dirty(self) -> bool:
        return self.isModified()

    def commit_pending(self) -> bool:
        self._commit()
        return not self._error

    def _show_effective(self) -> None:
        self.setPlaceholderText(self._placeholder() or self.hint)
        self._restyle()

    def _showing_effective(self) -> bool:
        return not self.text()

    def _commit(self) -> None:
        if not self.isModified():
            return
        value = self._value_from_text(self.text())
        if value is REFUSED:
            return
        self.setModified(False)
        self._emit_if_changed(value)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if leaves_field(event):  # editingFinished is not emitted on every way out
            self._commit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and (self.isModified() or self._error):
            self.revert()
            event.accept()
            return
        super().keyPressEvent(event)


class IntEditor(TextFieldEditor):
    """Any JSON integer (no 32-bit limit, unlike QSpinBox)."""

    pattern = INT_PATTERN

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft)


class FloatEditor(TextFieldEditor):
    """Any finite JSON number; `3` stays an integer, `3.0` a float."""

    pattern = FLOAT_PATTERN


class StringEditor(TextFieldEditor):
    """Free text, stored exactly as typed."""

    def parse(self, text: str) -> Any:
        return text


class DateTimeEditor(TextFieldEditor):
    """An ISO 8601 date-time string, checked on commit."""

    hint = DATETIME_HINT

    def parse(self, text: str) -> Any:
        s = text.strip()
        if parse_datetime(s) is None:
            raise ValueError(f"{s!r} is not an ISO 8601 date-time (e.g. 2024-05-31T14:30:00)")
        return s
