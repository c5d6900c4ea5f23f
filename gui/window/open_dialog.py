"""File ▸ Open: pick the media folder and, when metadata lives elsewhere, a separate Lightly root."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class OpenDatasourceDialog(QDialog):
    """Two folder fields; OK only when the chosen folders exist."""

    def __init__(self, media_root: str = "", lightly_root: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Open Datasource")
        self.setMinimumWidth(560)

        self.media_edit = QLineEdit(media_root, self)
        self.media_edit.setObjectName("mediaRootEdit")
        self.media_edit.setPlaceholderText("Folder with the images and videos")
        self.separate = QCheckBox("Metadata (.lightly/metadata) is in a separate Lightly root folder", self)
        self.separate.setToolTip("Lightly's output datasource, when it is not the media folder itself")
        self.lightly_edit = QLineEdit(lightly_root or "", self)
        self.lightly_edit.setObjectName("lightlyRootEdit")
        self.lightly_edit.setPlaceholderText("Folder that holds .lightly/metadata/")
        self.separate.setChecked(bool(lightly_root))

        form = QFormLayout()
        form.addRow("Media folder:", self._with_browse(self.media_edit, "Choose the media folder"))
        form.addRow("", self.separate)
        self.lightly_row = self._with_browse(self.lightly_edit, "Choose the Lightly root folder")
        form.addRow("Lightly root:", self.lightly_row)

        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        for signal in (self.media_edit.textChanged, self.lightly_edit.textChanged, self.separate.toggled):
            signal.connect(self._update)
        self._update()

    def _with_browse(self, edit: QLineEdit, title: str) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit, 1)
        button = QPushButton("Browse…", row)
        button.clicked.connect(lambda: self._browse(edit, title))
        layout.addWidget(button)
        return row

    def _browse(self, edit: QLineEdit, title: str) -> None:
        folder = QFileDialog.getExistingDirectory(self, title, edit.text() or str(Path.home()))
        if folder:
            edit.setText(folder)

    def _problem_text(self) -> str:
        media = self.media_edit.text().strip()
        if not media:
            return "Choose the folder that holds the media files."
        if not Path(media).is_dir():
            return f"{media} is not a folder."
        if self.separate.isChecked():
            lightly = self.lightly_edit.text().strip()
            if not lightly:
                return "Choose the Lightly root, or untick the separate-root option."
            if not Path(lightly).is_dir():
                return f"{lightly} is not a folder."
        return ""

    def _update(self) -> None:
        self.lightly_row.setEnabled(self.separate.isChecked())
        text = self._problem_text()
        self.problem.setText(text)
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(not text)

    def result_roots(self) -> tuple[str, str | None]:
        """(media root, Lightly root or None) as chosen."""
        lightly = self.lightly_edit.text().strip() if self.separate.isChecked() else ""
        return self.media_edit.text().strip(), (lightly or None)
