"""Window layout and folder drops for MainWindow: docks, remembered geometry/state, drag a folder in.

A mixin so the main window itself stays about composing and wiring panels.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QWidget

from core.storage import is_url
from gui.common import settings


class WindowLayout:
    """Mixed into MainWindow (a QMainWindow with `files_dock`, `menu_actions`, `inspect`)."""

    def add_dock(self, widget: QWidget, title: str, name: str, area: Qt.DockWidgetArea) -> QDockWidget:
        """Put `widget` in a dock with a View-menu toggle (later panels use this too)."""
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        if hasattr(self, "menu_actions"):
            self.menu_actions.menus["view"].addAction(dock.toggleViewAction())
        return dock

    def _restore_layout(self) -> None:
        self.menu_actions.menus["view"].addAction(self.files_dock.toggleViewAction())
        geometry = settings.get("window/geometry") if self.remember else None
        if not geometry or geometry.isEmpty() or not self.restoreGeometry(geometry):
            available = self.screen().availableGeometry()
            self.resize(min(1280, int(available.width() * 0.9)), min(820, int(available.height() * 0.9)))
        state = settings.get("window/state") if self.remember else None
        if not state or state.isEmpty() or not self.restoreState(state):
            self.resizeDocks([self.files_dock], [320], Qt.Orientation.Horizontal)
            self.inspect.default_layout()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # A layout saved in a tiny window can leave the file tree a sliver wide: widen it again.
        QTimer.singleShot(0, self._widen_files_dock)

    def _widen_files_dock(self) -> None:
        if self.files_dock.isVisible() and not self.files_dock.isFloating() and self.files_dock.width() < 200:
            self.resizeDocks([self.files_dock], [min(320, self.width() // 3)], Qt.Orientation.Horizontal)

    def _save_layout(self) -> None:
        if not self.remember:
            return
        settings.set("window/geometry", self.saveGeometry())
        settings.set("window/state", self.saveState())

    # --- drag a folder onto the window ---------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if _dropped_folder(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        folder = _dropped_folder(event.mimeData())
        if folder is not None:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.open_datasource(folder))


def _dropped_folder(mime) -> str | None:
    """A dropped local folder, or a dropped bucket URL (as a link or as text)."""
    for url in mime.urls() if mime.hasUrls() else []:
        if url.isLocalFile() and Path(url.toLocalFile()).is_dir():
            return url.toLocalFile()
        if is_url(url.toString()):
            return url.toString()
    text = mime.text().strip() if mime.hasText() else ""
    return text if text and "\n" not in text and is_url(text) else None

