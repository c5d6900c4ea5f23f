"""Frame ranges of a video: apply values to every frame, or delete their metadata files.

Each is one undo step (`RangeCommand`) that edits the documents in memory and then
writes the files, so disk follows the undo stack. Writing is ~0.45 ms per file: up to
`SYNC_LIMIT` files are written at once; bigger ranges are written by a `RangeWriter` in
the thread pool behind a modal progress dialog that can cancel (files not written yet
stay as unsaved changes, the editor's usual "modified" state). `RangeActions` is what the
window connects the timeline's requests to.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from core.samples import SampleRef
from core.schema import FieldSpec
from core.workspace import Workspace, WriteError
from gui.commands import DocumentsCommand
from gui.workers import Task, start_task

__all__ = ["RangeActions", "RangeCommand", "RangeWriter", "SYNC_LIMIT",
           "apply_range_command", "clear_range_command", "frames_with_files"]

SYNC_LIMIT = 500  # files written on the GUI thread; more go to a RangeWriter (~0.25 s)
_PROGRESS_EVERY = 25


class RangeCommand(DocumentsCommand):
    """One undo step over many frame documents; never raises out of redo/undo.

    After each write pass: `written` (rels), `failed` (messages), `cancelled`, and
    `on_written(self)` is called on the GUI thread.
    """

    def __init__(self, workspace: Workspace, index, samples: Sequence[SampleRef], edit: Callable[[], Any],
                 text: str, writer: RangeWriter | None = None):
        super().__init__(workspace, list(samples), edit, text, save=True)
        self.index = index
        self.writer = writer
        self.written: list[str] = []
        self.failed: list[str] = []
        self.cancelled = False
        self.on_written: Callable[[RangeCommand], None] | None = None
        #: How index changes are applied (the window defers them while a validation runs).
        self.update_index: Callable[[Callable[[], None]], None] = lambda fn: fn()

    def _write(self) -> None:
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
        for i, sample in enumerate(self.keys):
            if cancel is not None and cancel():
                return written, failed, True, updates
            try:
                if self.ws.save(sample, force=True):
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

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._parent_widget = parent
        self._idle = threading.Event()
        self._idle.set()
        self.task: Task | None = None
        self.dialog: QProgressDialog | None = None
        self._command: RangeCommand | None = None
        self._result: tuple | None = None

    def busy(self) -> bool:
        return not self._idle.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the running write pass is over (its result is applied by `_done`)."""
        return self._idle.wait(timeout)

    def write(self, command: RangeCommand) -> None:
        if self._command is not None:  # e.g. an undo right after a redo: finish that pass first
            self.wait()
            self._done()
        self._idle.clear()
        self._command, self._result = command, None
        self.dialog = self.make_progress_dialog(command.text(), len(command.keys))
        self.task = start_task(self._run, command)
        self.task.progressed.connect(self._on_progress)
        self.task.finished.connect(self._done)
        if self.dialog is not None:
            self.dialog.canceled.connect(self.task.cancel)

    def _run(self, command: RangeCommand, progress=None, cancel=None) -> None:
        try:
            self._result = command.write_files(progress, cancel)
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
        command.finish(self._result)
        self.finished.emit(command)


def frames_with_files(workspace: Workspace, index, video: str, start: int, end: int) -> list[SampleRef]:
    """Frames in start..end whose file exists (or was created in the editor); broken files excluded."""
    n = index.frame_counts.get(video)
    if not n:
        return []
    end = min(end, n - 1)
    on_disk = index.frame_files.get(video, {})
    found: list[SampleRef] = []
    for f in range(max(start, 0), end + 1):
        sample = SampleRef.frame_of(video, f, n)
        doc = workspace.loaded_document(sample.metadata_rel)
        if doc is not None:
            if doc.data is not None and not doc.broken:
                found.append(sample)
        elif on_disk.get(f) == sample.metadata_rel and not workspace.document(sample).broken:
            found.append(sample)
    return found


def apply_range_command(workspace: Workspace, index, video: str, start: int, end: int,
                        values: dict[str, Any], writer: RangeWriter | None = None) -> RangeCommand:
    """Set `values` (schema path -> value, or MISSING to remove) on every frame start..end.

    Frame files are created where missing, under the padded name of the video's frame
    count; keys already in them are kept. Frames whose file is broken JSON are left out
    (`command.skipped`).
    """
    samples, skipped = [], []
    for f in range(start, end + 1):
        sample = index.sample(video, f)  # ValueError for an unknown count or a bad frame
        (skipped if workspace.document(sample).broken else samples).append(sample)
    n = len(samples)
    text = f"Set {', '.join(values)} on {n} frame{'s' if n != 1 else ''} of {video} ({start}–{end})"
    command = RangeCommand(workspace, index, samples, lambda: workspace.apply_values(samples, values),
                           text, writer)
    command.skipped = skipped
    return command


