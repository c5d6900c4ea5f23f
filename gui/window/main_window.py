"""The editor window: composes the file tree, metadata form and schema panel, and wires them.

Features live in the panels; this class opens datasources, saves, tracks "modified"
and keeps the status bar. Modal questions go through small `ask_*` methods that tests
replace.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QWidget,
)

from core.format.samples import SampleRef, same_samples
from core.storage import is_url, location
from core.workspace import Workspace
from gui.common import settings
from gui.common.first_paint import AfterFirstPaint
from gui.common.icons import icon
from gui.common.workers import activity
from gui.common.workspace_signals import WorkspaceSignals
from gui.file_tree.panel import FileTreePanel
from gui.form.form import MetadataForm
from gui.media.views import MediaViews
from gui.schema.panel import SchemaPanel
from gui.session.findings_lookup import FindingsLookup
from gui.session.loader import DatasourceLoader
from gui.session.outside_changes import OutsideChanges
from gui.session.saver import CANCEL, DISCARD, OVERWRITE, RELOAD, SAVE, DocumentSaver
from gui.window.annotate_actions import AnnotateActions
from gui.window.dialogs import APP_TITLE, WindowDialogs
from gui.window.inspect_wiring import InspectPanels
from gui.window.layout import WindowLayout
from gui.window.menus import build_menus
from gui.window.status_bar import MainStatusBar, unsaved_text

#: Files changed in one event-loop turn whose tree rows are updated one by one (more: one repaint).
_ROW_REFRESHES = 50

__all__ = ["APP_TITLE", "CANCEL", "DISCARD", "OVERWRITE", "RELOAD", "SAVE", "MainWindow"]


class MainWindow(WindowLayout, WindowDialogs, QMainWindow):
    """One open datasource at a time; `open_datasource` swaps it (asking about unsaved edits)."""

    #: The datasource index is ready (the tree is filled; select_media works).
    loaded = Signal()
    #: A full validation pass has finished (findings are up to date).
    validated = Signal()
    #: Nothing is pending any more (scan, validation, table values, frame counts, writes, debounces).
    settled = Signal()

    def __init__(self, media_root: str | Path, lightly_root: str | Path | None = None,
                 parent: QWidget | None = None, *, remember: bool = True):
        """`remember=False` (screenshots) neither reads nor writes layout and recent folders."""
        super().__init__(parent)
        self.remember = remember
        self.setObjectName("mainWindow")
        QApplication.instance().setWindowIcon(icon("app"))  # every window and dialog of the program
        self.undo_group = QUndoGroup(self)
        self._after_paint = AfterFirstPaint(self)
        activity().settled.connect(self.settled)
        self.findings = FindingsLookup()
        self.workspace: Workspace | None = None
        self.loader: DatasourceLoader | None = None
        self.current_sample: SampleRef | None = None
        self.selected_samples: list[SampleRef] = []
        self.form = self.schema_panel = None

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.metadata_splitter = QSplitter(Qt.Orientation.Horizontal, self.tabs)
        self.metadata_splitter.setObjectName("metadataSplitter")
        self.metadata_splitter.setChildrenCollapsible(False)
        self.tabs.addTab(self.metadata_splitter, "Metadata")
        self.setCentralWidget(self.tabs)

        self.files = FileTreePanel(self)
        self.files.model.set_findings(self.findings)
        self.files_dock = self.add_dock(self.files, "Files", "filesDock",
                                        Qt.DockWidgetArea.LeftDockWidgetArea)
        self.files.sampleActivated.connect(self._show_sample)
        self.files.samplesSelected.connect(self._on_samples_selected)
        self.files.orphanActivated.connect(self._show_orphan)
        self.files.editRequested.connect(self.focus_form)

        self.status = MainStatusBar(self)
        self.setStatusBar(self.status)
        self.counts_label = self.status.counts_label
        self.menu_actions = build_menus(self)
        self.saver = DocumentSaver(self)
        self._keep_tab = False  # selecting from the Dataset tab keeps that tab
        self.inspect = InspectPanels(self)  # Dataset tab, Distribution and Problems docks, import/export
        self.annotate = AnnotateActions(self)  # Go menu, copy from previous, auto-save on leaving a file
        self.media = MediaViews(self)  # preview beside the form, video timeline under both
        self.media.attach(self)
        self.outside = OutsideChanges(self)  # files changed by other programs: reload or ask
        self._modified_timer = QTimer(self, singleShot=True, interval=25)  # walks every loaded file
        self._modified_timer.timeout.connect(self._update_modified)
        self._burst, self._burst_timer = 0, QTimer(self, singleShot=True, interval=0)
        self._burst_timer.timeout.connect(self._end_burst)
        self.setAcceptDrops(True)
        self._restore_layout()
        self._open(location(media_root), location(lightly_root) if lightly_root else None)

    # --- opening -----------------------------------------------------------------------------------
    def open_datasource(self, media_root: str | Path, lightly_root: str | Path | None = None) -> bool:
        """Open another datasource, asking first about unsaved changes; False if cancelled."""
        if not self.maybe_save("Open another datasource"):
            return False
        media = location(media_root)
        lightly = location(lightly_root) if lightly_root else None
        for folder in (media, lightly):  # a bucket is checked by the background scan
            if folder is not None and not is_url(folder) and not folder.is_dir():
                self.show_error("Cannot open the datasource", f"{folder} is not a folder.")
                return False
        self._open(media, lightly)
        return True

    def open_dialog(self) -> None:
        roots = self.ask_open_datasource()
        if roots is not None:
            self.open_datasource(*roots)

    def reload_datasource(self) -> None:
        if self.workspace is not None and self.maybe_save("Reload from disk"):
            self._open(self.workspace.media_root, self._lightly_arg())

    def _lightly_arg(self) -> Path | None:
        ws = self.workspace
        return None if ws.lightly_root == ws.media_root else ws.lightly_root

    def _open(self, media_root: Path, lightly_root: Path | None) -> None:
        self._close_session()
        self._close_accepted = False
        self.workspace = ws = Workspace(media_root, lightly_root)
        self.signals = WorkspaceSignals(ws, self)
        self.undo_stack = QUndoStack(self)
        self.undo_group.addStack(self.undo_stack)
        self.undo_group.setActiveStack(self.undo_stack)
        self.findings.replace_all(())
        self.files.set_index(None)
        self.files.model.set_document_lookup(ws.loaded_document)
        self.current_sample, self.selected_samples = None, []

        self.form = MetadataForm(ws, self.signals, self.undo_stack, self)
        self.form.set_findings(self.findings.for_rel)
        self.form.statusMessage.connect(self.show_status)
        self.metadata_splitter.insertWidget(0, self.form)
        self.metadata_splitter.setStretchFactor(0, 1)
        self.schema_panel = SchemaPanel(ws, self.signals, self.undo_stack, self)
        self.schema_panel.statusMessage.connect(self.show_status)
        self.schema_panel.saved.connect(self._on_schema_saved)
        self.tabs.insertTab(1, self.schema_panel, "Schema")
        self.tabs.setCurrentIndex(0)

        self.signals.documentChanged.connect(self._on_document_changed)
        for batch in (self.signals.documentsChanged, self.signals.documentsSaved):  # one repaint
            batch.connect(self._on_document_changed)
        self.signals.schemaChanged.connect(self._modified_timer.start)
        self.undo_stack.cleanChanged.connect(self._modified_timer.start)

        self.loader = DatasourceLoader(ws, parent=self)
        self.loader.indexReady.connect(self._on_index_ready)
        self.loader.findingsReady.connect(self._on_findings)
        self.loader.knownValuesReady.connect(lambda values: self.form.set_known_values(values))
        self.loader.frameCountsChanged.connect(self._on_frame_counts)
        self.loader.frameCountsChanged.connect(self.media.on_frame_counts)
        self.loader.progress.connect(self.status.show_progress)
        self.loader.busyChanged.connect(self.status.set_busy)
        self.loader.failed.connect(lambda msg: self.show_error("Cannot read the datasource", msg))
        self._update_title()
        self.status.set_counts(None)
        self.show_status(f"Scanning {media_root}…")
        if self.remember:
            settings.add_recent(str(media_root), str(lightly_root) if lightly_root else None)
        self.inspect.open_session()
        self.annotate.open_session()
        self.media.set_session(ws, self.undo_stack, self.findings.for_media, self.loader.update_index,
                               self.form.known.values_for)
        self.outside.open_session()
        self._after_paint.call(lambda loader=self.loader: loader.start() if loader is self.loader else None)

    def _close_session(self) -> None:
        self.inspect.close_session()
        self.outside.close_session()
        if self.loader is not None:
            self.loader.close()
            self.loader.deleteLater()
        for widget in (self.form, self.schema_panel):
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        if self.workspace is not None:
            self.undo_group.removeStack(self.undo_stack)
            self.undo_stack.deleteLater()
            self.signals.deleteLater()

    def is_busy(self) -> bool:
        """Whether background work is still pending; `settled` is emitted when it is not."""
        return activity().is_busy()

    # --- loading results ---------------------------------------------------------------------------
    @property
    def index(self):
        return self.loader.index if self.loader is not None else None

    def _on_index_ready(self, index) -> None:
        self.files.set_index(index)
        self.schema_panel.set_index(index)
        self.media.set_index(index)
        self._update_counts()
        if QApplication.focusWidget() is None:
            self.files.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.show_status(f"Opened {self.workspace.media_root}", 4000)
        self.loaded.emit()

    def focus_form(self) -> None:  # Enter in the tree
        self.tabs.setCurrentIndex(0)
        fields = self.form.findChildren(QWidget, QRegularExpression("^field:"))
        for editor in fields:
            if editor.isVisibleTo(self.form) and editor.isEnabled():
                editor.setFocus(Qt.FocusReason.TabFocusReason)
                return

    def _on_findings(self, findings: list) -> None:
        self.findings.replace_all(findings)
        self._findings_changed()
        self.validated.emit()

    def _findings_changed(self) -> None:
        self.files.refresh_all()
        self.form.set_findings(self.findings.for_rel)
        self.inspect.flush_findings()
        self.media.refresh_markers()
        self._update_counts()

    def _on_frame_counts(self, videos: list) -> None:
        for video in videos:
            self.files.model.refresh_video(video)
        n = len(videos)
        self.show_status(f"Frame counts confirmed by decoding: {n} video{'s' if n != 1 else ''} updated",
                         5000)

    def _update_counts(self) -> None:
        validated = self.loader is not None and self.loader.validated
        errors, warnings = self.findings.counts() if validated else (None, None)
        self.status.set_counts(self.index, errors, warnings)

    def problem_counts(self) -> tuple[int, int]:
        """(errors, warnings) as the window shows them (status bar, Problems list, tree badges)."""
        return self.findings.counts()

    def _on_schema_saved(self) -> None:
        """Every file's findings depend on the schema: validate all again (the views follow)."""
        self.loader.revalidate()
        self._modified_timer.start()

    # --- selection ---------------------------------------------------------------------------------
    def select_media(self, rel_path: str | Sequence[str], frame: int | None = None) -> None:
        """Select a media file (or frame `frame` of a video, or several paths) and show its form."""
        index = self.index
        if index is None:
            raise RuntimeError("the datasource is not loaded yet (wait for `loaded`)")
        paths = [rel_path] if isinstance(rel_path, str) else list(rel_path)
        self.select_samples([index.sample(p, frame) for p in paths])  # ValueError for unknown media

    def select_samples(self, samples: list[SampleRef], show_form: bool = True) -> None:
        """Select samples in the tree and the form (several: bulk edit); False keeps the current tab."""
        if not self.annotate.guard.may_leave(samples):  # saves the file left, or asks; False: stay
            return
        self._keep_tab = not show_form
        try:
            self.files.select_samples(samples)
            self._show_sample(samples[0])
            if len(samples) > 1:
                self.form.set_samples(samples)
        finally:
            self._keep_tab = False
        self.selected_samples = samples

    def _show_sample(self, sample: SampleRef) -> None:
        if not self.annotate.guard.may_leave([sample]):
            self.annotate.guard.keep_selection()
            return
        self.current_sample = sample
        if not self._keep_tab:
            self.tabs.setCurrentIndex(0)
        if self.form.samples() != [sample]:
            self.form.set_sample(sample)
        self.media.show_sample(sample)

    def _on_samples_selected(self, samples: list) -> None:
        """Several rows selected: the form edits them together; one row: just that one."""
        if samples and not self.annotate.guard.may_leave(samples):
            self.annotate.guard.keep_selection()
            return
        self.selected_samples = samples
        if len(samples) > 1 and not same_samples(self.form.samples(), samples):
            self.form.set_samples(samples)
        elif samples and self.form.samples() != samples:
            self._show_sample(samples[0])

    def _show_orphan(self, rel: str) -> None:
        if not self.annotate.guard.may_leave([]):
            self.annotate.guard.keep_selection()
            return
        self.current_sample = None
        self.form.set_sample(None)
        self.media.show_sample(None)
        self.show_status(f"{rel}: orphan metadata file — no media file matches it", 6000)

    # --- modified state ----------------------------------------------------------------------------
    def _on_document_changed(self, rel: str | list[str]) -> None:
        rels = [rel] if isinstance(rel, str) else rel  # a list: a batch (bulk edit, its undo, import)
        self.saver.note_changed_many(rels)
        self._burst += len(rels)  # a bulk edit or undo changes thousands of files in one event-loop turn
        sample = self.saver.sample_of(rels[0]) if self._burst <= _ROW_REFRESHES else None
        if sample is not None:
            self.files.refresh_sample(sample)
        self._burst_timer.start()
        self._modified_timer.start()

    def _end_burst(self) -> None:
        if self._burst > _ROW_REFRESHES:
            self.files.refresh_all()  # one repaint instead of a row update per file
        self._burst = 0

    def schema_changed(self) -> bool:
        ws = self.workspace
        return ws is not None and ws.schema_entries != ws.schema_file.entries

    def is_modified(self) -> bool:
        ws = self.workspace
        return ws is not None and (any(d.modified for d in ws.loaded()) or self.schema_changed())

    def unsaved_text(self) -> str:
        """"12 unsaved files, schema.json" — what the title and status bar show ("" when all saved)."""
        return unsaved_text(len(self.workspace.modified_documents()), self.schema_changed())

    def _update_modified(self) -> None:
        modified = self.is_modified()
        self.setWindowModified(modified)
        self.menu_actions.save_all.setEnabled(modified)
        self._update_title(False)

    def _update_title(self, modified: bool = True) -> None:
        name = self.workspace.media_root.resolve().name or str(self.workspace.media_root)
        unsaved = self.unsaved_text()
        self.setWindowTitle(f"{name}[*] — {unsaved + ' — ' if unsaved else ''}{APP_TITLE}")
        self.status.set_unsaved(unsaved)
        if modified:
            self._update_modified()

    # --- saving (DocumentSaver does the work) ------------------------------------------------------
    def save_current(self) -> bool:
        if self.tabs.currentWidget() is self.schema_panel:
            return self.saver.save_schema()
        if self.current_sample is None:
            self.show_status("Nothing selected to save", 3000)
            return True
        return self.saver.save_documents([self.workspace.document(self.current_sample)])

    def save_all(self) -> bool:
        ok = self.saver.save_documents(self.workspace.modified_documents())
        if ok and self.schema_changed():
            ok = self.saver.save_schema()
        return ok

    def maybe_save(self, action: str) -> bool:
        """Before closing or switching datasource: True when it is fine to go on."""
        if not self.is_modified():
            return True
        choice = self.ask_save_discard_cancel(action)
        if choice == SAVE:
            return self.save_all() and not self.is_modified()
        return choice == DISCARD

    # --- window events -----------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        if not self._close_accepted and not self.maybe_save("Close"):
            event.ignore()
            return
        self._close_accepted = True  # asked once: a second close (e.g. at exit) must not ask again
        self._save_layout()
        if self.loader is not None:
            self.loader.close()
        self.inspect.close_session()
        event.accept()
