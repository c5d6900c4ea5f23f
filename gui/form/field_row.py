"""One field of the form: label, editor, source badge, reset button, and an inline message."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QToolButton, QWidget

from core.schema.entries import FieldSpec
from gui.editors import look
from gui.editors.registry import create_editor
from gui.form.row_state import RowState

RESET_SHORTCUT = "Ctrl+Shift+Backspace"


class FieldRow(QWidget):
    """Shows a RowState; the form connects `editor.edited` and `resetRequested`."""

    resetRequested = Signal()

    def __init__(self, spec: FieldSpec, label_width: int, badge_width: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self.state: RowState | None = None
        self._findings: list[tuple[str, str]] = []  # (severity, message)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(1)

        self.label = QLabel(spec.label, self)
        self.label.setFixedWidth(label_width)
        self.label.setWordWrap(True)
        self.label.setToolTip(f"{spec.label}\npath: {spec.path}\ntype: {spec.type.value}")
        self.editor = create_editor(spec, self)
        self.editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.label.setBuddy(self.editor)

        self.badge = QLabel(self)
        self.badge.setObjectName("sourceBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge.setFixedWidth(badge_width)

        self.reset_button = QToolButton(self)
        self.reset_button.setObjectName("resetButton")
        self.reset_button.setText("↺")
        self.reset_button.setAutoRaise(True)
        self.reset_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes field to field
        self.reset_button.setToolTip(
            "Reset: remove this key from the file so the inherited or default value applies "
            f"({RESET_SHORTCUT})"
        )
        self.reset_button.clicked.connect(self.resetRequested)

        self.message = QLabel(self)
        self.message.setObjectName("fieldMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        small = self.message.font()
        small.setPointSizeF(max(small.pointSizeF() - 1, 7))
        self.message.setFont(small)
        self.message.hide()

        #: Numbered values of a list field ("Alt+  1 day · 2 night"), set by the form's keys.
        self.hint = QLabel(self)
        self.hint.setObjectName("valueHint")
        self.hint.setTextFormat(Qt.TextFormat.RichText)
        self.hint.setWordWrap(True)  # never widens the form: long value lists wrap
        self.hint.setFont(small)
        self.hint.setStyleSheet(f"QLabel {{ color: {look.muted_color(self.palette()).name()}; }}")
        self.hint.hide()

        grid.addWidget(self.label, 0, 0, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.editor, 0, 1)
        grid.addWidget(self.badge, 0, 2)
        grid.addWidget(self.reset_button, 0, 3)
        grid.addWidget(self.message, 1, 1, 1, 3)
        grid.addWidget(self.hint, 2, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        self.editor.inputError.connect(lambda _reason: self._show_message())

    @property
    def source(self) -> str | None:
        return self.state.source if self.state else None

    def show_state(self, state: RowState, force: bool = False) -> None:
        """Show `state`; unless `force`, an editor with uncommitted typing keeps its text."""
        self.state = state
        ed = self.editor
        ed.set_effective(state.effective)
        if force or not ed.is_dirty():
            if state.mixed:
                ed.set_mixed(True)
            else:
                ed.set_value(state.own)
        ed.set_source(state.source)
        self.badge.setText(look.BADGE_TEXT.get(state.source, state.source))
        self.badge.setStyleSheet(look.badge_style(self.palette(), state.source))
        self.badge.setToolTip(state.detail)
        self.reset_button.setEnabled(state.can_reset)
        ed.setToolTip(f"{self.spec.label} ({self.spec.path}, {self.spec.type.value})\n{state.detail}")
        self._show_message()

    def set_hint(self, text: str, tooltip: str = "") -> None:
        """A rich-text line under the editor (the hotkeys of a list field's values); empty hides it."""
        self.hint.setText(text)
        self.hint.setToolTip(tooltip)
        self.hint.setVisible(bool(text))

    def set_findings(self, findings: list[tuple[str, str]]) -> None:
        """Value findings for this field: (severity, message) pairs, shown below the editor."""
        self._findings = list(findings)
        self._show_message()

    def message_text(self) -> str:
        return self.message.text() if self.message.isVisibleTo(self) else ""

    def _show_message(self) -> None:
        pal = self.palette()
        error = self.editor.error()
        if error and getattr(self.editor, "_notice", False):  # a refused key: the value is unchanged
            text, color = error, look.error_color(pal)
        elif error:
            text, color = f"Not saved: {error} (Esc restores the value)", look.error_color(pal)
        elif self._findings:
            text = "\n".join(m for _s, m in self._findings)
            worst_error = any(s == "error" for s, _m in self._findings)
            color = look.error_color(pal) if worst_error else look.warning_color(pal)
        elif self.state is not None and self.state.source == look.INVALID:
            text, color = self.state.detail, look.error_color(pal)
        else:
            self.message.hide()
            return
        self.message.setText(text)
        self.message.setStyleSheet(f"QLabel {{ color: {color.name()}; }}")
        self.message.show()
