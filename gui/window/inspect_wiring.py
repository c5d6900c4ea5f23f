"""The window's dataset-inspection parts: the Dataset tab, the Distribution and Problems docks,
CSV import and export of effective values — created here and wired to the editor window.

The docks live as long as the window; the Dataset tab is made per open datasource (it
holds that datasource's workspace and undo stack), like the form and the schema panel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QVBoxLayout, QWidget

from core.format.samples import SampleRef
from gui.form.selection import UNEDITABLE
from gui.problems.panel import ProblemsPanel
from gui.window.problem_actions import ProblemActions

if TYPE_CHECKING:  # numpy, pyqtgraph and the table load when first needed, after the first paint
    from gui.csv_import.dialog import ImportDialog
    from gui.dataset.distribution import DistributionView
    from gui.dataset.panel import DatasetPanel

#: Above this many files changed at once, the problems list is rebuilt instead of patched.
_PATCH_LIMIT = 200
#: A table selection up to this size is mirrored into the file tree too (larger: the form only).
TREE_LIMIT = 2000
DATASET_TAB = 2


class InspectPanels(QObject):
    """Created by the MainWindow once; `open_session`/`close_session` follow the open datasource."""

    def __init__(self, window):
        super().__init__(window)
        self.w = window
        self.dataset: DatasetPanel | None = None
        self._placeholder: QWidget | None = None
        self._changed: set[str] | None = set()  # None: everything changed
        self._flush_timer = QTimer(self, singleShot=True, interval=0)
        self._flush_timer.timeout.connect(self.flush_findings)
        self._selection = QTimer(self, singleShot=True, interval=150)  # selection drags end first
        self._selection.timeout.connect(self._mirror_selection)
        self._pending_selection: list[SampleRef] = []

        right, bottom = Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea
        self._distribution: DistributionView | None = None  # pyqtgraph: made when first shown
        self._distribution_holder = QWidget(window)
        QVBoxLayout(self._distribution_holder).setContentsMargins(0, 0, 0, 0)
        holder = self._distribution_holder
        self.distribution_dock = window.add_dock(holder, "Distribution", "distributionDock", right)
        self.distribution_dock.visibilityChanged.connect(lambda on: on and self.distribution)
        self.distribution_dock.setToolTip("How the values of one field are spread over the rows"
                                          " shown in the Dataset tab; click a bar to filter the table")
        self.problems = ProblemsPanel(window)
        self.problems_dock = window.add_dock(self.problems, "Problems", "problemsDock", bottom)
        window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self._distribution_wanted = True
        self.distribution_dock.toggleViewAction().triggered.connect(self._on_distribution_toggled)
        self.distribution_dock.installEventFilter(self)

        self.actions = ProblemActions(window, self.problems)
        self.problems.findingActivated.connect(self.actions.go_to_finding)
        self.problems.fileActivated.connect(self.actions.go_to_file)
        self.problems.fixRequested.connect(self.actions.fix)
        self.problems.countsChanged.connect(self._update_dock_title)
        window.findings.add_listener(self._on_findings_replaced)
        window.status.problemsRequested.connect(self.show_problems)
        window.tabs.currentChanged.connect(self._on_tab_changed)
        self._add_actions()

    @property
    def distribution(self) -> DistributionView:
        """The Distribution dock's chart, created (importing pyqtgraph) on first use."""
        if self._distribution is None:
            from gui.dataset.distribution import DistributionView

            self._distribution = DistributionView(self._distribution_holder)
            self._distribution_holder.layout().addWidget(self._distribution)
            if self.dataset is not None:
                self.dataset.connect_distribution(self._distribution)
        return self._distribution

    def _add_actions(self) -> None:
        w, menus = self.w, self.w.menu_actions.menus

        def action(name: str, text: str, slot, shortcut=None, tip: str = "") -> QAction:
            act = QAction(text, w)
            act.setObjectName(name)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            act.setStatusTip(tip)
            act.triggered.connect(lambda _checked=False: slot())
            return act

        self.import_action = action("actionImportCsv", "&Import CSV…", self.import_csv, None,
                                    "Set values from a CSV file (a report first, then one undoable step)")
        self.export_action = action("actionExportValues", "&Export Effective Values…", self.export_values,
                                    None, "Write the values of the rows the Dataset tab shows to CSV or JSON")
        file_menu = menus["file"]
        before = w.menu_actions.reload
        file_menu.insertAction(before, self.import_action)
        file_menu.insertAction(before, self.export_action)
        file_menu.insertSeparator(before)
        self.dataset_tab_action = action("actionShowDataset", "&Dataset Tab", self.show_dataset, "Ctrl+3",
                                         "Every image, video and frame with its effective values")
        view = menus["view"]
        focus_form = next((a for a in view.actions() if a.objectName() == "actionFocusForm"), None)
        view.insertAction(focus_form, self.dataset_tab_action)
        for act in (self.import_action, self.export_action):
            act.setEnabled(False)

    def default_layout(self) -> None:
        """First start (no saved layout): docks at a size that leaves the centre room."""
        w = self.w
        w.resizeDocks([self.distribution_dock], [330], Qt.Orientation.Horizontal)
        w.resizeDocks([self.problems_dock], [170], Qt.Orientation.Vertical)

    # --- one datasource ---------------------------------------------------------------------
    def open_session(self) -> None:
        """Called by the window once the workspace, undo stack and loader of a datasource exist.

        The Dataset tab starts as a placeholder: the table (numpy) is made once the index is
        ready or the tab is chosen, so nothing heavy loads before the window first paints.
        """
        w = self.w
        self._placeholder = QWidget(w)
        w.tabs.insertTab(DATASET_TAB, self._placeholder, "Dataset")
        w.tabs.setTabToolTip(DATASET_TAB, "Every image, video and frame with the values Lightly will use"
                             " (Ctrl+3)")
        self.problems.set_index(None)
        w.loader.indexReady.connect(self._on_index_ready)
        w.form.selection_cells = self.selection_cells
        w.form.table_pending = self.table_pending
        w.form.uneditable_files = lambda: w.findings.files_with(UNEDITABLE)
        self._sync_distribution()

    def ensure_dataset(self) -> DatasetPanel:
        """The Dataset tab's panel, created on first need."""
        if self.dataset is not None:
            return self.dataset
        from gui.dataset.panel import DatasetPanel

        w = self.w
        panel = self.dataset = DatasetPanel(w.workspace, w.signals, w.undo_stack, w)
        current = w.tabs.currentWidget() is self._placeholder
        w.tabs.blockSignals(True)
        w.tabs.removeTab(DATASET_TAB)
        w.tabs.insertTab(DATASET_TAB, panel, "Dataset")
        w.tabs.setTabToolTip(DATASET_TAB, "Every image, video and frame with the values Lightly will use"
                             " (Ctrl+3)")
        if current:
            w.tabs.setCurrentWidget(panel)
        w.tabs.blockSignals(False)
        self._placeholder.deleteLater()
        self._placeholder = None
        if self._distribution is not None:
            panel.connect_distribution(self._distribution)
        panel.visibleRowsChanged.connect(self._refresh_waiting_form)
        panel.model.updatesApplied.connect(self._refresh_waiting_form)
        panel.sampleActivated.connect(self._on_row_activated)
        panel.samplesSelected.connect(self._on_rows_selected)
        panel.statusMessage.connect(lambda text: w.show_status(text, 6000))
        panel.ask_export_path = lambda: self.ask_export_path()
        w.loader.frameCountsChanged.connect(lambda _videos: panel.rebuild())
        if w.index is not None:
            panel.set_index(w.index)
        self._sync_distribution()
        return panel

    def close_session(self) -> None:
        panel, self.dataset = self.dataset, None
        placeholder, self._placeholder = self._placeholder, None
        if placeholder is not None:
            placeholder.hide()
            placeholder.setParent(None)
            placeholder.deleteLater()
        self._selection.stop()
        self._pending_selection = []
        for act in (self.import_action, self.export_action):
            act.setEnabled(False)
        if panel is None:
            return
        panel.shutdown()
        if self._distribution is not None:
            self._distribution.set_provider(None)
            self._distribution.set_specs(())
        panel.hide()
        panel.setParent(None)
        panel.deleteLater()

    def _on_index_ready(self, index) -> None:
        self.problems.set_index(index)
        if self.dataset is None:
            self.ensure_dataset()  # sets the index
        else:
            self.dataset.set_index(index)
        for act in (self.import_action, self.export_action):
            act.setEnabled(True)

    # --- findings -----------------------------------------------------------------------------
    def _on_findings_replaced(self, rel: str | None) -> None:
        if rel is None:
            self._changed = None
        elif self._changed is not None:
            self._changed.add(rel)
        self._flush_timer.start()

    def flush_findings(self) -> None:
        """Bring the problems list up to date with the window's findings (one file or all)."""
        changed, self._changed = self._changed, set()
        self._flush_timer.stop()
        lookup = self.w.findings
        if changed is None or len(changed) > _PATCH_LIMIT:
            self.problems.set_findings(lookup.all())
        else:
            for rel in sorted(changed):
                self.problems.update_file(rel, lookup.for_rel(rel))

    def _update_dock_title(self, errors: int, warnings: int) -> None:
        total = errors + warnings
        self.problems_dock.setWindowTitle(f"Problems ({total})" if total else "Problems")

    def show_problems(self) -> None:
        self.problems_dock.show()
        self.problems_dock.raise_()
        self.problems.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- the Dataset tab ------------------------------------------------------------------------
    def show_dataset(self) -> None:
        panel = self.ensure_dataset()
        self.w.tabs.setCurrentWidget(panel)
        panel.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_row_activated(self, sample: SampleRef) -> None:
        """Double-click / Enter on a row: open it in the form (all selected rows when it is one of them)."""
        selected = self._pending_selection if sample in self._pending_selection else [sample]
        self._selection.stop()
        self._select([sample] + [s for s in selected if s != sample], show_form=True)

    def _on_rows_selected(self, samples: list) -> None:
        self._pending_selection = samples  # 100k rows: a TableRows, no SampleRef made yet
        self._selection.start()

    def _mirror_selection(self) -> None:
        """Several table rows selected: the form (and tree) select them too, for a bulk edit; same tab."""
        if len(self._pending_selection) > 1:
            self._select(self._pending_selection, show_form=False)

    def _select(self, samples: list[SampleRef], show_form: bool) -> None:
        w = self.w
        if len(samples) <= TREE_LIMIT:
            w.select_samples(samples, show_form)
            return
        # Too many rows to highlight in the tree quickly: it shows none, the form edits them all.
        w.files.view.clearSelection()
        w.current_sample, w.selected_samples = samples[0], samples
        w.form.set_samples(samples)
        if show_form:
            w.tabs.setCurrentIndex(0)
        w.show_status(f"{len(samples):,} rows of the Dataset tab selected: the form edits them together",
                      6000)

    def _ensure_if_chosen(self) -> None:
        if self.dataset is None and self._placeholder is not None \
                and self.w.tabs.currentWidget() is self._placeholder:
            self.ensure_dataset()

    def selection_cells(self, samples: list[SampleRef]):
        """For the form's bulk state: `cells(schema path)` -> (values, source names, present) of
        `samples` from the dataset table (core.effective.selection.TableCells: `cells.rest`, those
        that are no rows of it), or None while the table cannot answer."""
        panel = self.dataset
        table = panel.model.table if panel is not None else None
        if table is None or not panel.is_ready() or table.specs != tuple(self.w.workspace.specs):
            return None
        if self.w.form.bulk_writer.busy():  # a worker is changing documents: the table hears of it after
            return None
        from core.effective.selection import TableCells, split_rows
        from gui.form.row_state import MIXED_AFTER

        rows, rest = split_rows(table, samples)
        return TableCells(table, rows, rest, MIXED_AFTER)

    def table_pending(self) -> bool:
        """Whether `selection_cells` may answer later: the table's values are being (re)read, or a
        bulk write is changing documents. Else the form reads what the table cannot answer."""
        panel = self.dataset
        return self.w.form.bulk_writer.busy() or (panel is not None and not panel.is_ready())

    def _refresh_waiting_form(self) -> None:
        form, panel = self.w.form, self.dataset
        if form is not None and form.waiting_for_table and panel is not None and panel.is_ready():
            form.waiting_for_table = False
            form.refresh_selection()

    def _on_tab_changed(self, _index: int) -> None:
        if self.dataset is None and self.w.tabs.currentWidget() is self._placeholder:
            self.w._after_paint.call(self._ensure_if_chosen)
        self._sync_distribution()

    # --- the Distribution dock follows the Dataset tab -----------------------------------------
    def _on_distribution_toggled(self, checked: bool) -> None:
        self._distribution_wanted = checked

    def eventFilter(self, watched, event) -> bool:
        if watched is self.distribution_dock and event.type() == QEvent.Type.Close:
            self._distribution_wanted = False  # closed with its own button
        return super().eventFilter(watched, event)

    def _sync_distribution(self) -> None:
        """Shown while the Dataset tab is (its charts are about the table's rows), unless closed."""
        on_table = self.dataset is not None and self.w.tabs.currentWidget() is self.dataset
        dock = self.distribution_dock
        if not dock.isFloating():
            dock.setVisible(on_table and self._distribution_wanted)

    # --- import and export ------------------------------------------------------------------------
    def import_csv(self) -> None:
        from gui.csv_import.dialog import ImportDialog

        w = self.w
        if w.index is None:
            return
        dialog = ImportDialog(w.workspace, w.index, w.undo_stack, w)
        dialog.applied.connect(lambda n: w.show_status(
            f"Imported values into {n} files: not saved yet (Save All writes them)", 8000))
        try:
            self.run_import_dialog(dialog)
        finally:
            dialog.deleteLater()

    def export_values(self) -> None:
        if self.dataset is None:
            return
        if not self.dataset.is_ready():
            self.w.show_status("The Dataset tab is still reading values; export when it is done", 5000)
            return
        self.show_dataset()
        self.dataset.export_visible()

    # --- dialogs (replaced in tests) ----------------------------------------------------------------
    def run_import_dialog(self, dialog: ImportDialog) -> None:
        dialog.exec()

    def ask_export_path(self) -> str | None:
        from PySide6.QtWidgets import QFileDialog

        name = f"{self.w.workspace.media_root.resolve().name or 'dataset'}-effective-values.csv"
        start = str(self.w.workspace.media_root.parent / name)
        path, _ = QFileDialog.getSaveFileName(self.w, "Export the rows shown", start,
                                              "CSV (*.csv);;JSON (*.json)")
        return path or None