def clear_range_command(workspace: Workspace, index, video: str, start: int, end: int,
                        writer: RangeWriter | None = None) -> RangeCommand:
    """Delete the metadata files of frames start..end that have one; undo writes them back."""
    samples = frames_with_files(workspace, index, video, start, end)

    def edit() -> None:
        for s in samples:
            workspace.replace_data(s, None)

    n = len(samples)
    text = f"Delete {n} frame file{'s' if n != 1 else ''} of {video} ({start}–{end})"
    command = RangeCommand(workspace, index, samples, edit, text, writer)
    command.skipped = []
    return command


class RangeActions(QObject):
    """What the window connects FrameTimeline's requests to: ask, build the command, push it."""

    statusMessage = Signal(str)
    rangeWritten = Signal(object)  # the RangeCommand, after each write pass (redo or undo)

    def __init__(self, workspace: Workspace, undo_stack: QUndoStack, parent: QWidget | None = None,
                 known_values: Callable[[FieldSpec], list] | None = None):
        super().__init__(parent)
        self.ws, self.undo_stack, self._parent_widget = workspace, undo_stack, parent
        self.writer = RangeWriter(parent)
        self.known_values = known_values
        self.update_index: Callable[[Callable[[], None]], None] = lambda fn: fn()

    # --- questions (tests replace these) ---------------------------------------------------------
    def ask_values(self, video: str, start: int, end: int, n_frames: int) -> tuple[int, int, dict] | None:
        """(start, end, values) chosen in an ApplyRangeDialog, or None when cancelled."""
        # Imported here: the dialog uses the form's editors, and the form imports this module.
        from gui.apply_range_dialog import ApplyRangeDialog

        dialog = ApplyRangeDialog(self.ws.specs, video, start, end, n_frames, self._parent_widget,
                                  known_values=self.known_values)
        if not dialog.exec():
            return None
        return (*dialog.selected_range(), dialog.values())

    def confirm_clear(self, video: str, start: int, end: int, count: int) -> bool:
        answer = QMessageBox.question(
            self._parent_widget, "Clear range",
            f"Delete the metadata files of {count} frame{'s' if count != 1 else ''} of {video} "
            f"(frames {start}–{end})?\n\nTheir values then come from the video's file or the "
            "schema defaults. Edit ▸ Undo brings the files back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    # --- actions -----------------------------------------------------------------------------------
    def apply_range(self, index, video: str, start: int, end: int) -> RangeCommand | None:
        n = index.frame_counts.get(video) if index is not None else None
        if not n:
            self.statusMessage.emit(f"{video}: frame count unknown, cannot edit a range of frames")
            return None
        chosen = self.ask_values(video, start, end, n)
        if chosen is None:
            return None
        start, end, values = chosen
        if not values:
            self.statusMessage.emit("No field chosen: nothing written")
            return None
        return self._push(apply_range_command(self.ws, index, video, start, end, values, self.writer))

    def clear_range(self, index, video: str, start: int, end: int) -> RangeCommand | None:
        if index is None or not index.frame_counts.get(video):
            return None
        count = len(frames_with_files(self.ws, index, video, start, end))
        if count == 0:
            self.statusMessage.emit(f"No frame of {start}–{end} has its own metadata file")
            return None
        if not self.confirm_clear(video, start, end, count):
            return None
        return self._push(clear_range_command(self.ws, index, video, start, end, self.writer))

    def _push(self, command: RangeCommand) -> RangeCommand:
        command.update_index = self.update_index
        command.on_written = self._on_written
        self.undo_stack.push(command)
        return command

    def _on_written(self, command: RangeCommand) -> None:
        parts = [f"{command.text()}: {len(command.written)} file{'s' if len(command.written) != 1 else ''}"
                 " written"]
        if command.cancelled:
            parts.append("cancelled — the rest are unsaved changes")
        if command.failed:
            parts.append(f"{len(command.failed)} failed ({command.failed[0]})")
        if getattr(command, "skipped", None):
            parts.append(f"{len(command.skipped)} broken file(s) left alone")
        self.statusMessage.emit("; ".join(parts))
        self.rangeWritten.emit(command)


def __getattr__(name: str):
    """`gui.range_edit.ApplyRangeDialog`, imported on first use (it needs the form's editors)."""
    if name == "ApplyRangeDialog":
        from gui.apply_range_dialog import ApplyRangeDialog

        return ApplyRangeDialog
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
