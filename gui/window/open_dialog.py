"""File ▸ Open: pick the media folder and, when metadata lives elsewhere, a separate Lightly root.
File ▸ Open URL…: a bucket URL (s3://, gs://, az://, abfs://), an optional Lightly root and an
S3 endpoint; credentials are never asked for (each provider's standard chain is used)."""

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

from core.storage import is_url
from gui.common import settings


def _line_edit(text: str, name: str, placeholder: str, parent: QWidget) -> QLineEdit:
    """A named text field with a placeholder (tests find fields by objectName)."""
    edit = QLineEdit(text, parent)
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def _problem_and_buttons(dialog: QDialog) -> tuple[QLabel, QDialogButtonBox]:
    """The line that says why Open is disabled, and Open / Cancel wired to the dialog."""
    problem = QLabel(dialog)
    problem.setWordWrap(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel,
                               dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return problem, buttons


class OpenDatasourceDialog(QDialog):
    """Two folder fields; OK only when the chosen folders exist."""

    def __init__(self, media_root: str = "", lightly_root: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Open Datasource")
        self.setMinimumWidth(560)

        self.media_edit = _line_edit(media_root, "mediaRootEdit", "Folder with the images and videos", self)
        self.separate = QCheckBox("Metadata (.lightly/metadata) is in a separate Lightly root folder", self)
        self.separate.setToolTip("Lightly's output datasource, when it is not the media folder itself")
        self.lightly_edit = _line_edit(
            lightly_root or "",
            "lightlyRootEdit",
            "Folder that holds .lightly/metadata/",
            self,
        )
        self.separate.setChecked(bool(lightly_root))

        form = QFormLayout()
        form.addRow("Media folder:", self._with_browse(self.media_edit, "Choose the media folder"))
        form.addRow("", self.separate)
        self.lightly_row = self._with_browse(self.lightly_edit, "Choose the Lightly root folder")
        form.addRow("Lightly root:", self.lightly_row)

        self.problem, self.buttons = _problem_and_buttons(self)

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
        if not is_url(media) and not Path(media).is_dir():
            return f"{media} is not a folder."
        if self.separate.isChecked():
            lightly = self.lightly_edit.text().strip()
            if not lightly:
                return "Choose the Lightly root, or untick the separate-root option."
            if not is_url(lightly) and not Path(lightly).is_dir():
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


CREDENTIALS_HINT = (
    "Credentials come from each provider's standard chain (environment variables, profile "
    "files, instance roles); the editor never asks for or stores them. Opening buckets needs "
    'the cloud extra: pip install "lightly-metadata-editor[cloud]".'
)


class OpenUrlDialog(QDialog):
    """A datasource URL; OK only when the URL names a supported bucket."""

    def __init__(self, url: str = "", lightly_root: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Open URL")
        self.setMinimumWidth(560)
        self.url_edit = _line_edit(
            url,
            "urlEdit",
            "s3://bucket/prefix, gs://bucket/prefix, az://container/prefix",
            self,
        )
        self.lightly_edit = _line_edit(
            lightly_root or "",
            "urlLightlyEdit",
            "optional: URL or folder holding .lightly/metadata/",
            self,
        )
        self.endpoint_edit = _line_edit(
            settings.get("cloud/endpoint") or "",
            "endpointEdit",
            "optional, S3-compatible stores: http://127.0.0.1:9000",
            self,
        )
        form = QFormLayout()
        form.addRow("Datasource URL:", self.url_edit)
        form.addRow("Lightly root:", self.lightly_edit)
        form.addRow("S3 endpoint:", self.endpoint_edit)
        hint = QLabel(CREDENTIALS_HINT, self)
        hint.setWordWrap(True)
        self.problem, self.buttons = _problem_and_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.url_edit.textChanged.connect(self._update)
        self._update()

    def _problem_text(self) -> str:
        url = self.url_edit.text().strip()
        if not url:
            return "Enter the URL of the media datasource."
        if not is_url(url):
            return f"{url} is not a bucket URL (s3://, gs://, az:// or abfs://)."
        return ""

    def _update(self) -> None:
        text = self._problem_text()
        self.problem.setText(text)
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(not text)

    def result(self) -> tuple[str, str | None, str]:
        """(URL, Lightly root or None, endpoint or "")."""
        lightly = self.lightly_edit.text().strip()
        return self.url_edit.text().strip(), lightly or None, self.endpoint_edit.text().strip()
