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
    takes = "text"  # what the field holds, in words (for the message about a refused key)

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self._init_editor(spec)
        self._typed = ""  # the text of the last key press (what a validator may refuse)
        self._notice = False  # the error shown is about a refused key, not about the value
        if self.pattern:
            self.setValidator(QRegularExpressionValidator(QRegularExpression(self.pattern), self))
            self.inputRejected.connect(self._on_rejected)
        self.editingFinished.connect(self._commit)
        self.textChanged.connect(self._on_text_changed)
        self._show_effective()

    def _on_text_changed(self, _text: str) -> None:
        if self._notice:  # the next accepted change hides "cannot be typed here"
            self._notice = False
            self._set_error("")
        self._restyle()

    def _on_rejected(self) -> None:
        """A key (or paste) the field cannot hold: say why under the field instead of dropping it silently."""
        typed = self._typed.strip()
        what = f"\u201c{typed}\u201d cannot be typed here" if typed else "That text cannot go here"
        self._notice = True  # before the signal: the row words a notice differently from an error
        self._set_error(f"{what}: {self.spec.label} takes {self.takes}")

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
        if self._notice:  # only a refused key: the value itself is fine
            self._notice = False
            self._set_error("")
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
            self._notice = False
            self.revert()
            event.accept()
            return
        self._typed = event.text()
        super().keyPressEvent(event)
        self._typed = ""


class IntEditor(TextFieldEditor):
    """Any JSON integer (no 32-bit limit, unlike QSpinBox)."""

    pattern = INT_PATTERN
    takes = "a whole number (digits, optionally a leading + or -)"

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft)


class FloatEditor(TextFieldEditor):
    """Any finite JSON number; `3` stays an integer, `3.0` a float."""

    pattern = FLOAT_PATTERN
    takes = "a number (digits, one decimal point, an exponent like 1e-3)"


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
