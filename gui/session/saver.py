"""Saving for the main window: metadata files and schema.json, asking on conflicts.

A file changed on disk behind the editor's back is never overwritten without asking
(reload / overwrite / cancel); a failed write is reported and the document stays
modified. After a write the index learns about the file and that one file is validated
again, without a rescan.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QAbstractItemView, QApplication

from core.format.naming import FRAME, IMAGE, VIDEO
from core.format.samples import SampleRef
from core.workspace import ConflictError, Document, WriteError
from gui.common.workers import Debouncer
from gui.session.batch_save import SaveWriter, needs_background, save_in_background
from gui.session.revalidation import BACKGROUND_FROM, Revalidation, note_on_disk, validate_saved

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
RELOAD, OVERWRITE = "reload", "overwrite"
_MAX_ERRORS_SHOWN = 10


class _Cancelled(Exception):
    pass


class DocumentSaver:
    """Owned by the main window; reads its workspace, loader, findings and ask_* methods."""

    def __init__(self, window):
        self.w = window
        #: Documents that became clean through another path (bulk edits, imports write at
        #: once; an undo can return to the disk state): checked again, debounced.
        self._pending: set[str] = set()
        self._debounce = Debouncer(self._flush_pending, 100, window)
        #: A background save is writing (the outside-change watcher waits for it).
        self.writing = False
        self.writer: SaveWriter | None = None  # made on the first save of many files
        self.revalidation = Revalidation(window)

    def note_changed(self, rel: str) -> None:
        """Called on every documentChanged: a document that is clean now may have been written."""
        self.note_changed_many([rel])

    def note_changed_many(self, rels: list[str]) -> None:
        ws = self.w.workspace
        clean = [r for r in rels if (d := ws.loaded_document(r)) is not None and not d.modified]
        if clean:
            self._pending.update(clean)
            self._debounce.trigger()

    def flush(self) -> None:
        """Validate now the files waiting for the debounce (tests, and before counting)."""
        self._debounce.flush()

    def _flush_pending(self) -> None:
        ws = self.w.workspace
        docs = [d for d in (ws.loaded_document(r) for r in sorted(self._pending)) if d is not None]
        self._pending.clear()
        self._revalidate(docs)

    # --- metadata files ---------------------------------------------------------------------
    def save_documents(self, docs: Iterable[Document]) -> bool:
        """Save each modified document; True when all were written (or had nothing to write)."""
        commit = getattr(self.w.form, "commit_pending", None)
        if commit is not None:
            commit()  # an editor still being typed in
        saved: list[str] = []
        errors: list[str] = []
        touched: list[Document] = []
        cancelled = False
        docs = [d for d in docs if d.modified]
        if needs_background(docs):  # many files: a worker writes, with progress and Cancel
            self.writing = True
            try:
                if self.writer is None:
                    self.writer = SaveWriter(self.w)
                batch = save_in_background(self.w, self.w.workspace, docs, self.writer)
            finally:
                self.writing = False
            saved, errors, touched, cancelled = batch.saved, batch.failed, batch.done, batch.cancelled
            docs = [] if cancelled else batch.conflicts  # asked about one by one below
            touched = [d for d in touched if d not in docs]
        try:
            for doc in docs:
                try:
                    if self._save_one(doc):
                        saved.append(doc.rel)
                    touched.append(doc)
                except WriteError as e:
                    errors.append(str(e))
        except _Cancelled:
            cancelled = True
        finally:
            self._revalidate(touched)
        if errors:
            shown = errors[:_MAX_ERRORS_SHOWN]
            more = f"\n… and {len(errors) - len(shown)} more" if len(errors) > len(shown) else ""
            self.w.show_error("Could not save", "\n".join(shown) + more
                              + "\n\nThe changes are kept in the editor.")
        elif cancelled:
            self.w.show_status("Saving cancelled", 4000)
        elif saved:
            self.w.show_status(f"Saved {saved[0]}" if len(saved) == 1 else f"Saved {len(saved)} files", 5000)
        else:
            self.w.show_status("No unsaved changes", 3000)
        return not errors and not cancelled

    def _save_one(self, doc: Document) -> bool:
        ws = self.w.workspace
        try:
            return ws.save(doc.rel)
        except ConflictError:
            choice = self.w.ask_conflict(doc.rel)
            if choice == RELOAD:
                ws.reload(doc.rel)
                self.w.show_status(f"Reloaded {doc.rel} from disk", 5000)
                return False
            if choice == OVERWRITE:
                return ws.save(doc.rel, force=True)
            raise _Cancelled() from None

    def revalidate(self, rels: Iterable[str]) -> None:
        """Validate these metadata files again as they are on disk (after a fix renamed or wrote them)."""
        ws = self.w.workspace
        self._revalidate([ws.document(rel) for rel in rels])

    def _revalidate(self, docs: list[Document]) -> None:
        """Update the index and the findings of the files just written or reloaded.

        Many files (a Save All after a bulk edit): validated in a worker, the results applied
        here in slices (gui.session.revalidation)."""
        ws, loader = self.w.workspace, self.w.loader
        index = ws.index
        if index is None or not docs:
            return
        self._pending.difference_update(doc.rel for doc in docs)
        if len(docs) >= BACKGROUND_FROM:
            self.revalidation.start(docs, self.sample_of)
            return
        samples = [self.sample_of(doc.rel) for doc in docs]
        for doc, sample in zip(docs, samples):
            note_on_disk(loader, index, doc, sample)
        for doc, sample, found, _disk in validate_saved(ws, index, docs, samples):
            self.w.findings.replace_file(doc.rel, found)
            if sample is not None:
                self.w.files.refresh_sample(sample)
        self.w._findings_changed()

    # --- schema.json -------------------------------------------------------------------------------
    def save_schema(self) -> bool:
        """Save schema.json through the schema panel (it asks about errors and reports failures)."""
        panel = self.w.schema_panel
        table = panel.findChild(QAbstractItemView, "schemaTable")
        if table is not None and table.isAncestorOf(QApplication.focusWidget()):
            table.setFocus()  # a cell editor losing focus commits what was typed
        return panel.save()  # its `saved` signal re-validates everything (the window connects it)

    # --- lookups --------------------------------------------------------------------------------------
    def sample_of(self, rel: str) -> SampleRef | None:
        """The sample whose metadata file is `rel`, if any (None for orphans and misnamed frames)."""
        ws = self.w.workspace
        doc = ws.loaded_document(rel)
        if doc is not None and doc.sample is not None:
            return doc.sample
        index = ws.index
        info = index.metadata.get(rel) if index is not None else None
        if info is None:
            return None
        if info.kind in (IMAGE, VIDEO):
            return SampleRef(info.media, info.kind)
        n = index.frame_counts.get(info.media) if info.kind == FRAME else None
        if n and info.frame < n:
            sample = SampleRef.frame_of(info.media, info.frame, n)
            return sample if sample.metadata_rel == rel else None
        return None
