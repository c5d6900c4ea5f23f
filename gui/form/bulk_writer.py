"""Bulk edits (one value to many selected files) as one undo step that stays responsive.

The edit is applied to the documents in memory at once (fast, ~0.1 ms per file) and, like
a single edit, stays unsaved until File ▸ Save / Save All or leaving the selection with
auto-save writes it (gui.session.batch_save: many files in the background behind a
cancellable progress dialog). With `save=True` (scripts, tests) the files are written
like a frame range (gui.common.batch_write.RangeCommand): up to `SYNC_LIMIT` on the GUI
thread, more by a worker behind a cancellable progress dialog (`BulkWriter`); a write
that fails part-way is not rolled back, the files not written stay unsaved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QProgressDialog

from core.format.samples import SampleRef
from core.workspace import Document, Workspace
from gui.common.batch_write import SYNC_LIMIT, RangeCommand, RangeWriter

__all__ = ["SYNC_LIMIT", "BulkCommand", "BulkWriter", "bulk_edit_command", "bulk_summary", "failure_text"]


class BulkWriter(RangeWriter):
    """Writes a big bulk edit's files in a worker; a modal progress dialog offers Cancel."""

    def make_progress_dialog(self, title: str, total: int) -> QProgressDialog | None:
        dialog = super().make_progress_dialog(title, total)
        if dialog is not None:
            dialog.setWindowTitle("Writing metadata files")
            dialog.setLabelText(f"{title}…\nCancel stops writing; the files not written yet keep "
                                "the change as unsaved edits.")
        return dialog


class BulkCommand(RangeCommand):
    """A RangeCommand that remembers whether its last write pass was an undo (for the summary)."""

    undoing = False
    background_edit = True

    def redo(self) -> None:
        self.undoing = False
        super().redo()

    def undo(self) -> None:
        self.undoing = True
        super().undo()


def bulk_edit_command(ws: Workspace, samples: Sequence[SampleRef], values: dict[str, Any], text: str,
                      writer: BulkWriter | None = None, index=None, save: bool = False,
                      editable: Callable[[Document], bool] | None = None) -> BulkCommand:
    """One undo step setting `values` (path -> value, MISSING removes) on every sample (unsaved).

    Only the given paths change; every other key of every file is kept. Files are created
    where a sample has none. `index` (optional) learns about files created or removed.
    `editable(document)`: which files to change (decided once they are read, in the worker
    for a big selection); the others are skipped (`command.skipped`).
    """
    command: BulkCommand | None = None

    def edit() -> list[str]:
        return ws.apply_values(command.keys, values)

    command = BulkCommand(ws, index, list(samples), edit, text, writer, save, editable)
    return command


def bulk_summary(command: RangeCommand, skipped: int = 0) -> str:
    """"Wrote N files" (or "N files changed, not saved yet"), plus what failed or was skipped."""
    skipped = skipped or command.skipped
    if command.cancelled and not command.save:
        return f"{command.text()}: cancelled while reading the files; nothing was changed"
    if command.failed and not command.save:
        return f"{command.text()}: failed ({command.failed[0]}); nothing was changed"
    if not command.save:
        n = command.changed_count()
        verb = "Undo: " if getattr(command, "undoing", False) else ""
        text = (f"{verb}{command.text()}: {n:,} file{'s' if n != 1 else ''} changed, not saved yet "
                "(Save All, Ctrl+Shift+S, writes them)")
        if skipped:
            text += f"; skipped {skipped} that {'is' if skipped == 1 else 'are'} not valid JSON"
        return text
    n = len(command.written)
    verb = "Undo: wrote" if getattr(command, "undoing", False) else "Wrote"
    parts = [f"{verb} {n} file{'s' if n != 1 else ''}"]
    if command.failed:
        parts.append(f"{len(command.failed)} could not be written ({command.failed[0]}) and keep the "
                     "change as unsaved edits")
    if command.cancelled:
        parts.append("cancelled: the files not written yet keep the change as unsaved edits")
    if skipped:
        parts.append(f"skipped {skipped} that {'is' if skipped == 1 else 'are'} not valid JSON")
    return "; ".join(parts)


def failure_text(command: RangeCommand, limit: int = 10) -> str:
    """The message for a write that failed part-way (shown in a message box)."""
    shown = command.failed[:limit]
    more = f"\n… and {len(command.failed) - len(shown)} more" if len(command.failed) > len(shown) else ""
    return (f"{command.text()}: {len(command.written)} files were written, {len(command.failed)} could "
            "not be:\n\n" + "\n".join(shown) + more
            + "\n\nThose files keep the new value as unsaved edits (marked in the file tree; File ▸ "
            "Save All tries again). Edit ▸ Undo restores every file of this edit.")
