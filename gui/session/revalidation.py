"""Validating just-saved files again; many (Save All after a bulk edit) in a worker.

The per-file checks of a full validation run off the GUI thread; the findings are applied
here in slices, then the tree, the form, the Problems list and the status bar follow once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from core.dataset.index import ORPHAN, MetaFileInfo
from core.documents import yield_gil
from core.format.findings import Finding
from core.format.naming import FRAME
from core.format.samples import SampleRef
from core.schema.entries import compile_schema
from core.validation.validate import validate_document
from core.workspace import Document, Workspace
from gui.common.workers import Slices, start_task

#: Files from which the re-validation after a save runs in a worker.
BACKGROUND_FROM = 200


def note_on_disk(loader, index, doc: Document, sample: SampleRef | None) -> None:
    """Tell the index whether the file now exists (deferred while a validation pass runs)."""
    if not doc.disk.exists:
        loader.update_index(lambda rel=doc.rel: index.note_removed(rel))
    elif sample is not None:
        loader.update_index(lambda s=sample: index.note_written(s))


def validate_saved(ws: Workspace, index, docs: list[Document], samples: list[SampleRef | None]) -> list:
    """(document, sample, findings, disk state checked) of each file as it is on disk (any thread)."""
    specs = compile_schema(ws.schema_file.entries)  # what a full validation uses
    scan_findings: dict[str, list[Finding]] = {}
    for f in index.findings:
        scan_findings.setdefault(f.file, []).append(f)
    out = []
    for i, (doc, sample) in enumerate(zip(docs, samples)):
        disk = doc.disk
        info = index.metadata.get(doc.rel) or _info_for(doc.rel, sample)
        found: list[Finding] = validate_document(doc.rel, info, disk, specs, index)
        found += [f for f in scan_findings.get(doc.rel, ()) if f not in found]
        out.append((doc, sample, found, disk))
        if i % 16 == 0:
            yield_gil()
    return out


class Revalidation(QObject):
    """The window's background re-validation of many saved files (counted by activity())."""

    def __init__(self, window):
        super().__init__(window)
        self.w = window
        self._results: list = []
        self._apply = Slices(self._apply_some, parent=self)
        self._apply.done.connect(self._applied)

    def start(self, docs: list[Document], sample_of: Callable[[str], SampleRef | None]) -> None:
        ws = self.w.workspace
        index = ws.index

        def work(progress=None, cancel=None) -> list:
            return validate_saved(ws, index, docs, [sample_of(d.rel) for d in docs])

        task = start_task(work)
        task.succeeded.connect(lambda out: self._on_result(ws, out))

    def _on_result(self, ws: Workspace, out: list) -> None:
        if ws is not self.w.workspace:
            return  # another datasource was opened meanwhile
        first = len(self._results)
        self._results.extend(out)
        self._apply.add(range(first, len(self._results)))

    def _apply_some(self, ids: list[int]) -> None:
        loader, index = self.w.loader, self.w.workspace.index
        for i in ids:
            doc, sample, found, disk = self._results[i]
            note_on_disk(loader, index, doc, sample)
            if doc.disk is disk:  # not saved or reloaded again meanwhile (that validated it itself)
                self.w.findings.replace_file(doc.rel, found)

    def _applied(self) -> None:
        self._results.clear()
        self.w.files.refresh_all()
        self.w._findings_changed()


def _info_for(rel: str, sample: SampleRef | None) -> MetaFileInfo:
    if sample is None:
        return MetaFileInfo(rel, ORPHAN)
    if sample.kind == FRAME:
        digits = f"{sample.frame:0{len(str(sample.n_frames))}d}"
        return MetaFileInfo(rel, FRAME, sample.media, sample.frame, digits)
    return MetaFileInfo(rel, sample.kind, sample.media)
