"""The Settings dialog: where bucket objects are cached and how big that may grow, and how
long and how often a request to a bucket is tried. OK stores and applies; Clear Cache acts
at once."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.storage import object_cache, remote
from gui.common import settings

KEYS = ("cloud/cache_mb", "cloud/timeout_s", "cloud/attempts")


def apply_saved() -> None:
    """Hand the stored preferences to core.storage (unset ones keep the environment's)."""
    if settings.is_set("cloud/cache_mb"):
        object_cache.set_cap_mb(settings.get("cloud/cache_mb"))
    remote.configure(
        timeout=settings.get("cloud/timeout_s") if settings.is_set("cloud/timeout_s") else None,
        attempts=settings.get("cloud/attempts") if settings.is_set("cloud/attempts") else None,
    )


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return ""


def _spin(lo: int, hi: int, value: int, suffix: str, name: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(lo, hi)
    box.setValue(value)
    box.setSuffix(suffix)
    box.setObjectName(name)
    return box


class SettingsDialog(QDialog):
    """Edit ▸ Settings…; `exec()` returns Accepted once the values are stored and applied."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(520)
        timeout, attempts = remote.network_options()

        cache = QGroupBox("Cache of bucket objects")
        form = QFormLayout(cache)
        self.folder = QLineEdit(str(object_cache.cache_dir()))
        self.folder.setReadOnly(True)
        self.folder.setObjectName("cacheFolder")
        self.folder.setCursorPosition(0)
        self.folder.setToolTip(self.folder.text())
        open_folder = QPushButton("Open Folder")
        open_folder.clicked.connect(self._open_folder)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(open_folder)
        form.addRow("Folder:", row)
        self.cap = _spin(1, 10_000_000, object_cache.cap_mb(), " MB", "cacheCap")
        self.cap.setToolTip("Least recently used copies are removed past this size")
        form.addRow("Size cap:", self.cap)
        self.usage = QLabel()
        self.usage.setObjectName("cacheUsage")
        self.clear_button = QPushButton("Clear Cache")
        self.clear_button.setObjectName("clearCache")
        self.clear_button.setToolTip("Remove every local copy now (they are fetched again when needed)")
        self.clear_button.clicked.connect(self.clear_cache)
        row = QHBoxLayout()
        row.addWidget(self.usage, 1)
        row.addWidget(self.clear_button)
        form.addRow("In use:", row)
        note = QLabel("Image previews of bucket objects are kept here by version. Videos are read "
                      "by ranges, never copied whole; their frame counts are cached by version.")
        note.setWordWrap(True)
        form.addRow(note)

        network = QGroupBox("Network")
        net = QFormLayout(network)
        self.timeout = _spin(1, 600, round(timeout), " s", "networkTimeout")
        self.timeout.setToolTip("A request with no answer for this long fails (and is tried again)")
        net.addRow("Timeout per request:", self.timeout)
        self.attempts = _spin(1, 20, attempts, "", "networkAttempts")
        self.attempts.setToolTip("Tries per request, with growing waits between them (1: no retry)")
        net.addRow("Tries per request:", self.attempts)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        restore = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.clicked.connect(self.restore_defaults)
        layout = QVBoxLayout(self)
        layout.addWidget(cache)
        layout.addWidget(network)
        layout.addWidget(buttons)
        self.refresh_usage()

    def refresh_usage(self) -> None:
        self.usage.setText(f"{_size(object_cache.cached_bytes())} of {_size(self.cap.value() << 20)}")

    def clear_cache(self) -> None:
        object_cache.clear()
        self.refresh_usage()

    def restore_defaults(self) -> None:
        self.cap.setValue(settings.DEFAULTS["cloud/cache_mb"])
        self.timeout.setValue(settings.DEFAULTS["cloud/timeout_s"])
        self.attempts.setValue(settings.DEFAULTS["cloud/attempts"])

    def _open_folder(self) -> None:
        folder = object_cache.cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def accept(self) -> None:
        settings.set("cloud/cache_mb", self.cap.value())
        settings.set("cloud/timeout_s", self.timeout.value())
        settings.set("cloud/attempts", self.attempts.value())
        apply_saved()
        super().accept()


def open_settings(parent: QWidget | None = None) -> bool:
    """Show the dialog (modal); True when the user pressed OK."""
    return SettingsDialog(parent).exec() == QDialog.DialogCode.Accepted
