"""The metadata form: one editor per schema field for the selected sample(s).

Reads documents from the Workspace, pushes every user edit onto the shared undo stack
as one command, and refreshes when WorkspaceSignals report a change to a file it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.format.findings import Finding
from core.format.keypath import MISSING
from core.format.naming import FRAME, METADATA_DIR
from core.format.samples import LazySamples, SampleRef
from core.format.value_types import format_value
from core.schema.entries import FieldSpec
from core.workspace import Document, Workspace
from gui.common.commands import DocumentsCommand, replace_data_command, set_value_command
from gui.common.workspace_signals import WorkspaceSignals
from gui.editors import look
from gui.form import bulk_writer
from gui.form.copy_previous import PreviousFile
from gui.form.field_row import RESET_SHORTCUT, FieldRow
from gui.form.fields_panel import FieldsPanel, FieldsScrollArea
from gui.form.findings_banner import FindingsBanner
from gui.form.form_keys import FormKeys
from gui.form.header import SampleHeader
from gui.form.known_values import KnownValues
from gui.form.other_data import extra_top_level, other_metadata, with_other
from gui.form.raw.other_metadata import OtherMetadataEditor
from gui.form.raw.raw_json import RawJsonView
from gui.form.raw.repair_panel import RepairPanel
from gui.form.row_state import single_state
from gui.form.selection import cancel_read, problem_of, refresh_bulk

FindingsFn = Callable[[str], list[Finding]]
FIELDS_TAB, RAW_TAB, REPAIR_TAB = 0, 1, 2
MAX_CONTENT_WIDTH = 880


class MetadataForm(QWidget):
    """Edit the schema fields and other keys of one sample, or of many at once (bulk)."""

    statusMessage = Signal(str)
    #: A field the user committed (schema path, value or MISSING), after its command was pushed.
    valueEdited = Signal(str, object)
    #: A bulk edit's write pass ended (gui.common.batch_write.RangeCommand: written, failed, cancelled).
    bulkWritten = Signal(object)

    def __init__(self, workspace: Workspace, signals: WorkspaceSignals, undo_stack: QUndoStack,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("metadataForm")
        self.ws, self.signals, self.undo_stack = workspace, signals, undo_stack
        self._samples: Sequence[SampleRef] = []
        self._watch: set[str] | None = set()  # None: every document (a selection of table rows)
        self._findings_fn: FindingsFn | None = None
        #: Set by the window: samples -> `cells(spec index)` giving (values, source names, present)
        #: arrays from the dataset table, or None when the table cannot answer (not read yet).
        self.selection_cells: Callable[[list[SampleRef]], Callable[[int], tuple] | None] | None = None
        #: Set by the window: the metadata files a bulk edit skips (findings such as invalid JSON).
        self.uneditable_files: Callable[[], set[str]] | None = None
        #: A big selection shown before the table could answer: refresh once it can.
        self.waiting_for_table = False
        #: Set by the window: whether the table will answer for a selection once it is done.
        self.table_pending: Callable[[], bool] | None = None
        self.bulk_read = None  # the worker reading a big selection the table cannot answer for
        self._refresh_timer = QTimer(self, singleShot=True, interval=0)
        self._refresh_timer.timeout.connect(self._refresh)
        self.known = KnownValues(workspace, self)
        self.known.changed.connect(self._apply_known_values)
        self.known.changed.connect(lambda: self.keys.refresh_hints())

        self.empty = QLabel("Select an image, video or frame in the file tree to edit its metadata.", self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.header = SampleHeader(self)
        self.banner = FindingsBanner(self)
        self.fields = FieldsPanel(self)
        self.other = OtherMetadataEditor(self)
        self.raw = RawJsonView(self)
        self.repair = RepairPanel(self)

        content = QWidget(self)
        content.setObjectName("fieldsContent")
        col = QVBoxLayout(content)
        col.setContentsMargins(8, 8, 8, 8)
        for w in (self.fields, self.other):
            w.setMaximumWidth(MAX_CONTENT_WIDTH)  # badges stay near their labels on wide windows
            col.addWidget(w)
        col.addStretch(1)
        self.scroll = FieldsScrollArea(self)  # never sideways: the form keeps the width its rows need
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(content)
        self.fields_content = content
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("metadataTabs")
        self.tabs.addTab(self.scroll, "Fields")
        self.tabs.addTab(self.raw, "Raw JSON")
        self.tabs.addTab(self.repair, "Repair")
        self.tabs.setTabVisible(REPAIR_TAB, False)

        page = QWidget(self)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.addWidget(self.header)
        lay.addWidget(self.banner)
        lay.addWidget(self.tabs, 1)
        self.keys = FormKeys(self)  # Enter moves on, Alt+1…9 picks values, field context menus
        lay.addWidget(self.keys.hint_line)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self.reset_action = QAction("Reset Field", self)
        self.reset_action.setObjectName("actionResetField")
        self.reset_action.setShortcut(QKeySequence(RESET_SHORTCUT))
        self.reset_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.reset_action.setToolTip(
            "Remove the focused field's key so the inherited or default value applies")
        self.reset_action.triggered.connect(self._reset_focused)
        self.addAction(self.reset_action)
        self.copier = PreviousFile(self)
        self.copy_field_action = self.copier.field_action()  # Ctrl+D in a field
        self.addAction(self.copy_field_action)
        #: Writes big bulk edits in a worker behind a progress dialog (tests may replace its dialog).
        self.bulk_writer = bulk_writer.BulkWriter(self)
        self.bulk_writer.undo_stack = undo_stack  # a bulk edit cancelled while reading is taken off it

        self.other.applyRequested.connect(self._apply_other)
        self.repair.applyRequested.connect(self._apply_repair)
        signals.documentChanged.connect(self._on_document_changed)
        signals.documentsChanged.connect(self._on_documents_changed)
        signals.documentsSaved.connect(self._on_documents_changed)  # the header says saved
        signals.schemaChanged.connect(self._on_schema_changed)
        self._build_fields()
        self._refresh()

    # --- public API ------------------------------------------------------------------
    def set_sample(self, sample: SampleRef | None) -> None:
        """Show `sample` (None: nothing selected). Uncommitted typing goes to the previous one."""
        self.set_samples([sample] if sample is not None else [])

    def set_samples(self, samples: Sequence[SampleRef]) -> None:
        """Show one sample, or edit several together (bulk edit).

        Rows of the dataset table or files of the tree (core.format.samples.LazySamples, 100k
        of them) are kept
        as they are: no SampleRef is made, and any change of a document refreshes the form."""
        self.commit_pending()
        self._samples = samples if isinstance(samples, LazySamples) else list(samples)
        self._watch = None if isinstance(samples, LazySamples) else set()
        for s in self._samples if self._watch is not None else ():
            self._watch.add(s.metadata_rel)
            if s.kind == FRAME:
                self._watch.add(s.video_sample.metadata_rel)
        self._refresh(force=True)

    def samples(self) -> Sequence[SampleRef]:
        """The samples shown (a list, or the table rows selected: do not modify)."""
        return self._samples if isinstance(self._samples, LazySamples) else list(self._samples)

    def set_findings(self, fn: FindingsFn | None) -> None:
        """`fn(metadata rel)` returns that file's findings (shown at the top and on fields)."""
        self._findings_fn = fn
        self.refresh_findings()

    def refresh_selection(self) -> None:
        """Show the selected samples again (e.g. once the dataset table can answer for them)."""
        self._refresh(force=True)

    def refresh_findings(self) -> None:
        if len(self._samples) == 1:
            self._show_findings(self.ws.document(self._samples[0]))

    def set_known_values(self, values: dict[str, list]) -> None:
        """Values already used in the dataset per schema path (offered by categorical editors)."""
        self.known.set_values(values)

    def collect_known_values(self) -> None:
        """Collect the values used per path from the files in the background (needs the index).

        For use without a caller that provides them through `set_known_values`.
        """
        self.known.ensure_started()

    def editor(self, path: str) -> QWidget | None:
        row = self.fields.rows.get(path)
        return row.editor if row else None

    def row(self, path: str) -> FieldRow | None:
        return self.fields.rows.get(path)

    def commit_pending(self) -> bool:
        """Commit what the user typed but has not committed; False if something did not fit."""
        ok = True
        for row in self.fields.rows.values():
            if row.editor.is_dirty() and not row.editor.commit_pending():
                ok = False
                self.statusMessage.emit(f"{row.spec.label}: not saved — {row.editor.error()}")
        return ok

    # --- building and refreshing ----------------------------------------------------------
    def _build_fields(self) -> None:
        focused = self._focused_row()
        self.fields.build(self.ws.specs)
        for row in self.fields.rows.values():
            row.editor.edited.connect(partial(self._on_edited, row.spec))
            row.resetRequested.connect(partial(self._on_reset, row.spec))
        self._apply_known_values()
        chain = self.fields.editors() + [self.other.text, self.other.extra_text,
                                         self.other.revert_button, self.other.apply_button]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)
        self.keys.attach(self.fields.rows)
        if focused is not None and focused.spec.path in self.fields.rows:
            self.fields.rows[focused.spec.path].editor.setFocus()

    def _refresh(self, force: bool = False) -> None:
        cancel_read(self)
        if not self._samples:
            self.stack.setCurrentIndex(0)
            return
        self.stack.setCurrentIndex(1)
        if len(self._samples) == 1:
            self._refresh_single(self._samples[0], force)
        else:
            self._refresh_bulk(force)

    def _refresh_single(self, sample: SampleRef, force: bool) -> None:
        doc = self.ws.document(sample)
        vdoc = self.ws.document(sample.video_sample) if sample.kind == FRAME else None
        self.header.show_sample(sample, doc, vdoc)
        problem = problem_of(doc)
        self._show_repair(doc, problem, force)
        own = None if problem else doc.data
        video_data = vdoc.data if vdoc is not None and problem_of(vdoc) is None else None
        video_rel = f"{METADATA_DIR}/{vdoc.rel}" if vdoc is not None else None
        for spec, row in self._rows():
            row.show_state(single_state(spec, own, video_data, video_rel), force)
        self._show_findings(doc)
        self.other.show()
        if problem is None:
            specs = self.ws.specs
            self.other.set_content(other_metadata(doc.data, specs), extra_top_level(doc.data), force)
        self.raw.show_document(doc, f"{METADATA_DIR}/{doc.rel}")
        self.tabs.setTabEnabled(RAW_TAB, True)

    def _refresh_bulk(self, force: bool) -> None:
        refresh_bulk(self, force)

    def _show_repair(self, doc: Document | None, problem, force: bool) -> None:
        was_visible = self.tabs.isTabVisible(REPAIR_TAB)
        self.tabs.setTabVisible(REPAIR_TAB, problem is not None)
        self.fields_content.setEnabled(problem is None)
        if problem is not None:
            message, text, line, column = problem
            self.repair.show_problem(doc.rel, message, text, line, column)
            if force or not was_visible:
                self.tabs.setCurrentIndex(REPAIR_TAB)
        elif was_visible or self.tabs.currentIndex() == REPAIR_TAB:
            self.tabs.setCurrentIndex(FIELDS_TAB)

    def _show_findings(self, doc: Document) -> None:
        findings = list(self._findings_fn(doc.rel)) if self._findings_fn else []
        self.banner.set_findings(findings)
        by_path: dict[str, list[tuple[str, str]]] = {}
        for f in findings:
            if f.code == "value-type" and f.path:
                by_path.setdefault(f.path, []).append((f.severity, f.message))
        for spec, row in self._rows():
            # Findings may come from the last validation run: only trust them while still invalid.
            still_bad = row.source == look.INVALID
            row.set_findings(by_path.get(spec.path, []) if still_bad else [])

    def _rows(self) -> list[tuple[FieldSpec, FieldRow]]:
        return [(row.spec, row) for row in self.fields.rows.values()]

    def _apply_known_values(self) -> None:
        for row in self.fields.rows.values():
            row.editor.set_known_values(self.known.values_for(row.spec))

    # --- signals from the workspace ---------------------------------------------------------
    def _on_document_changed(self, rel: str) -> None:
        if self._watch is not None and rel not in self._watch:
            return
        if len(self._samples) > 1:
            # A bulk command changes many files, and a worker then saves them one by one:
            # refresh once, after the last change of a burst (restarting the timer each time).
            self._refresh_timer.setInterval(0 if len(self._samples) < 200 else 300)
            self._refresh_timer.start()
        else:
            self._refresh()

    def _on_documents_changed(self, rels: list[str]) -> None:
        if self._watch is None or not self._watch.isdisjoint(rels):
            self._on_document_changed(next(r for r in rels if self._watch is None or r in self._watch))

    def _on_schema_changed(self) -> None:
        self._build_fields()
        self.known.recompute()
        self._refresh(force=True)

    # --- user edits -----------------------------------------------------------------------
    def _on_edited(self, spec: FieldSpec, value: Any) -> None:
        if not self._samples:
            return
        if len(self._samples) > 1:
            verb = "Reset" if value is MISSING else "Set"
            self._write_bulk(spec, value, f"{verb} {spec.label} on {len(self._samples):,} files")
        else:
            sample = self._samples[0]
            if problem_of(self.ws.document(sample)) is not None:
                return
            self.undo_stack.push(set_value_command(self.ws, sample, spec.path, value, spec.label))
            if value is MISSING:
                self.statusMessage.emit(f"Reset {spec.label}: the inherited or default value applies")
            else:
                self.statusMessage.emit(f"Set {spec.label} = {format_value(value)} (not saved yet)")
        self.known.add(spec.path, value)
        self.valueEdited.emit(spec.path, value)

    def _on_reset(self, spec: FieldSpec) -> None:
        self._on_edited(spec, MISSING)

    def _reset_focused(self) -> None:
        row = self._focused_row()
        if row is not None and row.reset_button.isEnabled():
            row.editor.revert()
            self._on_reset(row.spec)

    def _focused_row(self) -> FieldRow | None:
        fw = QApplication.focusWidget()
        for row in self.fields.rows.values():
            if fw is not None and (fw is row.editor or row.editor.isAncestorOf(fw)):
                return row
        return None

    def _write_bulk(self, spec: FieldSpec, value: Any, text: str) -> None:
        """One undo step over every selected file; many files are written behind a progress dialog."""
        cmd = bulk_writer.bulk_edit_command(self.ws, self._samples, {spec.path: value}, text,
                                            self.bulk_writer, editable=lambda doc: problem_of(doc) is None)
        cmd.on_written = lambda c: (self.statusMessage.emit(bulk_writer.bulk_summary(c)),
                                    self.bulkWritten.emit(c))
        self.undo_stack.push(cmd)

    def _apply_other(self, other: dict, extra: dict | None) -> None:
        if len(self._samples) != 1:
            return
        sample = self._samples[0]
        doc = self.ws.document(sample)
        if problem_of(doc) is not None:
            return
        data = with_other(doc.data, sample, self.ws.specs, other, extra)
        if data == doc.data:
            return
        self.undo_stack.push(replace_data_command(self.ws, sample, data, "Edit other metadata"))
        self.statusMessage.emit("Applied other metadata (not saved yet)")

    def _apply_repair(self, text: str) -> None:
        if len(self._samples) != 1:
            return
        sample = self._samples[0]
        ws = self.ws
        cmd = DocumentsCommand(ws, [sample], lambda: ws.replace_text(sample, text), "Repair JSON")
        self.undo_stack.push(cmd)
        if problem_of(ws.document(sample)) is None:
            self.statusMessage.emit("Repaired the JSON (not saved yet)")
        else:
            self.statusMessage.emit("The JSON parses, but the form still cannot edit it: see the Repair tab")
