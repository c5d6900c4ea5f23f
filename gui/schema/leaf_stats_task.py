"""Reading leaf statistics of all metadata files in the background, with a progress row and Cancel."""

from __future__ import annotations

import copy

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from core.dataset.leaf_stats import collect_leaf_stats
from core.format import jsonio
from core.workspace import Workspace
from gui.common.workers import Task, start_task


class LeafStatsProgress(QWidget):
    """Runs core.dataset.leaf_stats.collect_leaf_stats off the GUI thread; visible while it runs."""

    #: (dict[str, LeafStats], number of files read)
    succeeded = Signal(object, int)
    failed = Signal(str)
    #: After success, failure or cancel.
    finished = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.task: Task | None = None
        self.n_files = 0
        self.bar = QProgressBar()
        self.bar.setFormat("%v of %m files")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel("Reading metadata files:"))
        lay.addWidget(self.bar, 1)
        lay.addWidget(self.cancel_button)
        self.hide()

    @property
    def running(self) -> bool:
        return self.task is not None

    def start(self, workspace: Workspace, index) -> None:
        """Read every metadata file of `index`; unsaved edits in `workspace` count as data."""
        if self.task is not None:
            return
        overrides, removed = {}, set()
        for doc in workspace.modified_documents():
            if doc.data is None:
                removed.add(doc.rel)
            else:
                overrides[doc.rel] = copy.deepcopy(doc.data)  # the worker must not see later edits
        rels = sorted((set(index.metadata) | set(overrides)) - removed)
        path_of = workspace.path_of

        def read(rel: str):
            return overrides[rel] if rel in overrides else jsonio.read_json(path_of(rel))

        self.n_files = len(rels)
        self.bar.setRange(0, max(len(rels), 1))
        self.bar.setValue(0)
        self.show()
        self.task = start_task(collect_leaf_stats, index, read=read, rels=rels)
        # Bound methods (not lambdas): the slots then run on the GUI thread.
        self.task.progressed.connect(self._on_progress)
        self.task.succeeded.connect(self._on_succeeded)
        self.task.failed.connect(self._on_failed)
        self.task.finished.connect(self._on_finished)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _on_progress(self, done: int, total: int, _label: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _on_succeeded(self, stats) -> None:
        self.succeeded.emit(stats, self.n_files)

    def _on_failed(self, message: str) -> None:
        if self.task is not None and not self.task.cancelled:
            self.failed.emit(message)

    def _on_finished(self) -> None:
        self.task = None
        self.hide()
        self.finished.emit()
