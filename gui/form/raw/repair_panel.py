"""Repairing a file the form cannot edit: invalid JSON, or not an object with a `metadata` object."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.format import jsonio
from gui.editors import look
from gui.form.raw.json_text import JsonTextEdit


class RepairPanel(QWidget):
    """The problem (with line and column), the file's text to fix, and Apply.

    Emits `applyRequested(text)` only with text that parses as JSON; the form pushes the
    undo command. The file is never overwritten with form values while it needs repair.
    """

    applyRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("repairPanel")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        self.problem = QLabel(self)
        self.problem.setObjectName("repairProblem")
        self.problem.setWordWrap(True)
        hint = QLabel("Fix the text below and apply it (Ctrl+Return). The form fields stay disabled "
                      "until the file is a valid JSON object; nothing is written until you save.", self)
        hint.setWordWrap(True)
        self.text = JsonTextEdit(self)
        self.text.setObjectName("repairText")
        self.text.setTabChangesFocus(False)  # indenting JSON by hand is part of repairing it
        self.apply_button = QPushButton("Apply repaired JSON", self)
        self.apply_button.setObjectName("applyRepairButton")
        self.apply_button.setToolTip("Parse the text and use it as the file's content (Ctrl+Return)")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.apply_button)
        lay.addWidget(self.problem)
        lay.addWidget(hint)
        lay.addWidget(self.text, 1)
        lay.addLayout(row)
        self.apply_button.clicked.connect(self.apply)
        self.text.applyRequested.connect(self.apply)
        self._key: object = None

    def show_problem(self, key: object, message: str, text: str, line: int | None = None,
                     column: int | None = None) -> None:
        """Show `message` and `text` for file `key`; typing for the same file is kept."""
        self._set_problem(message)
        if key != self._key or not self.text.is_modified():
            self._key = key
            self.text.set_text(text)
            self.text.go_to(line, column)

    def problem_text(self) -> str:
        return self.problem.text()

    def apply(self) -> bool:
        text = self.text.toPlainText()
        try:
            jsonio.loads(text)
        except jsonio.JsonSyntaxError as e:
            self._set_problem(f"Still not valid JSON — {error_text(e)}")
            self.text.go_to(e.line, e.column)
            self.text.setFocus()
            return False
        self.text.document().setModified(False)
        self.applyRequested.emit(text)
        return True

    def _set_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.setStyleSheet(f"QLabel {{ color: {look.error_color(self.palette()).name()}; "
                                   "font-weight: 600; }")


def error_text(e: jsonio.JsonSyntaxError) -> str:
    """`line 3, column 5: Expecting ',' delimiter` (position when known)."""
    if e.line is None:
        return e.message
    return f"line {e.line}, column {e.column}: {e.message}"
