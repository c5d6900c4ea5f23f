"""Saving many metadata files at once (Save All after a bulk edit, a range or an import).

Up to `batch_write.SYNC_LIMIT` files are written on the GUI thread (~0.25 s). More are written by a
worker behind a modal progress dialog with Cancel (gui.common.batch_write.RangeWriter);
the GUI thread only waits in an event loop, so the window repaints and Cancel answers.
Files changed on disk behind the editor's back are not written by the worker: they come
back as `conflicts`, for the window to ask about one by one, as a single save does.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEventLoop

from core.workspace import ConflictError, Document, Workspace, WriteError
from gui.common import batch_write
from gui.common.batch_write import RangeWriter

_PROGRESS_EVERY = 25


class BatchSave:
    """What RangeWriter runs: save each document unless it changed on disk (never forced)."""

    def __init__(self, workspace: Workspace, docs: Sequence[Document]):
        self.ws = workspace
        self.keys = list(docs)
        self.saved: list[str] = []
        self.failed: list[str] = []
        self.conflicts: list[Document] = []
        self.cancelled = False
        self.done: list[Document] = []  # every document the pass got to (for re-validation)

    def text(self) -> str:
        return f"Saving {len(self.keys)} files"

    def write_files(self, progress=None, cancel=None) -> tuple:
        total = len(self.keys)
        paths = self.ws.paths_of([doc.rel for doc in self.keys])  # each folder resolved once
        for i, (doc, path) in enumerate(self.ws.in_batches(list(zip(self.keys, paths)))):
            if cancel is not None and cancel():
                return True
            try:
                if self.ws.save(doc.rel, path=path):
                    self.saved.append(doc.rel)
            except ConflictError:
                self.conflicts.append(doc)
            except WriteError as e:
                self.failed.append(str(e))
            self.done.append(doc)
            if progress is not None and (i % _PROGRESS_EVERY == 0 or i == total - 1):
                progress(i + 1, total, f"Writing {doc.rel}")
        return False

    def finish(self, result) -> None:
        if isinstance(result, tuple):  # RangeWriter's report of an exception in the worker
            self.failed.extend(result[1])
        else:
            self.cancelled = bool(result)


class SaveWriter(RangeWriter):
    def make_progress_dialog(self, title: str, total: int):
        dialog = super().make_progress_dialog(title, total)
        if dialog is not None:
            dialog.setWindowTitle("Saving metadata files")
            dialog.setLabelText(f"{title}…\nCancel stops writing; the files not written yet stay unsaved.")
        return dialog


def save_in_background(parent, workspace: Workspace, docs: Sequence[Document],
                       writer: SaveWriter | None = None) -> BatchSave:
    """Write `docs` (many) in a worker; returns when done or cancelled, the window responsive meanwhile."""
    batch = BatchSave(workspace, docs)
    writer = writer or SaveWriter(parent)
    loop = QEventLoop()
    writer.finished.connect(loop.quit)
    writer.write(batch)
    if writer.busy() or writer._command is not None:
        loop.exec()
    return batch


def needs_background(docs: Sequence[Document]) -> bool:
    return len(docs) > batch_write.SYNC_LIMIT
