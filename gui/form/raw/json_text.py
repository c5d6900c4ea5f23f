"""A monospace JSON text box: Tab moves focus, Ctrl+Return applies, errors select their line."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from gui.editors import look


class JsonTextEdit(QPlainTextEdit):
    """Plain text editor for JSON; `applyRequested` on Ctrl+Return (or Ctrl+Enter)."""

    applyRequested = Signal()

    def __init__(self, parent: QWidget | None = None, read_only: bool = False):
        super().__init__(parent)
        self.setFont(look.monospace_font())
        self.setTabChangesFocus(True)  # keyboard users leave with Tab, as in the rest of the form
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setReadOnly(read_only)

    def set_text(self, text: str) -> None:
        """Replace the text from code; the editor counts as unmodified afterwards."""
        self.setPlainText(text)
        self.document().setModified(False)

    def is_modified(self) -> bool:
        return self.document().isModified()

    def fit_lines(self, low: int = 3, high: int = 16) -> None:
        """Height for the number of lines shown, between `low` and `high` lines."""
        lines = min(max(self.blockCount(), low), high)
        fm = self.fontMetrics()
        margins = self.contentsMargins()
        frame = 2 * self.frameWidth() + int(2 * self.document().documentMargin())
        self.setFixedHeight(lines * fm.lineSpacing() + frame + margins.top() + margins.bottom() + 2)

    def go_to(self, line: int | None, column: int | None) -> None:
        """Put the cursor at a 1-based line/column (JSON error positions)."""
        if line is None:
            return
        block = self.document().findBlockByNumber(max(line - 1, 0))
        cursor = QTextCursor(block)
        col = max((column or 1) - 1, 0)
        cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.MoveAnchor,
                            min(col, max(block.length() - 1, 0)))
        self.setTextCursor(cursor)
        self.centerCursor()

    def _is_apply_key(self, event: QKeyEvent) -> bool:
        return (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier) and not self.isReadOnly())

    def event(self, event: QEvent) -> bool:
        # Ctrl+Return is also the window's "commit and next file": inside this box it applies.
        if event.type() == QEvent.Type.ShortcutOverride and self._is_apply_key(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._is_apply_key(event):
            self.applyRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)
