"""Qt signals for core Workspace changes, so views refresh on every edit, whoever made it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from core.workspace import SCHEMA_KEY, Workspace


class WorkspaceSignals(QObject):
    """Re-emits Workspace listener calls as signals (queued when they come from a worker)."""

    documentChanged = Signal(str)  # metadata rel path
    schemaChanged = Signal()

    def __init__(self, workspace: Workspace, parent: QObject | None = None):
        super().__init__(parent)
        self.workspace = workspace
        workspace.add_listener(self._on_change)

    def _on_change(self, rel: str) -> None:
        if rel == SCHEMA_KEY:
            self.schemaChanged.emit()
        else:
            self.documentChanged.emit(rel)
