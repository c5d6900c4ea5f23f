"""Shown above the schema table when schema.json is not valid JSON: the error and the two ways out."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QStyle, QVBoxLayout

from core.format.jsonio import JsonSyntaxError


class BrokenSchemaBanner(QFrame):
    """"schema.json is not valid JSON (line, column)"; Reload from disk / Start a new schema."""

    reloadRequested = Signal()
    startNewRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("brokenSchemaBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#brokenSchemaBanner { background-color: rgba(220, 50, 47, 40); }")
        icon = QLabel()
        icon.setPixmap(QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(32))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.reload_button = QPushButton("Reload from disk")
        self.reload_button.setToolTip("Read schema.json again after fixing it in another editor")
        self.new_button = QPushButton("Start a new schema")
        self.new_button.setToolTip("Edit an empty schema; the broken file is kept until you save")
        self.reload_button.clicked.connect(self.reloadRequested)
        self.new_button.clicked.connect(self.startNewRequested)
        buttons = QVBoxLayout()
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        lay = QHBoxLayout(self)
        lay.addWidget(icon, 0)
        lay.addWidget(self.message, 1)
        lay.addLayout(buttons)

    def show_error(self, error: JsonSyntaxError, started_new: bool) -> None:
        where = f" at line {error.line}, column {error.column}" if error.line is not None else ""
        if started_new:
            text = (f"schema.json is not valid JSON{where}: {error.message}.\n"
                    "You are editing a new schema; the broken file stays on disk until you save, "
                    "and saving replaces it.")
        else:
            text = (f"schema.json is not valid JSON{where}: {error.message}.\n"
                    "The schema cannot be edited until the file is fixed. Fix it in a text editor "
                    "and click \"Reload from disk\", or start a new schema (the broken file is kept "
                    "until you save).")
        self.message.setText(text)
        self.new_button.setVisible(not started_new)
        self.show()
