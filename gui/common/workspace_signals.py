"""Qt signals for core Workspace changes, so views refresh on every edit, whoever made it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from core.workspace import SCHEMA_KEY, Workspace


class WorkspaceSignals(QObject):
    """Re-emits Workspace listener calls as signals (queued when they come from a worker).

    One changed document: `documentChanged(rel)`. A `Workspace.batch()` of several (a bulk
    edit, its undo, an import): one `documentsChanged(rels)`, so each view refreshes once.
    """

    documentChanged = Signal(str)  # metadata rel path
    documentsChanged = Signal(list)  # several metadata rel paths, changed together
    #: Several documents written (their content did not change: the table need not look again).
    documentsSaved = Signal(list)
    schemaChanged = Signal()

    def __init__(self, workspace: Workspace, parent: QObject | None = None):
        super().__init__(parent)
        self.workspace = workspace
        workspace.add_batch_listener(self._on_changes)

    def _on_changes(self, rels: list[str], saved: bool = False) -> None:
        if SCHEMA_KEY in rels:
            self.schemaChanged.emit()
            rels = [r for r in rels if r != SCHEMA_KEY]
        if len(rels) == 1:
            self.documentChanged.emit(rels[0])
        elif rels:
            (self.documentsSaved if saved else self.documentsChanged).emit(rels)
