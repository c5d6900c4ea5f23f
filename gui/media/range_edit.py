"""Frame ranges of a video: apply values to every frame, or delete their metadata files.

Each is one undo step (gui.common.batch_write.RangeCommand) that edits the documents in
memory; like every edit, the files are written by Save / Save All (in the background when
there are many). `RangeActions` is what the window connects the timeline's requests to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from core.format.samples import SampleRef
from core.schema.entries import FieldSpec
from core.workspace import Workspace
from gui.common.batch_write import SYNC_LIMIT, RangeCommand, RangeWriter

__all__ = ["RangeActions", "RangeCommand", "RangeWriter", "SYNC_LIMIT",
           "apply_range_command", "clear_range_command", "frames_with_files"]

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
                        values: dict[str, Any], writer: RangeWriter | None = None,
                        save: bool = False) -> RangeCommand:
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
                           text, writer, save)
    command.skipped = skipped
    return command


def clear_range_command(workspace: Workspace, index, video: str, start: int, end: int,
                        writer: RangeWriter | None = None, save: bool = False) -> RangeCommand:
    """Delete (on save) the metadata files of frames start..end that have one; undo brings them back."""
    samples = frames_with_files(workspace, index, video, start, end)

    def edit() -> None:
        for s in samples:
            workspace.replace_data(s, None)

    n = len(samples)
    text = f"Delete {n} frame file{'s' if n != 1 else ''} of {video} ({start}–{end})"
    command = RangeCommand(workspace, index, samples, edit, text, writer, save)
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
        from gui.media.range_dialog import ApplyRangeDialog

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
        if command.save:
            n, what = len(command.written), "written"
        else:
            n, what = command.changed_count(), "changed, not saved yet (Save All writes them)"
        parts = [f"{command.text()}: {n} file{'s' if n != 1 else ''} {what}"]
        if command.cancelled:
            parts.append("cancelled — the rest are unsaved changes")
        if command.failed:
            parts.append(f"{len(command.failed)} failed ({command.failed[0]})")
        if getattr(command, "skipped", None):
            parts.append(f"{len(command.skipped)} broken file(s) left alone")
        self.statusMessage.emit("; ".join(parts))
        self.rangeWritten.emit(command)


def __getattr__(name: str):
    """`gui.media.range_edit.ApplyRangeDialog`, imported on first use (it needs the form's editors)."""
    if name == "ApplyRangeDialog":
        from gui.media.range_dialog import ApplyRangeDialog

        return ApplyRangeDialog
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
