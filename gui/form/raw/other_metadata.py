"""The "Other metadata" section: keys the schema does not name, edited as JSON, never dropped."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.format import jsonio
from gui.editors import look
from gui.form.raw.json_text import JsonTextEdit


class OtherMetadataEditor(QWidget):
    """Emits `applyRequested(other, extra)` with parsed objects (`extra` None when not shown)."""

    applyRequested = Signal(object, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("otherMetadata")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.setSpacing(3)
        title = QLabel("Other metadata", self)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.hint = QLabel("Keys inside metadata that the schema does not name. They are kept on every save.",
                           self)
        self.hint.setWordWrap(True)
        self.text = JsonTextEdit(self)
        self.text.setObjectName("otherMetadataText")
        self.text.setToolTip("JSON object of the keys the schema does not name. Ctrl+Return applies.")
        self.extra_label = QLabel("Top-level keys besides file_name, type and metadata:", self)
        self.extra_text = JsonTextEdit(self)
        self.extra_text.setObjectName("extraTopLevelText")
        self.error = QLabel(self)
        self.error.setObjectName("otherMetadataError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.apply_button = QPushButton("Apply JSON", self)
        self.apply_button.setObjectName("applyOtherButton")
        self.apply_button.setToolTip("Write these keys into the file (Ctrl+Return in the text)")
        self.revert_button = QPushButton("Revert", self)
        self.revert_button.setToolTip("Show the keys as they are in the file again")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)
        for w in (title, self.hint, self.text, self.extra_label, self.extra_text, self.error):
            lay.addWidget(w)
        lay.addLayout(buttons)
        self._other: dict = {}
        self._extra: dict = {}
        self.text.applyRequested.connect(self.apply)
        self.extra_text.applyRequested.connect(self.apply)
        self.apply_button.clicked.connect(self.apply)
        self.revert_button.clicked.connect(self.revert)
        for t in (self.text, self.extra_text):
            t.modificationChanged.connect(self._update_buttons)
        self._update_buttons()

    def set_content(self, other: dict, extra: dict, force: bool = False) -> None:
        """Show the file's other keys; text the user is editing is kept unless `force`."""
        self._other, self._extra = other, extra
        if force or not self.is_modified():
            self._show()

    def is_modified(self) -> bool:
        return self.text.is_modified() or self.extra_text.is_modified()

    def revert(self) -> None:
        self._show()

    def apply(self) -> bool:
        """Parse and emit; on a JSON error show line and column and emit nothing."""
        other = self._parse(self.text, "Other metadata")
        if other is None:
            return False
        extra = None
        if not self.extra_text.isHidden():
            extra = self._parse(self.extra_text, "Top-level keys")
            if extra is None:
                return False
        self._set_error("")
        self.text.document().setModified(False)
        self.extra_text.document().setModified(False)
        self._update_buttons()
        if other != self._other or (extra is not None and extra != self._extra):
            self.applyRequested.emit(other, extra)
        return True

    def error_text(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""

    def _parse(self, box: JsonTextEdit, what: str) -> dict | None:
        try:
            value = jsonio.loads(box.toPlainText() or "{}")
        except jsonio.JsonSyntaxError as e:
            where = f"line {e.line}, column {e.column}: " if e.line is not None else ""
            self._set_error(f"{what} not applied — {where}{e.message}")
            box.go_to(e.line, e.column)
            box.setFocus()
            return None
        if not isinstance(value, dict):
            self._set_error(f"{what} not applied — it must be a JSON object {{…}}")
            return None
        return value

    def _show(self) -> None:
        self.text.set_text(_text(self._other))
        self.text.fit_lines(2, 14)
        self.extra_text.set_text(_text(self._extra))
        self.extra_text.fit_lines(2, 8)
        self.extra_label.setVisible(bool(self._extra))
        self.extra_text.setVisible(bool(self._extra))
        self._set_error("")
        self._update_buttons()

    def _set_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setStyleSheet(f"QLabel {{ color: {look.error_color(self.palette()).name()}; }}")
        self.error.setVisible(bool(message))

    def _update_buttons(self, *_args) -> None:
        modified = self.is_modified()
        self.apply_button.setEnabled(modified)
        self.revert_button.setEnabled(modified)


def _text(obj: dict) -> str:
    return jsonio.dumps(obj).rstrip("\n") if obj else "{}"
