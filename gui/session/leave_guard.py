"""Moving to another file never loses edits: they are saved (auto-save) or the user is asked.

The window asks `may_leave(new_samples)` before the form switches to other samples. With
auto-save on (the default, `editor/autosave`), the field being typed in is committed and
the file left is saved; a failed write is reported, the file stays unsaved and the window
stays on it. With auto-save off the user chooses Save, Discard (one undo step back to
the file on disk) or Cancel (stay). A bulk selection is left the same way: its unsaved
files are saved together (many in the background, with Cancel) or asked about once.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.format.samples import LazySamples, SampleRef, same_samples
from gui.common import settings
from gui.common.commands import DocumentsCommand
from gui.form.copy_previous import sample_name
from gui.session.saver import DISCARD, SAVE

AUTOSAVE_KEY = "editor/autosave"


def autosave_enabled() -> bool:
    return bool(settings.get(AUTOSAVE_KEY))


class LeaveGuard:
    """Owned by the window's AnnotateActions; uses the window's form, saver and `ask_*` methods."""

    def __init__(self, window):
        self.w = window
        self._busy = False  # re-entrant calls (restoring the tree selection) pass

    def may_leave(self, new_samples: Sequence[SampleRef]) -> bool:
        """True when the form may switch from its samples to `new_samples` (saving or asking first)."""
        form = self.w.form
        if form is None or self._busy:
            return True
        old = form.samples()
        if not old or same_samples(old, new_samples):
            return True
        self._busy = True
        try:
            return self._leave(old)
        finally:
            self._busy = False

    def keep_selection(self) -> None:
        """After a refused switch: select the form's samples in the file tree again."""
        old = self.w.form.samples() if self.w.form is not None else []
        if not old:
            return
        self._busy = True
        try:
            self.w.files.select_samples(old)
            self.w.current_sample = old[0]
        finally:
            self._busy = False

    def _leave(self, old: list[SampleRef]) -> bool:
        form, w = self.w.form, self.w
        if not form.commit_pending():
            w.show_status("A field holds a value that does not fit its type: fix it or press Esc to drop it"
                          " — staying on this file", 8000)
            return False
        if form.other.is_modified() and not form.other.apply():
            w.show_status("Other metadata is not valid JSON: fix it or press Revert — staying on this file",
                          8000)
            return False
        if len(old) != 1:
            return self._leave_selection(old)
        doc = w.workspace.document(old[0])
        if not doc.modified:
            return True
        name = sample_name(old[0])
        if autosave_enabled():
            if w.saver.save_documents([doc]) and not doc.modified:
                return True
            w.show_status(f"{name} is not saved: its edits are kept and the window stays on it "
                          "(turn off Edit ▸ Auto-save to move on without saving)", 10000)
            return False
        choice = w.ask_save_discard_cancel(f"Leave {name}")
        if choice == SAVE:
            return w.saver.save_documents([doc]) and not doc.modified
        if choice == DISCARD:
            self.discard(old[0])
            return True
        return False

    def _leave_selection(self, old: list[SampleRef]) -> bool:
        """Leaving a bulk selection: save its unsaved files (auto-save) or ask once."""
        w = self.w
        modified = w.workspace.modified_documents()
        if not modified:
            return True  # (no walk over 100k selected samples)
        if isinstance(old, LazySamples) and len(modified) <= 256 \
                and all(d.sample is not None for d in modified):
            docs = [d for d in modified if d.sample in old]  # a few lookups in the rows or ids
        else:
            rels = {s.metadata_rel for s in old}
            docs = [d for d in modified if d.rel in rels]
        if not docs:
            return True
        if autosave_enabled():
            if w.saver.save_documents(docs) and not any(d.modified for d in docs):
                return True
            w.show_status(f"{sum(d.modified for d in docs)} of the selected files are not saved: their edits "
                          "are kept and the selection stays", 10000)
            return False
        choice = w.ask_save_discard_cancel(f"Leave the {len(old)} selected files")
        if choice == SAVE:
            return w.saver.save_documents(docs) and not any(d.modified for d in docs)
        if choice == DISCARD:
            self.discard_many([d.sample or d.rel for d in docs])
            return True
        return False

    def discard_many(self, keys: list) -> None:
        """Put several files back as they are on disk, as one undo step."""
        ws = self.w.workspace

        def edit() -> None:
            for key in keys:
                doc = ws.document(key)
                ws.replace_data(key, None if doc.disk.error is not None else doc.disk.data)

        self.w.undo_stack.push(DocumentsCommand(ws, keys, edit, f"Discard changes to {len(keys)} files"))

    def discard(self, sample: SampleRef) -> None:
        """Put the file back as it is on disk, as one undo step."""
        ws = self.w.workspace
        doc = ws.document(sample)
        disk = None if doc.disk.error is not None else doc.disk.data
        cmd = DocumentsCommand(ws, [sample], lambda: ws.replace_data(sample, disk),
                               f"Discard changes to {sample_name(sample)}")
        self.w.undo_stack.push(cmd)
        self.w.show_status(f"Discarded the unsaved changes to {sample_name(sample)} (Undo brings them back)",
                           6000)
