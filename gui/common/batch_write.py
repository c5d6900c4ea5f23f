"""Many documents edited as one undo step; writing many files in the background when asked to.

`RangeCommand` edits the documents in memory. With a `RangeWriter` and `EDIT_IN_BACKGROUND`
documents or more, the edit, its undo and its redo run in a worker (reading 10k files,
snapshotting and applying), behind a modal progress dialog; Cancel while the files are being
read drops the step, nothing changed. Views learn of the change once, as one batch.

Like every other edit of the window (one saving model: pending until saved) it does not
write: the files are unsaved edits until File ▸ Save / Save All (or auto-save when leaving
them) writes them. `save=True` (tests,
scripts) writes on redo and undo, so disk follows the undo stack. Writing is ~0.45 ms per
file: up to `SYNC_LIMIT` files are written at once; more are written by a `RangeWriter` in
the thread pool behind a modal progress dialog that can cancel (files not written yet stay
as unsaved changes). The window's saver (gui.session.batch_save) uses the same writer.
Frame ranges (gui.media.range_edit) and bulk edits of a selection (gui.form.bulk_writer)
are both built on it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from core.format.samples import SampleRef
from core.workspace import Workspace, WriteError
from gui.common.commands import DocumentsCommand
from gui.common.workers import Task, start_task

SYNC_LIMIT = 500  # files written on the GUI thread; more go to a RangeWriter (~0.25 s)
#: Documents from which an edit (and its undo/redo) runs in the RangeWriter's worker.
EDIT_IN_BACKGROUND = 200
_PROGRESS_EVERY = 25


class RangeCommand(DocumentsCommand):
    """One undo step over many frame documents; never raises out of redo/undo.

    After each write pass: `written` (rels), `failed` (messages), `cancelled`, and
    `on_written(self)` is called on the GUI thread.
    """

    def __init__(self, workspace: Workspace, index, samples: Sequence[SampleRef], edit: Callable[[], Any],
                 text: str, writer: RangeWriter | None = None, save: bool = False,
                 editable: Callable[[Any], bool] | None = None):
        super().__init__(workspace, list(samples), edit, text, save=save)
        self.index = index
        self.writer = writer
        #: Which loaded documents the edit may change (the others are skipped, counted in `skipped`).
        self.editable = editable
        self.skipped = 0
        self.written: list[str] = []
        self.failed: list[str] = []
        self.cancelled = False
        self.on_written: Callable[[RangeCommand], None] | None = None
        #: How index changes are applied (the window defers them while a validation runs).
        self.update_index: Callable[[Callable[[], None]], None] = lambda fn: fn()

    #: Whether big edits run in the writer's worker (bulk edits, imports; frame ranges write at once).
    background_edit = False

    def in_background(self) -> bool:
        return self.background_edit and self.writer is not None and len(self.keys) >= EDIT_IN_BACKGROUND

    def redo(self) -> None:
        if self.in_background():
            self.writer.edit(self, "redo")
            return
        with self.ws.batch():
            if self._after is None:
                self._select()
            super().redo()

    def undo(self) -> None:
        if self._before is None:
            return  # never applied (cancelled while reading)
        if self.in_background():
            self.writer.edit(self, "undo")
            return
        with self.ws.batch():
            super().undo()

    def _select(self) -> None:
        if self.editable is not None:
            keys = [k for k in self.keys if self.editable(self.ws.document(k))]
            self.skipped, self.keys = len(self.keys) - len(keys), keys

    def run_edit(self, phase: str, progress=None, cancel=None) -> bool:
        """In the worker: read, snapshot and apply (first redo), or restore snapshots; False: cancelled."""
        ws = self.ws
        if phase == "redo" and self._after is None:
            if not ws.load_documents(self.keys, progress, cancel):
                return False
            self._select()
            if progress is not None:
                progress(len(self.keys), len(self.keys), "Applying the change")
            with ws.batch():
                before = ws.snapshots(self.keys)
                self._edit()
                self._after = ws.snapshots(self.keys)
                self._before = before
        else:
            ws.restore_many(self.keys, (self._after if phase == "redo" else self._before) or [])
        return True

    def edited(self, ok: bool) -> None:
        """Back on the GUI thread after `run_edit`: write (when saving), report; or drop the step."""
        if isinstance(ok, tuple):  # the worker failed: say so; a step that changed nothing is dropped
            self.failed = list(ok[1])
            if self._before is not None:
                self.finish(([], self.failed, False, []))
                return
        elif ok:
            self._write()
            return
        self.written, self.cancelled = [], not isinstance(ok, tuple)
        self.setObsolete(True)  # the stack deletes it on the undo below: nothing was changed
        stack = getattr(self.writer, "undo_stack", None)
        if self.on_written is not None:
            self.on_written(self)
        if stack is not None and stack.index() > 0 and stack.command(stack.index() - 1) is self:
            stack.undo()

    def changed_count(self) -> int:
        """How many of the documents this step changed (a file that had the value already did not)."""
        return sum(b != a for b, a in zip(self._before or [], self._after or []))

    def _write(self) -> None:
        if not self.save:  # pending until saved: report the edit, write nothing
            self.finish(([], [], False, []))
            return
        if self.writer is not None and len(self.keys) > SYNC_LIMIT:
            self.writer.write(self)
        else:
            self.finish(self.write_files())

    def write_files(self, progress=None, cancel=None) -> tuple[list[str], list[str], bool, list]:
        """Save every document (any thread): (written rels, errors, cancelled, index updates)."""
        written: list[str] = []
        failed: list[str] = []
        updates: list[tuple[SampleRef, bool]] = []
        total = len(self.keys)
        paths = self.ws.paths_of([s.metadata_rel for s in self.keys])
        for i, (sample, path) in enumerate(self.ws.in_batches(list(zip(self.keys, paths)))):
            if cancel is not None and cancel():
                return written, failed, True, updates
            try:
                if self.ws.save(sample, force=True, path=path):
                    written.append(sample.metadata_rel)
                    updates.append((sample, self.ws.document(sample).disk.exists))
            except WriteError as e:
                failed.append(str(e))
            if progress is not None and (i % _PROGRESS_EVERY == 0 or i == total - 1):
                progress(i + 1, total, f"Writing {sample.metadata_rel}")
        return written, failed, False, updates

    def finish(self, result: tuple[list[str], list[str], bool, list]) -> None:
        """Back on the GUI thread: record the outcome and tell the index which files exist."""
        self.written, self.failed, self.cancelled, updates = result
        index = self.index
        if index is not None and updates:
            def apply() -> None:
                for sample, exists in updates:
                    if exists:
                        index.note_written(sample)
                    else:
                        index.note_removed(sample.metadata_rel)
            self.update_index(apply)
        if self.on_written is not None:
            self.on_written(self)


class RangeWriter(QObject):
    """Writes a big RangeCommand's files in a worker, behind a modal, cancellable progress dialog."""

    finished = Signal(object)  # the RangeCommand, after its write pass
    edited = Signal(object)  # the RangeCommand, after an edit pass in the worker (`edit`)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._parent_widget = parent
        self._idle = threading.Event()
        self._idle.set()
        self.task: Task | None = None
        self.dialog: QProgressDialog | None = None
        self._command: RangeCommand | None = None
        self._result: tuple | None = None
        self._then: Callable[[Any], None] | None = None
        #: The stack a cancelled background edit is taken off (set by the owner).
        self.undo_stack = None

    def busy(self) -> bool:
        return not self._idle.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the running write pass is over (its result is applied by `_done`)."""
        return self._idle.wait(timeout)

    def write(self, command: RangeCommand) -> None:
        self._start(command, command.write_files, command.finish)

    def edit(self, command: RangeCommand, phase: str) -> None:
        """Run `command.run_edit(phase)` in the worker, then `command.edited` here."""
        first = phase == "redo" and command._after is None
        label = (f"{command.text()}…\nReading {len(command.keys):,} files; Cancel leaves every file as "
                 "it was." if first else f"{'Undo' if phase == 'undo' else 'Redo'}: {command.text()}…")
        self._start(command, lambda progress=None, cancel=None: command.run_edit(phase, progress, cancel),
                    command.edited, label, cancellable=first)

    def _start(self, command, fn, then, label: str | None = None, cancellable: bool = True) -> None:
        if self._command is not None:  # e.g. an undo right after a redo: finish that pass first
            self.wait()
            self._done()
        self._idle.clear()
        self._command, self._result, self._then = command, None, then
        self._signal = self.edited if label is not None else self.finished
        self.dialog = self.make_progress_dialog(command.text(), len(command.keys))
        if self.dialog is not None and label is not None:
            self.dialog.setWindowTitle("Editing metadata files")
            self.dialog.setLabelText(label)
        if self.dialog is not None and not cancellable:
            self.dialog.setCancelButton(None)
        self.task = start_task(self._run, fn)
        self.task.progressed.connect(self._on_progress)
        self.task.finished.connect(self._done)
        if self.dialog is not None and cancellable:
            self.dialog.canceled.connect(self.task.cancel)

    def _run(self, fn, progress=None, cancel=None) -> None:
        try:
            self._result = fn(progress, cancel)
        except Exception as e:  # reported like a failed write, never a crash
            self._result = ([], [f"{type(e).__name__}: {e}"], False, [])
        finally:
            self._idle.set()

    def make_progress_dialog(self, title: str, total: int) -> QProgressDialog | None:
        """The progress dialog (tests may return None); modal, so nothing edits meanwhile."""
        dialog = QProgressDialog(f"{title}…", "Cancel", 0, total, self._parent_widget)
        dialog.setWindowTitle("Writing frame files")
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)
        return dialog

    def _on_progress(self, done: int, total: int, label: str) -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(total)
            self.dialog.setValue(done)

    def _done(self) -> None:
        command = self._command
        if command is None or not self._idle.is_set():
            return
        self._command = None
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        then, self._then = self._then, None
        signal = self._signal
        then(self._result)
        signal.emit(command)
