"""What the form shows for several selected samples, and which documents it cannot edit.

A selection of 100k rows is shown from the dataset table's columns, already in memory
(`MetadataForm.selection_cells`), not by reading 100k documents on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from core.documents import yield_gil
from core.effective.selection import TableRows
from core.format import jsonio
from core.format.keypath import MISSING
from core.format.naming import FRAME, METADATA_DIR
from core.format.samples import LazySamples
from core.format.value_types import describe
from core.workspace import Document
from gui.common.workers import start_task
from gui.form.header import BULK_HINT
from gui.form.raw.repair_panel import error_text
from gui.form.row_state import bulk_state, column_state, single_state

#: Above this many selected files the form never reads them here: the table answers, or a worker.
READ_LIMIT = 2000
#: Findings of files the form cannot edit (a bulk edit skips them).
UNEDITABLE = frozenset({"invalid-json", "wrong-type-field"})


def problem_of(doc: Document) -> tuple[str, str, int | None, int | None] | None:
    """Why the form cannot edit `doc` (message, text to repair, line, column), or None."""
    where = f"{METADATA_DIR}/{doc.rel}"
    if doc.broken:
        e = doc.disk.error
        return f"{where} is not valid JSON — {error_text(e)}", doc.disk.text or "", e.line, e.column
    data = doc.data
    if data is None:
        return None
    if not isinstance(data, dict):
        return f"{where} holds {describe(data)}, not a JSON object", jsonio.dumps(data), None, None
    meta = data.get("metadata", MISSING)
    if meta is not MISSING and not isinstance(meta, dict):
        return (f"{where}: 'metadata' is {describe(meta)}, not a JSON object", jsonio.dumps(data),
                None, None)
    return None


def refresh_bulk(form, force: bool) -> None:
    """The form's fields for several samples: from the table's columns when it can answer, the
    rest of a big selection read in a worker; a small selection from its documents (here)."""
    cancel_read(form)
    samples = form._samples
    cells = form.selection_cells(samples) if form.selection_cells is not None else None
    form.waiting_for_table = False
    if cells is not None and not cells.rest and _refresh_from_cells(form, cells, force):
        return
    if len(samples) > READ_LIMIT and form.selection_cells is not None:
        # reading thousands of documents here would freeze the window
        if cells is None and form.table_pending is not None and form.table_pending():
            _wait_for_table(form)  # the table will answer once its values are read
        elif cells is not None and cells.rest and not _has_uneditable(form, samples):
            _read_in_worker(form, cells.rest, force)  # frames the table does not show, say
        else:  # the table cannot answer, or files among them are skipped by an edit
            _read_in_worker(form, samples, force)
        return
    docs = [form.ws.document(s) for s in form._samples]
    form.header.show_many(form._samples, docs)
    form.banner.set_findings([])
    form._show_repair(None, None, force)
    pairs = []
    for s, d in zip(form._samples, docs):
        if problem_of(d) is not None:
            continue
        vdoc = form.ws.document(s.video_sample) if s.kind == FRAME else None
        vdata = vdoc.data if vdoc is not None and problem_of(vdoc) is None else None
        pairs.append((d.data, vdata))
    form.fields_content.setEnabled(bool(pairs))
    for spec, row in form._rows():
        if pairs:
            row.show_state(bulk_state([single_state(spec, own, vd) for own, vd in pairs]), force)
        row.set_findings([])
    form.other.hide()  # unknown keys differ per file: edited one file at a time
    form.raw.show_document(None)
    form.tabs.setTabEnabled(form.tabs.indexOf(form.raw), False)

def _refresh_from_cells(form, cells: Callable[[str], tuple], force: bool) -> bool:
    """The bulk state from the table's columns (no document read); False: read the documents.

    Files the form cannot edit (not valid JSON...) are skipped by a bulk edit: a small
    selection with some reads its documents to show that; a big one counts them (from
    `form.uneditable_files`, the few files with such findings) and says so in the header."""
    samples = form._samples
    broken = 0
    uneditable = form.uneditable_files() if form.uneditable_files is not None else None
    if isinstance(samples, LazySamples) and uneditable is not None:
        if uneditable:
            broken = _count_files(samples, uneditable)
        if broken and len(samples) <= READ_LIMIT:
            return False
    elif _has_uneditable(form, samples, uneditable):
        return False  # files the form cannot edit are skipped: that needs their documents
    _show_existing(form, samples, broken)
    form.banner.set_findings([])
    form._show_repair(None, None, force)
    form.fields_content.setEnabled(True)
    for spec, row in form._rows():
        row.show_state(column_state(*cells(spec.path)), force)
        row.set_findings([])
    form.other.hide()
    form.raw.show_document(None)
    form.tabs.setTabEnabled(form.tabs.indexOf(form.raw), False)
    return True


def _count_files(samples, rels: set[str]) -> int:
    """How many of a lazy selection's samples have one of these (few) metadata files."""
    if isinstance(samples, TableRows):
        mask = samples.mask()
        return sum(len(samples.rows_of_file(rel, mask)) for rel in rels)
    return samples.count_files(rels)


