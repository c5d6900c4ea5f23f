"""Field editors, one per value type, chosen by registry lookup (`EDITORS`, `create_editor`).

Every editor is the input widget itself (named `field:<schema path>`) and has the same
protocol: `value()`, `set_value(v)` from code (never emits), `set_effective(v)` for the
inherited/default value shown when the file has none, `set_mixed(True)` for bulk edits,
`commit_value(v)` (set and emit, for hotkeys and "copy from previous"), and the one
user signal `edited(value)`; a typed value that does not fit emits `inputError(reason)`
instead and is not committed. `MISSING` means "not set in this file".
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPalette, QRegularExpressionValidator
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit, QWidget

from core.keypath import MISSING
from core.schema import FieldSpec
from core.value_types import ValueType, format_value, parse_datetime, parse_text

from . import look

INT_PATTERN = r"[+-]?[0-9]*"
FLOAT_PATTERN = r"[+-]?[0-9]*\.?[0-9]*([eE][+-]?[0-9]*)?"
DATETIME_HINT = "YYYY-MM-DDTHH:MM:SS"
MIXED_TEXT = "mixed — type to set all"


def same_value(a: Any, b: Any) -> bool:
    """Equal and of the same JSON kind (1, 1.0 and true are different values here)."""
    return a is b or (type(a) is type(b) and a == b)


def shown_text(value: Any) -> str:
    return "" if value is MISSING or value is None else format_value(value)


def _leaves_field(event: QFocusEvent) -> bool:
    """Focus moved to another widget (not to a pop-up list, not to another window)."""
    return event.reason() not in (Qt.FocusReason.PopupFocusReason, Qt.FocusReason.ActiveWindowFocusReason)


class FieldEditor:
    """The protocol shared by all editors (mixed into a Qt input widget)."""

    spec: FieldSpec

    def _init_editor(self, spec: FieldSpec) -> None:
        self.spec = spec
        self._shown: Any = MISSING  # the value last set from code
        self._effective: Any = MISSING  # shown (greyed) when not set here
        self._mixed = False
        self._source = look.DEFAULT
        self._error = ""
        self.setObjectName(f"field:{spec.path}")

    # --- protocol -----------------------------------------------------------------
    def value(self) -> Any:
        """The value shown: MISSING when not set here; ValueError for text that does not fit."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def set_effective(self, value: Any) -> None:
        """The value that applies when the file has none (default or inherited)."""
        self._effective = value
        self._show_effective()

    def set_mixed(self, mixed: bool = True) -> None:
        """Bulk edit: the selected files disagree; nothing is shown until the user edits."""
        self.set_value(MISSING)
        self._mixed = mixed
        self._show_effective()

    def is_mixed(self) -> bool:
        return self._mixed

    def is_dirty(self) -> bool:
        """Whether the user typed something not committed yet (refreshes leave it alone)."""
        return False

    def revert(self) -> None:
        """Drop uncommitted typing and show the last value set from code again."""
        mixed = self._mixed
        self.set_value(self._shown)
        if mixed:
            self.set_mixed(True)

    def commit_value(self, value: Any) -> None:
        """Set `value` as if the user chose it (hotkeys, copy from previous): emits `edited`."""
        self.set_value(value)
        self.edited.emit(value)

    def commit_pending(self) -> bool:
        """Commit uncommitted typing now; False when it does not fit the type."""
        return True

    def set_source(self, source: str) -> None:
        """Where the shown value comes from (look.SET, INHERITED, DEFAULT, INVALID, MIXED)."""
        self._source = source
        self._restyle()

    def set_known_values(self, values: list) -> None:
        """Values already used in the dataset (offered by categorical editors)."""

    def known_values(self) -> list:
        return []

    def error(self) -> str:
        return self._error

    # --- helpers ----------------------------------------------------------------------
    def _placeholder(self) -> str:
        if self._mixed:
            return MIXED_TEXT
        return shown_text(self._effective)

    def _show_effective(self) -> None:
        self._restyle()

    def _set_error(self, reason: str) -> None:
        if reason != self._error:
            self._error = reason
            self.inputError.emit(reason)
        self._restyle()

    def _emit_if_changed(self, value: Any) -> None:
        self._set_error("")
        if same_value(value, self._shown) and not self._mixed:
            return
        self._shown, self._mixed = value, False
        self.edited.emit(value)

    def _restyle(self) -> None:
        """Italic while showing an inherited/default value; error colour for bad values."""
        for target in self._style_targets():
            font = target.font()
            font.setItalic(self._showing_effective())
            target.setFont(font)
        pal = self.palette()
        default_pal = QApplication.palette(self)
        bad = self._error or (self._source == look.INVALID and not self.is_dirty())
        for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
            if bad:
                color = look.error_color(default_pal)
            elif self._showing_effective() and role is not QPalette.ColorRole.Text:
                color = look.muted_color(default_pal)
            else:
                color = default_pal.color(role)
            pal.setColor(role, color)
        for target in self._style_targets():
            target.setPalette(pal)

    def _style_targets(self) -> list[QWidget]:
        return [self]

    def _showing_effective(self) -> bool:
        return self._shown is MISSING or self._shown is None


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
        text = self.text()
        if not text.strip():
            if self._mixed:  # typed, then erased: no change to any file
                self.revert()
                return
            value = MISSING
        else:
            try:
                value = self.parse(text)
            except ValueError as e:
                self._set_error(str(e))
                return
        self.setModified(False)
        self._emit_if_changed(value)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if _leaves_field(event):  # editingFinished is not emitted on every way out
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
        text = line.text()
        if not text.strip():
            if self._mixed:
                self.revert()
                return
            value = MISSING
        else:
            try:
                value = self.parse(text)
            except ValueError as e:
                self._set_error(str(e))
                return
        line.setModified(False)
        self._emit_if_changed(value)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if _leaves_field(event):  # e.g. Tab while the completion list was open
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


#: The registry: which editor edits which value type.
EDITORS: dict[ValueType, type] = {
    ValueType.NUMERIC_INT: IntEditor,
    ValueType.NUMERIC_FLOAT: FloatEditor,
    ValueType.CATEGORICAL_INT: CategoricalEditor,
    ValueType.CATEGORICAL_STRING: CategoricalEditor,
    ValueType.CATEGORICAL_BOOLEAN: BoolEditor,
    ValueType.CATEGORICAL_DATETIME: DateTimeEditor,
    ValueType.CATEGORICAL_TIMESTAMP: IntEditor,
    ValueType.OTHER_STRING: StringEditor,
}


def create_editor(spec: FieldSpec, parent: QWidget | None = None) -> QWidget:
    """The editor widget for `spec`, named `field:<path>`."""
    return EDITORS[spec.type](spec, parent)
