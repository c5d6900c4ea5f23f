"""File ▸ Open URL…: a bucket URL (s3://, gs://, az://, abfs://), an optional separate
Lightly root (a URL or a folder) and, for S3-compatible stores, an endpoint.

Credentials are never asked for: each provider's standard chain is used (environment,
profile files, instance roles); the hint under the fields says so.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from core.storage import is_url
from gui.common import settings

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
        self.url_edit = QLineEdit(url, self)
        self.url_edit.setObjectName("urlEdit")
        self.url_edit.setPlaceholderText("s3://bucket/prefix, gs://bucket/prefix, az://container/prefix")
        self.lightly_edit = QLineEdit(lightly_root or "", self)
        self.lightly_edit.setObjectName("urlLightlyEdit")
        self.lightly_edit.setPlaceholderText("optional: URL or folder holding .lightly/metadata/")
        self.endpoint_edit = QLineEdit(settings.get("cloud/endpoint") or "", self)
        self.endpoint_edit.setObjectName("endpointEdit")
        self.endpoint_edit.setPlaceholderText("optional, S3-compatible stores: http://127.0.0.1:9000")
        form = QFormLayout()
        form.addRow("Datasource URL:", self.url_edit)
        form.addRow("Lightly root:", self.lightly_edit)
        form.addRow("S3 endpoint:", self.endpoint_edit)
        hint = QLabel(CREDENTIALS_HINT, self)
        hint.setWordWrap(True)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
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