def _has_uneditable(form, samples, uneditable: set[str] | None = None) -> bool:
    """Whether files among `samples` have findings a bulk edit skips them for."""
    if uneditable is None and form.uneditable_files is not None:
        uneditable = form.uneditable_files()
    if isinstance(samples, LazySamples) and uneditable is not None:
        return bool(uneditable) and _count_files(samples, uneditable) > 0
    if form._findings_fn is None or (uneditable is not None and form._watch is not None
                                     and uneditable.isdisjoint(form._watch)):
        return False
    rels = {s.metadata_rel for s in samples}
    return any(f.code in UNEDITABLE for rel in rels for f in form._findings_fn(rel))


#: From this many samples (not table rows) the header's count of existing files is made in a worker.
COUNT_IN_WORKER = 5000


def _show_existing(form, samples, broken: int = 0) -> None:
    """The header for a selection not read: how many of its files exist, counted in a worker
    for table rows or many samples (100k samples to make and look up: 5 us each)."""
    index = form.ws.index
    if index is None or (not isinstance(samples, LazySamples) and len(samples) < COUNT_IN_WORKER):
        existing = sum(1 for s in samples if index.has_own_file(s)) if index is not None else 0
        form.header.show_many(samples, existing=existing, broken=broken)
        return
    # from the index's columns, at once (but for many frames)
    existing = samples.existing(index) if isinstance(samples, LazySamples) else None
    if existing is not None:
        form.header.show_many(samples, existing=existing, broken=broken)
        return
    form.header.show_many(samples, existing=None, broken=broken)
    def count(progress=None, cancel=None) -> int:
        n = 0
        for i, s in enumerate(samples):
            n += index.has_own_file(s)
            if i % 256 == 0:
                yield_gil()  # the GUI thread's paints call into Python: let them run
        return n

    task = start_task(count)
    task.succeeded.connect(lambda n: form.header.show_many(samples, existing=n, broken=broken)
                           if form._samples is samples else None)


def _wait_for_table(form) -> None:
    """The table is being (re)built: show the selection, fields disabled until its values are read;
    the window refreshes the form then (`waiting_for_table`)."""
    _show_reading(form)
    form.waiting_for_table = True


def _show_reading(form) -> None:
    """The selection in the header, its fields disabled while their values are read."""
    samples = form._samples
    _show_existing(form, samples)
    form.header.inherits.setText(f"Reading the values of the {len(samples):,} selected files…")
    form.banner.set_findings([])
    form._show_repair(None, None, False)
    form.fields_content.setEnabled(False)
    form.other.hide()
    form.raw.show_document(None)
    form.tabs.setTabEnabled(form.tabs.indexOf(form.raw), False)


def _read_in_worker(form, todo, force: bool) -> None:
    """A big selection the table cannot answer for (all of it, or `todo`, the samples that are
    no rows of it): their files are read in a worker without keeping them as documents, their
    cells joined with the table's; the fields are disabled until then."""
    from core.effective.readers import workspace_reader
    from core.effective.selection import cells_of_samples

    samples = form._samples
    partial = todo is not samples
    specs = [spec for spec, _row in form._rows()]
    read = workspace_reader(form.ws)
    _show_reading(form)

    def shown(result) -> None:
        if result is None or form._samples is not samples:
            return
        cells, skipped = result
        table = form.selection_cells(samples) if partial else None
        if partial and (table is None or len(table.rest) != len(todo)):
            form.refresh_selection()  # the table changed meanwhile: ask it again
            return
        if skipped:
            _show_existing(form, samples, skipped)
        form.header.inherits.setText(BULK_HINT)
        form.fields_content.setEnabled(skipped < len(samples))
        for spec, row in form._rows():
            values, sources, present = cells[spec.path]
            if table is not None:
                import numpy as np

                more = table(spec.path)
                values, sources, present = (np.concatenate([a, b]) for a, b in zip(more, cells[spec.path]))
            if len(sources):
                row.show_state(column_state(values, sources, present), force)

    def failed(message: str) -> None:
        if form._samples is samples:
            form.header.inherits.setText(f"The values of the selected files could not be read: {message}")

    task = form.bulk_read = start_task(lambda progress=None, cancel=None:
                                       cells_of_samples(read, todo, specs, cancel))
    task.succeeded.connect(lambda result: shown(result) if form.bulk_read is task else None)
    task.failed.connect(lambda message: failed(message) if form.bulk_read is task else None)


def cancel_read(form) -> None:
    """Stop reading the documents of a selection no longer shown (or shown again)."""
    if form.bulk_read is not None:
        form.bulk_read.cancel()
        form.bulk_read = None
