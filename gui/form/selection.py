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
from core.format.value_types import describe
from core.workspace import Document
from gui.common.workers import start_task
from gui.form.raw.repair_panel import error_text
from gui.form.row_state import bulk_state, column_state, single_state

#: Above this many selected files the form waits for the dataset table instead of reading them.
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
    """The form's fields for several samples: from the table's columns when it can answer,
    else from every document (read on this thread)."""
    cells = form.selection_cells(form._samples) if form.selection_cells is not None else None
    form.waiting_for_table = False
    if cells is not None and _refresh_from_cells(form, cells, force):
        return
    if cells is None and form.selection_cells is not None and len(form._samples) > READ_LIMIT:
        _wait_for_table(form)  # reading thousands of documents here would freeze the window
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
    if isinstance(samples, TableRows) and uneditable is not None:
        if uneditable:
            mask = samples.mask()
            broken = sum(len(samples.rows_of_file(rel, mask)) for rel in uneditable)
        if broken and len(samples) <= READ_LIMIT:
            return False
    elif form._findings_fn is not None and (uneditable is None or form._watch is None
                                            or not uneditable.isdisjoint(form._watch)):
        rels = {s.metadata_rel for s in samples}
        if any(f.code in UNEDITABLE for rel in rels for f in form._findings_fn(rel)):
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


#: From this many samples (not table rows) the header's count of existing files is made in a worker.
COUNT_IN_WORKER = 5000


def _show_existing(form, samples, broken: int = 0) -> None:
    """The header for a selection not read: how many of its files exist, counted in a worker
    for table rows or many samples (100k samples to make and look up: 5 us each)."""
    index = form.ws.index
    if index is None or (not isinstance(samples, TableRows) and len(samples) < COUNT_IN_WORKER):
        existing = sum(1 for s in samples if index.has_own_file(s)) if index is not None else 0
        form.header.show_many(samples, existing=existing, broken=broken)
        return
    # from the index's columns, at once (but for many frames)
    existing = samples.existing(index) if isinstance(samples, TableRows) else None
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
    samples = form._samples
    _show_existing(form, samples)
    form.header.inherits.setText("Reading the values of the selected files…")
    form.banner.set_findings([])
    form._show_repair(None, None, False)
    form.fields_content.setEnabled(False)
    form.other.hide()
    form.raw.show_document(None)
    form.tabs.setTabEnabled(form.tabs.indexOf(form.raw), False)
    form.waiting_for_table = True
