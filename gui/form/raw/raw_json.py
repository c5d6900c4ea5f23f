"""Read-only view of the file as Save would write it (or as it is on disk when unchanged)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from core.format import jsonio
from core.workspace import Document
from gui.form.raw.json_text import JsonTextEdit


class RawJsonView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("rawJsonView")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.text = JsonTextEdit(self, read_only=True)
        self.text.setObjectName("rawJsonText")
        lay.addWidget(self.note)
        lay.addWidget(self.text, 1)

    def show_document(self, doc: Document | None, path_text: str = "") -> None:
        """Show `doc`'s text: what Save writes, or why nothing would be written."""
        if doc is None:
            self.note.setText("")
            self.text.set_text("")
        elif doc.broken:
            self.note.setText(f"{path_text} is not valid JSON; shown as it is on disk. Repair it in the "
                              "Repair tab — the form never overwrites it.")
            self.text.set_text(doc.disk.text or "")
        elif doc.data is None:
            self.note.setText(f"{path_text} does not exist; the first edit creates it.")
            self.text.set_text("")
        elif not doc.modified and doc.disk.text is not None:
            self.note.setText(f"{path_text} as on disk (no unsaved changes).")
            self.text.set_text(doc.disk.text)
        else:
            self.note.setText(f"{path_text} as Save will write it (unsaved changes).")
            self.text.set_text(jsonio.dumps(doc.data))

    def plain_text(self) -> str:
        return self.text.toPlainText()
