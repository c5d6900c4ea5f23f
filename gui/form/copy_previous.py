"""Copy values from the previously edited file into the one the form shows.

"Previous" is the last other file the user committed a value in (moving on without
editing a file does not change it). Copies go only into fields this file does not set yet,
unless `overwrite`; copying several fields is one undo step.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from core.copy_values import values_to_copy
from core.format.keypath import MISSING
from core.format.metadata_file import get_meta
from core.format.samples import SampleRef
from core.format.value_types import format_value
from gui.common.commands import DocumentsCommand

FIELD_SHORTCUT = "Ctrl+D"  # "ditto", as spreadsheets fill a cell from the one above


def sample_name(sample: SampleRef) -> str:
    return sample.media if sample.frame is None else f"{sample.media} frame {sample.frame}"


class PreviousFile(QObject):
    """Owned by the MetadataForm; follows its `valueEdited` to know the previous file."""

    def __init__(self, form):
        super().__init__(form)
        self.form = form
        self._recent: list[SampleRef] = []  # the last two distinct files edited, newest first
        form.valueEdited.connect(lambda _path, _value: self.note_edit())

    def field_action(self) -> QAction:
        """The form's "copy the focused field" action (Ctrl+D while a field has the keyboard)."""
        action = QAction("Copy Field from Previous File", self.form)
        action.setObjectName("actionCopyFieldFromPrevious")
        action.setShortcut(QKeySequence(FIELD_SHORTCUT))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip("Copy the focused field's value from the previously edited file, if this "
                          f"file does not set it yet ({FIELD_SHORTCUT})")
        action.triggered.connect(lambda _checked=False: self.copy_focused())
        return action

    def copy_focused(self) -> int:
        row = self.form._focused_row()
        return self.copy([row.spec.path]) if row is not None else 0

    def note_edit(self) -> None:
        current = self._current()
        if current is not None and (not self._recent or self._recent[0] != current):
            self._recent = [current] + self._recent[:1]

    def _current(self) -> SampleRef | None:
        samples = self.form.samples()
        return samples[0] if len(samples) == 1 else None

    def previous(self) -> SampleRef | None:
        """The file values are copied from (None before any other file was edited)."""
        current = self._current()
        return next((s for s in self._recent if s != current), None)

    def _source_data(self) -> Any:
        prev = self.previous()
        if prev is None:
            return None
        doc = self.form.ws.document(prev)
        return None if doc.broken else doc.data

    def source_value(self, path: str) -> Any:
        """The previous file's own value at `path`, or MISSING."""
        value = get_meta(self._source_data(), path)
        return MISSING if value is None else value

    def values(self, paths: Iterable[str] | None = None, overwrite: bool = False) -> dict[str, Any]:
        current = self._current()
        if current is None or self.previous() is None:
            return {}
        doc = self.form.ws.document(current)
        if doc.broken:
            return {}
        return values_to_copy(self.form.ws.specs, self._source_data(), doc.data, paths=paths,
                              overwrite=overwrite)

    def copy(self, paths: Iterable[str] | None = None, overwrite: bool = False) -> int:
        """Copy (all or `paths`) from the previous file as one undo step; returns the fields copied."""
        form = self.form
        current, prev = self._current(), self.previous()
        if current is None:
            form.statusMessage.emit("Copy from the previous file works on one selected file")
            return 0
        if prev is None:
            form.statusMessage.emit("Nothing to copy yet: edit a file first, then copy its values "
                                    "into the next one")
            return 0
        form.commit_pending()
        paths = list(paths) if paths is not None else None
        values = self.values(paths, overwrite)
        if not values:
            form.statusMessage.emit(self._nothing_text(prev, paths, overwrite))
            return 0
        ws = form.ws
        labels = {s.path: s.label for s in ws.specs}
        n = len(values)
        what = labels.get(next(iter(values)), "field") if n == 1 else f"{n} fields"
        text = f"Copy {what} from {sample_name(prev)}"
        edit = lambda: ws.apply_values([current], values)  # noqa: E731
        form.undo_stack.push(DocumentsCommand(ws, [current], edit, text))
        for path, value in values.items():
            form.known.add(path, value)
            form.valueEdited.emit(path, value)
        shown = ", ".join(f"{labels.get(p, p)} = {format_value(v)}" for p, v in list(values.items())[:4])
        more = " …" if n > 4 else ""
        form.statusMessage.emit(f"Copied from {sample_name(prev)}: {shown}{more} (not saved yet)")
        return n

    def _nothing_text(self, prev: SampleRef, paths: list[str] | None, overwrite: bool) -> str:
        name = sample_name(prev)
        if paths is not None and len(paths) == 1:
            label = next((s.label for s in self.form.ws.specs if s.path == paths[0]), paths[0])
            if self.source_value(paths[0]) is MISSING:
                return f"{name} does not set {label}: nothing to copy"
            return (f"{label} is already set here: nothing copied (use Overwrite with Previous File's Value)"
                    if not overwrite else f"{label} already has {name}'s value")
        if overwrite:
            return f"This file already has every value {name} sets"
        return (f"Nothing copied: every field {name} sets is already set here "
                "(Copy All … Overwrite replaces them)")
