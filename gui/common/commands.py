"""Undo commands. Each calls one Workspace edit operation in redo() and restores in undo().

Document edits are snapshot-based: the first redo() snapshots every affected
document, applies the edit, and snapshots the result; undo()/redo() then restore
those snapshots, so both directions reproduce the exact same content.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from core.format.keypath import MISSING
from core.format.samples import SampleRef
from core.schema.entries import SchemaEntry
from core.workspace import Workspace

Key = SampleRef | str


class DocumentsCommand(QUndoCommand):
    """Apply `edit()` to documents `keys` as one undo step; optionally save them at once.

    `save=True` is for bulk work (bulk edit, import, frame ranges): the files are
    written on redo and written back on undo, so disk follows the undo stack.
    """

    def __init__(self, workspace: Workspace, keys: Sequence[Key], edit: Callable[[], Any],
                 text: str, save: bool = False):
        super().__init__(text)
        self.ws, self.keys, self._edit, self.save = workspace, list(keys), edit, save
        self._before: list | None = None
        self._after: list | None = None

    def redo(self) -> None:
        if self._after is None:
            self._before = [self.ws.snapshot(k) for k in self.keys]
            self._edit()
            self._after = [self.ws.snapshot(k) for k in self.keys]
        else:
            for k, snap in zip(self.keys, self._after):
                self.ws.restore(k, snap)
        self._write()

    def undo(self) -> None:
        for k, snap in zip(self.keys, self._before or []):
            self.ws.restore(k, snap)
        self._write()

    def _write(self) -> None:
        if self.save:
            for k in self.keys:
                self.ws.save(k, force=True)


def set_value_command(ws: Workspace, key: Key, path: str, value: Any, label: str = "") -> DocumentsCommand:
    """Set (or, with value MISSING, reset) one field of one document."""
    if value is MISSING:
        return DocumentsCommand(ws, [key], lambda: ws.remove_value(key, path), f"Reset {label or path}")
    return DocumentsCommand(ws, [key], lambda: ws.set_value(key, path, value), f"Set {label or path}")


def replace_data_command(ws: Workspace, key: Key, data: Any, text: str = "Edit JSON") -> DocumentsCommand:
    return DocumentsCommand(ws, [key], lambda: ws.replace_data(key, data), text)


def bulk_values_command(ws: Workspace, samples: Sequence[SampleRef], values: dict[str, Any],
                        text: str, save: bool = True) -> DocumentsCommand:
    """One undo step that writes `values` (path -> value or MISSING) to every sample."""
    return DocumentsCommand(ws, list(samples), lambda: ws.apply_values(samples, values), text, save=save)


class SchemaCommand(QUndoCommand):
    """Replace the schema's entry tuple; undo puts the previous tuple back."""

    def __init__(self, workspace: Workspace, entries: tuple[SchemaEntry, ...], text: str):
        super().__init__(text)
        self.ws = workspace
        self.before = workspace.schema_entries
        self.after = tuple(entries)

    def redo(self) -> None:
        self.ws.set_schema(self.after)

    def undo(self) -> None:
        self.ws.set_schema(self.before)
