"""The bar over the window listing files changed on disk while they hold unsaved edits."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QToolBar, QWidget


class OutsideChangesBar(QToolBar):
    """"N files changed on disk while you have unsaved edits in them": Reload / Keep mine."""

    reloadRequested = Signal()
    keepRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Changed on disk", parent)
        self.setObjectName("outsideChangesBar")
        self.setMovable(False)
        self.setFloatable(False)
        self.setStyleSheet("#outsideChangesBar { background-color: rgba(230, 160, 0, 60); }")
        self.message = QLabel(self)
        self.message.setObjectName("outsideChangesMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setContentsMargins(6, 0, 12, 0)
        self.reload_button = QPushButton("Reload", self)
        self.reload_button.setObjectName("outsideReload")
        self.reload_button.setToolTip("Read those files again from disk (drops your unsaved edits to them)")
        self.keep_button = QPushButton("Keep mine", self)
        self.keep_button.setObjectName("outsideKeepMine")
        self.keep_button.setToolTip("Keep your edits; saving asks before it overwrites the outside version")
        self.addWidget(self.message)
        self.addWidget(self.reload_button)
        self.addWidget(self.keep_button)
        self.reload_button.clicked.connect(self.reloadRequested)
        self.keep_button.clicked.connect(self.keepRequested)
        self.hide()

    def show_files(self, rels: list[str]) -> None:
        first = ", ".join(rels[:3]) + (f" and {len(rels) - 3} more" if len(rels) > 3 else "")
        self.message.setText(f"Changed on disk by another program while you have unsaved edits: {first}")
        self.setToolTip("\n".join(rels[:50]))
        self.show()
