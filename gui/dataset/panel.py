"""The "Dataset" tab: every sample's effective values in one sortable, filterable table.

The table shows as soon as the index is known (values fill in from a background task),
follows every edit through `documentChanged(s)`, rebuilds when the schema changes or "Show
frames" is toggled. Filters: the quick box (file names and values), per-column menus
(header right-click or "Filter"), cell menus, the distribution view.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QElapsedTimer, QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.csv_io import export
from core.effective.query import warm_text_codes
from core.effective.selection import TableRows, rows_of_ranges
from core.effective.table import SOURCES_BY_CODE, TYPE, EffectiveTable, file_reader
from core.format.naming import FRAME
from core.format.samples import SampleRef
from core.workspace import Workspace
from gui.common import settings
from gui.common.workers import Debouncer, Task, start_task
from gui.common.workspace_signals import WorkspaceSignals
from gui.dataset.filter_chips import FilterChips
from gui.dataset.frozen_column import DatasetView, FrozenColumn
from gui.dataset.legend import SourceLegend
from gui.dataset.menus import fill_cell_menu, fill_column_menu
from gui.dataset.model import FIXED_COLUMNS, EffectiveTableModel
from gui.dataset.proxy import DatasetProxy
from gui.dataset.widths import SAMPLE_ROWS, fit_columns


class DatasetPanel(QWidget):
    sampleActivated = Signal(object)  # SampleRef: open it in the metadata form
    samplesSelected = Signal(object)  # core.effective.selection.TableRows: a Sequence of SampleRef
    visibleRowsChanged = Signal()  # filter, sort, rebuild, or visible values edited
    columnSelected = Signal(str)  # schema path of the current cell's column
    tableRebuilt = Signal()  # a new table (schema or frames changed); values may still be filling
    statusMessage = Signal(str)

    def __init__(self, workspace: Workspace, signals: WorkspaceSignals, undo_stack: QUndoStack,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ws, self.signals = workspace, signals
        self.index = None
        self._task: Task | None = None
        self._shown = QElapsedTimer()
        self.model = EffectiveTableModel(workspace, signals, undo_stack, self)
        self.proxy = DatasetProxy(self)
        self.proxy.setSourceModel(self.model)
        self._build_ui()
        self._filter_debounce = Debouncer(self._apply_text_filter, 250, self)
        self._values_debounce = Debouncer(self.visibleRowsChanged.emit, 150, self)
        self._schema_debounce = Debouncer(self.rebuild, 300, self)
        self.proxy.visibleRowsChanged.connect(self._on_visible_rows)
        self.proxy.filtersChanged.connect(self._update_chips)
        self.model.rowsUpdated.connect(lambda *_: self._values_debounce.trigger())
        self.model.editRejected.connect(lambda text: self.show_message("Value not accepted", text))
        signals.schemaChanged.connect(self._schema_debounce.trigger)

    def _build_ui(self) -> None:
        self.filter_box = QLineEdit()
        self.filter_box.setObjectName("datasetFilter")
        self.filter_box.setPlaceholderText("Filter rows by file name or value…")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(lambda _: self._filter_debounce.trigger())
        self.filter_button = QToolButton()
        self.filter_button.setText("Filter")
        self.filter_button.setToolTip("Filter by a column's value, range or source (default, inherited…)")
        self.filter_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.filter_menu = QMenu(self.filter_button)
        self.filter_menu.aboutToShow.connect(self._fill_filter_menu)
        self.filter_button.setMenu(self.filter_menu)
        self.frames_box = QCheckBox("Show frames")
        self.frames_box.setToolTip("Add a row for every frame of every video"
                                   " (values inherited from the video)")
        self.frames_box.setChecked(settings.get("view/show_frames"))
        self.frames_box.toggled.connect(self._on_frames_toggled)
        self.count_label = QLabel()
        self.count_label.setObjectName("datasetRowCount")
        self.export_button = QPushButton("Export visible…")
        self.export_button.setToolTip("Write the effective values of the rows shown to CSV or JSON")
        self.export_button.clicked.connect(self.export_visible)
        bar = QHBoxLayout()
        for widget, stretch in ((self.filter_box, 1), (self.filter_button, 0), (self.frames_box, 0),
                                (self.count_label, 0), (self.export_button, 0)):
            bar.addWidget(widget, stretch)
        self.chips = FilterChips()
        self.chips.removeRequested.connect(self.proxy.remove_filter)
        self.chips.clearRequested.connect(self.clear_filters)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setMaximumHeight(16)
        self.progress.setVisible(False)
        self.view = DatasetView()  # file names stay in sight when scrolling sideways
        self.view.setObjectName("effectiveTable")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 6)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(SAMPLE_ROWS)  # a double-click on a divider samples too
        header.setHighlightSections(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._cell_menu)
        self.view.activated.connect(self._on_activated)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.view.selectionModel().currentColumnChanged.connect(self._on_current_column)
        self.frozen = FrozenColumn(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(bar)
        for widget, stretch in ((self.chips, 0), (self.progress, 0), (self.view, 1), (SourceLegend(), 0)):
            layout.addWidget(widget, stretch)
        self._update_count()

    # --- building ----------------------------------------------------------------------
    def set_index(self, index) -> None:
        """Show the datasource `index` (a core DatasourceIndex); None empties the table."""
        self.index = index
        self.rebuild()

    def rebuild(self) -> None:
        """Rows at once from the index; values read by a background task (after a schema change too)."""
        self.shutdown()  # a fill still running is for the old table
        if self.index is None:
            self.model.set_table(None)
            self.tableRebuilt.emit()
            return
        frames = self.frames_box.isChecked()
        table = EffectiveTable(self.index, self.ws.specs, frames, file_reader(self.index))
        self.model.set_table(table)
        self._fit_columns()
        self.export_button.setEnabled(False)
        self.progress.setRange(0, max(1, len(table.media)))
        self.progress.setValue(0)
        self.progress.setFormat("Reading values… %p%")
        self.progress.setVisible(True)
        self.tableRebuilt.emit()
        connected = threading.Event()  # no signal may be emitted before it is connected

        def fill(progress, cancel):
            connected.wait()
            table.fill(progress, cancel)
            warm_text_codes(table, cancel)  # so the first quick-filter keystroke is fast too

        task = start_task(fill)
        self._task = task
        task.progressed.connect(lambda done, total, _label, t=task: self._on_progress(t, done))
        task.succeeded.connect(lambda _result, t=task: self._on_filled(t))
        task.failed.connect(lambda message, t=task: self._on_failed(t, message))
        connected.set()

    def is_ready(self) -> bool:
        """Whether the table is complete (values read, filters and sort applied, edits applied)."""
        return self.model.up_to_date() and self._task is None

    def _on_progress(self, task: Task, done: int) -> None:
        if task is self._task and (not self._shown.isValid() or self._shown.elapsed() >= 250):
            self._shown.start()  # a few repaints a second: each one calls data() for every cell shown
            self.progress.setValue(done)
            self.model.refresh_loaded(0, self.model.rowCount() - 1)

    def _on_filled(self, task: Task) -> None:
        if task is not self._task:
            return
        self._task = None
        self.progress.setVisible(False)
        self.export_button.setEnabled(True)
        for doc in self.ws.loaded():  # edits made before or while the table was built
            if doc.modified:
                self.model.on_document_changed(doc.rel)
        self.model.table_complete()
        self.proxy.source_complete()
        self._fit_columns()
        self._update_count()
        self.visibleRowsChanged.emit()

    def _on_failed(self, task: Task, message: str) -> None:
        if task is self._task:
            self._task = None
            self.progress.setFormat(f"Could not read the values: {message}")

    def _fit_columns(self) -> None:
        fit_columns(self.view, self.model.columnCount())

    def _on_frames_toggled(self, on: bool) -> None:
        settings.set("view/show_frames", on)
        self.rebuild()

    # --- filters -------------------------------------------------------------------------
    def set_column_filter(self, column: str, kind: str, value: Any = None) -> None:
        """Filter a column (FILE_NAME, TYPE, a schema path or name) by "equals", "range" or "source"."""
        self.proxy.set_column_filter(column, kind, value)

    def clear_filters(self) -> None:
        self.filter_box.blockSignals(True)
        self.filter_box.clear()
        self.filter_box.blockSignals(False)
        self.proxy.clear_filters()

    def _apply_text_filter(self) -> None:
        self.proxy.set_text_filter(self.filter_box.text())
        self._update_chips()

    def flush_filter(self) -> None:
        """Apply the typed quick filter now instead of after the typing pause (tests)."""
        self._filter_debounce.flush()

    def _update_chips(self) -> None:
        labels = []
        for f in self.proxy.filters():
            col = self.model.column_of(f.column)
            labels.append((str(self.model.headerData(col, Qt.Orientation.Horizontal)), f))
        self.chips.set_filters(labels, self.proxy.text_filter())

    def _fill_filter_menu(self) -> None:
        self.filter_menu.clear()
        for col in range(self.model.columnCount()):
            title = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            sub = self.filter_menu.addMenu(title)
            self._fill_column(sub, col)
        if self.proxy.filters() or self.proxy.text_filter():
            self.filter_menu.addSeparator()
            self.filter_menu.addAction("Clear all filters", self.clear_filters)

    def _fill_column(self, menu: QMenu, col: int) -> None:
        active = {(f.column, f.kind) for f in self.proxy.filters()}
        fill_column_menu(menu, self.model, col, self.frames_box.isChecked(), self._apply_filter,
                         lambda title, label: self.ask_text(title, label), active)

    def _apply_filter(self, column: str, kind: str, value: Any) -> None:
        if column == TYPE and value == FRAME and not self.frames_box.isChecked():
            self.frames_box.setChecked(True)  # "frames whose…" asked for before "Show frames"
        self.set_column_filter(column, kind, value)
        col = self.model.column_of(column)  # scroll sideways to a filtered value column
        if col >= len(FIXED_COLUMNS) and self.proxy.rowCount():
            self.view.scrollTo(self.proxy.index(max(0, self.view.rowAt(0)), col))

    def _header_menu(self, pos: QPoint) -> None:
        col = self.view.horizontalHeader().logicalIndexAt(pos)
        if col < 0 or self.model.table is None:
            return
        menu = QMenu(self)
        self._fill_column(menu, col)
        menu.exec(self.view.horizontalHeader().mapToGlobal(pos))

    def cell_menu(self, proxy_index: QModelIndex) -> QMenu:
        """The context menu of a cell (also used by tests, without showing it)."""
        menu = QMenu(self)
        source = self.proxy.mapToSource(proxy_index)
        menu.addAction("Open in the form", lambda: self._on_activated(proxy_index)).setShortcut(
            QKeySequence(Qt.Key.Key_Return))
        if self.proxy.flags(proxy_index) & Qt.ItemFlag.ItemIsEditable:
            menu.addAction("Edit value", lambda: self.view.edit(proxy_index)).setShortcut(
                QKeySequence(Qt.Key.Key_F2))
        menu.addSeparator()
        fill_cell_menu(menu, self.model, source, self.frames_box.isChecked(), self._apply_filter)
        if self.proxy.filters() or self.proxy.text_filter():
            menu.addSeparator()
            menu.addAction("Clear all filters", self.clear_filters)
        return menu

    def _cell_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid() and self.model.table is not None:
            self.cell_menu(index).exec(self.view.viewport().mapToGlobal(pos))

    # --- what is shown ---------------------------------------------------------------------
    def specs(self):
        return self.model.specs()

    def visible_samples(self) -> list[SampleRef]:
        table = self.model.table
        return [] if table is None else [table.sample(int(r)) for r in self.proxy.source_rows()]

    def visible_column_values(self, spec_path: str) -> tuple[np.ndarray, np.ndarray]:
        """(values, source names) of a schema entry over the visible rows, in display order."""
        table = self.model.table
        if table is None or not table.complete:
            return np.zeros(0, dtype=object), np.zeros(0, dtype=object)
        col, rows = table.column_index(spec_path), self.proxy.source_rows()
        names = np.array(SOURCES_BY_CODE, dtype=object)
        return table.values_at(col, rows), names[table.column_sources(col)[rows]]

    def _on_visible_rows(self) -> None:
        self._update_count()
        self.visibleRowsChanged.emit()

    def _update_count(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        self.count_label.setText(f"{total:,} rows" if shown == total else f"{shown:,} of {total:,} rows")

    def select_sample(self, sample: SampleRef) -> bool:
        """Make `sample`'s row current and visible (when the filters show it)."""
        table = self.model.table
        row = table.row_of(sample) if table is not None else None
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid() and self.model.table is not None:
            self.sampleActivated.emit(self.model.table.sample(self.proxy.mapToSource(index).row()))

    def _on_selection(self, *_: Any) -> None:
        if (table := self.model.table) is None:
            return
        order, ranges = self.proxy.source_rows(), self.view.selectionModel().selection()
        rows = rows_of_ranges((s.top(), s.bottom()) for s in ranges)  # Ctrl+A on 100k: one array
        self.samplesSelected.emit(TableRows(table, order[rows]))

    def _on_current_column(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.column() >= len(FIXED_COLUMNS):
            self.columnSelected.emit(self.model.column_key(current.column()))

    # --- export ------------------------------------------------------------------------------
    def export_visible(self) -> Path | None:
        """Write the visible rows' effective values to a CSV or JSON file the user picks."""
        table = self.model.table
        if table is None or not table.complete:
            return None
        target = self.ask_export_path()
        if not target:
            return None
        path = Path(target)
        try:  # complete or not at all; rows that are not UTF-8 text are left out and named
            n, skipped = export.export_file(path, table.rows(self.proxy.source_rows()), table.specs)
        except OSError as e:
            self.show_message("Export failed", f"Could not write {path}: {e.strerror or e}")
            return None
        self.statusMessage.emit(f"Exported {n:,} rows to {path}" + (
            f"; {len(skipped)} left out (not UTF-8 text: {skipped[0][0]!r}…)" if skipped else ""))
        return path

    # --- dialogs (replaced in tests) ----------------------------------------------------------
    def ask_export_path(self) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, "Export visible rows", "effective-values.csv",
                                              "CSV (*.csv);;JSON (*.json)")
        return path or None

    def ask_text(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label)
        return text if ok else None

    def show_message(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    # --- distribution view ---------------------------------------------------------------------
    def connect_distribution(self, view) -> None:
        """Feed a DistributionView the visible rows and let its bar clicks filter the table."""
        view.set_provider(self.visible_column_values)
        view.set_specs(self.specs())
        self.tableRebuilt.connect(lambda: view.set_specs(self.specs()))
        self.visibleRowsChanged.connect(view.refresh)
        self.columnSelected.connect(view.set_path)
        view.filterRequested.connect(self.set_column_filter)

    def shutdown(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
