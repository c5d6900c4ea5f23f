"""The Schema tab: a toolbar, the schema table, and the schema's problems below it."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.dataset.leaf_stats import LeafStats, propose_entries
from core.format.findings import ERROR
from core.workspace import Workspace, WriteError
from gui.common.workspace_signals import WorkspaceSignals
from gui.schema.broken_banner import BrokenSchemaBanner
from gui.schema.delegates import SchemaDelegate
from gui.schema.findings_list import SchemaFindingsList
from gui.schema.leaf_stats_task import LeafStatsProgress
from gui.schema.panel_dialogs import SchemaDialogs
from gui.schema.table_model import DEFAULT, NAME, PATH, TYPE, SchemaTableModel, cell_of

_SCOPED = Qt.ShortcutContext.WidgetWithChildrenShortcut


class SchemaPanel(SchemaDialogs, QWidget):
    """Edit schema.json: every change is one undo step on the shared stack."""

    #: Leaf statistics of the data (dict[str, LeafStats]) after "Propose from data" read them.
    leafStatsReady = Signal(object)
    #: A short message for the window's status bar.
    statusMessage = Signal(str)
    #: schema.json was written (by the panel's button or by `save()`).
    saved = Signal()

    def __init__(self, workspace: Workspace, signals: WorkspaceSignals, undo_stack: QUndoStack,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("schemaPanel")
        self.ws = workspace
        self.undo_stack = undo_stack
        self.index = None
        self.leaf_stats: dict[str, LeafStats] | None = None
        self._started_new = False
        self._saved_cell = (0, 0)

        self.model = SchemaTableModel(workspace, signals, undo_stack, self)
        self.delegate = SchemaDelegate(self)
        self.table = self._make_table()
        self.banner = BrokenSchemaBanner(self)
        self.banner.hide()
        self.banner.reloadRequested.connect(self.reload_from_disk)
        self.banner.startNewRequested.connect(self.start_new_schema)
        self.findings_list = SchemaFindingsList(self)
        self.findings_list.cellActivated.connect(self.select_cell)
        self.findings_list.fixRequested.connect(self.fix_row)
        self.findings_label = QLabel()
        self.findings_label.setObjectName("schemaFindingsLabel")

        self.add_action = self._action("Add", "Add an entry below the current one",
                                       [QKeySequence(Qt.Key.Key_Insert), QKeySequence("Ctrl+N")], self.add)
        self.duplicate_action = self._action("Duplicate", "Duplicate the current entry",
                                             [QKeySequence("Ctrl+D")], self.duplicate)
        self.delete_action = self._action("Delete", "Delete the selected entries",
                                          [QKeySequence(Qt.Key.Key_Delete)], self.delete)
        self.up_action = self._action("Move up", "Move the current entry up",
                                      [QKeySequence("Alt+Up")], lambda: self.move(-1))
        self.down_action = self._action("Move down", "Move the current entry down",
                                        [QKeySequence("Alt+Down")], lambda: self.move(+1))
        self.propose_button = QPushButton("Propose from data…")
        self.propose_button.setObjectName("proposeButton")
        self.propose_button.clicked.connect(self.propose_from_data)
        self.save_button = QPushButton("Save schema")
        self.save_button.setObjectName("saveSchemaButton")
        self.save_button.setToolTip("Write .lightly/metadata/schema.json (Save All saves it too)")
        self.save_button.clicked.connect(self.save)
        self.status_label = QLabel()
        self.status_label.setObjectName("schemaStatus")

        self.progress_row = LeafStatsProgress(self)
        self.progress_row.succeeded.connect(self._on_stats)
        self.progress_row.failed.connect(self._on_failed)
        self.progress_row.finished.connect(self._update_actions)

        self._layout()
        self.model.findingsChanged.connect(self._refresh_findings)
        self.model.modelAboutToBeReset.connect(self._remember_cell)
        self.model.modelReset.connect(self._restore_cell)
        signals.schemaChanged.connect(self._on_schema_changed)
        self.table.selectionModel().currentChanged.connect(self._update_actions)
        self._on_schema_changed()
        self._refresh_findings()
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, NAME))

    # --- construction --------------------------------------------------------------------
    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("schemaTable")
        table.setModel(self.model)
        table.setItemDelegate(self.delegate)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                              | QAbstractItemView.EditTrigger.EditKeyPressed
                              | QAbstractItemView.EditTrigger.AnyKeyPressed
                              | QAbstractItemView.EditTrigger.SelectedClicked)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._on_context_menu)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(PATH, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(NAME, 170)
        header.resizeSection(DEFAULT, 150)
        header.resizeSection(TYPE, 230)
        header.setHighlightSections(False)
        vheader = table.verticalHeader()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(table.fontMetrics().height() + 12)
        vheader.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return table

    def _action(self, text: str, tip: str, keys: list[QKeySequence], slot) -> QAction:
        action = QAction(text, self)
        action.setShortcuts(keys)
        action.setShortcutContext(_SCOPED)  # only while the table has focus: no clash with menus
        shown = " / ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
        action.setToolTip(f"{tip} ({shown})")
        action.triggered.connect(slot)
        self.table.addAction(action)
        return action

    def _layout(self) -> None:
        bar = QHBoxLayout()
        bar.setSpacing(4)
        for action in (self.add_action, self.duplicate_action, self.delete_action,
                       self.up_action, self.down_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            bar.addWidget(button)
        bar.addSpacing(12)
        bar.addWidget(self.propose_button)
        bar.addStretch(1)
        bar.addWidget(self.status_label)
        bar.addWidget(self.save_button)

        lower = self.lower_pane = QWidget()
        low = QVBoxLayout(lower)
        low.setContentsMargins(0, 4, 0, 0)
        low.addWidget(self.findings_label)
        low.addWidget(self.findings_list, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([400, 120])
        self.splitter = splitter

        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.banner)
        lay.addWidget(self.progress_row)
        lay.addWidget(splitter, 1)

    # --- the main window's API -----------------------------------------------------------
    def set_index(self, index) -> None:
        """The datasource index is ready: "Propose from data" can read the metadata files."""
        self.index = index
        self._update_actions()

    def save(self) -> bool:
        """Write schema.json (atomically); False when writing failed (the error was shown).

        A broken schema.json that the user has not replaced ("Start a new schema") holds no
        edits: it is left as it is on disk, and that is not a failure.
        """
        self.commit_editor()
        if self.model.read_only:
            self.statusMessage.emit("schema.json left unchanged: it is not valid JSON (see the Schema tab)")
            return True
        errors = [f for f in self.model.findings if f.severity == ERROR]
        if errors and self.ws.schema_modified and not self.confirm_save_with_errors(errors):
            self.statusMessage.emit("schema.json not saved: fix its errors first (listed under the table)")
            return False
        try:
            self.ws.save_schema()
        except WriteError as e:
            self.show_error("Could not save schema.json", str(e))
            return False
        self.statusMessage.emit("Saved schema.json")
        self.saved.emit()
        return True

    def commit_editor(self) -> None:
        """Commit what is typed in an open cell editor (before saving)."""
        editor = self.table.indexWidget(self.table.currentIndex())
        if editor is not None:
            self.delegate.commitData.emit(editor)
            self.delegate.closeEditor.emit(editor, self.delegate.EndEditHint.NoHint)

    # --- user actions ----------------------------------------------------------------------
    def current_row(self) -> int | None:
        idx = self.table.currentIndex()
        return idx.row() if idx.isValid() else None

    def select_cell(self, row: int, column: int = NAME) -> None:
        idx = self.model.index(row, column)
        if idx.isValid():
            self.table.selectionModel().setCurrentIndex(
                idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.table.scrollTo(idx)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def add(self) -> None:
        if self.model.read_only:
            return
        row = self.model.add_entry(self.current_row())
        self.select_cell(row, NAME)
        self.table.edit(self.model.index(row, NAME))

    def duplicate(self) -> None:
        row = self.current_row()
        if row is not None and not self.model.read_only:
            self.select_cell(self.model.duplicate_row(row), self.table.currentIndex().column())

    def delete(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedIndexes()})
        if not rows and self.current_row() is not None:
            rows = [self.current_row()]
        if not rows or self.model.read_only:
            return
        col = max(self.table.currentIndex().column(), 0)
        self.model.remove_rows(rows)
        if self.model.rowCount():
            self.select_cell(min(rows[0], self.model.rowCount() - 1), col)

    def move(self, delta: int) -> None:
        row = self.current_row()
        if row is not None and not self.model.read_only:
            col = self.table.currentIndex().column()
            self.select_cell(self.model.move_row(row, delta), col)

    def fix_row(self, row: int) -> None:
        if self.model.fix_type(row):
            self.select_cell(row, TYPE)
            self.statusMessage.emit(f"Fixed the type of entry {row}")

    def context_menu(self, index: QModelIndex) -> QMenu:
        """The table's context menu for `index` (a fix first when the row has one)."""
        menu = QMenu(self)
        if index.isValid():
            row = index.row()
            fix = self.model.fixable(row)
            if fix is not None and not self.model.read_only:
                action = menu.addAction(f"Fix type: use {fix.fix}")
                action.setObjectName("fixTypeAction")
                action.triggered.connect(lambda _=False, r=row: self.fix_row(r))
                menu.addSeparator()
            entry = self.model.entry(row)
            if index.column() == DEFAULT and entry.default is not None and not self.model.read_only:
                action = menu.addAction("Set default to null")
                action.triggered.connect(lambda _=False, r=row: self.model.set_cell(r, DEFAULT, None))
                menu.addSeparator()
        menu.addActions([self.add_action, self.duplicate_action, self.delete_action])
        menu.addSeparator()
        menu.addActions([self.up_action, self.down_action])
        return menu

    def _on_context_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.setCurrentIndex(index)
        self.context_menu(index).exec(self.table.viewport().mapToGlobal(pos))

    # --- broken schema.json -------------------------------------------------------------
    def start_new_schema(self) -> None:
        """Edit an empty schema although schema.json is broken; the file is replaced on save."""
        self._started_new = True
        self._on_schema_changed()
        self.table.setFocus()

    def reload_from_disk(self) -> None:
        if self.ws.schema_modified and self.ws.schema_entries and not self.confirm(
                "Reload schema.json", "Discard the schema edits and read schema.json from disk again?"):
            return
        self._started_new = False
        self.ws.reload_schema()

    # --- propose from data ----------------------------------------------------------------
    def propose_from_data(self) -> None:
        """Read every metadata file in the background, then offer the paths not in the schema."""
        if self.index is None or self.progress_row.running or self.model.read_only:
            return
        self.progress_row.start(self.ws, self.index)
        self._update_actions()

    def _on_stats(self, stats: dict[str, LeafStats], n_files: int) -> None:
        self.leaf_stats = stats
        self.delegate.path_suggestions = list(stats)
        self.leafStatsReady.emit(stats)
        proposals = propose_entries(stats, self.ws.schema_entries)
        chosen = self.ask_proposals(proposals, stats, n_files)
        if chosen:
            first = self.model.rowCount()
            self.model.add_entries(chosen)
            self.select_cell(first, NAME)
            self.statusMessage.emit(f"Added {len(chosen)} schema entries from the data")

    def _on_failed(self, message: str) -> None:
        self.show_error("Could not read the metadata files", message)

    # --- refreshing --------------------------------------------------------------------------
    def _on_schema_changed(self) -> None:
        sf = self.ws.schema_file
        if sf.error is None:
            self._started_new = False
            self.banner.hide()
        else:
            self.banner.show_error(sf.error, self._started_new)
        self.model.read_only = sf.error is not None and not self._started_new
        self.table.setEnabled(not self.model.read_only)
        self._update_status()
        self._update_actions()

    def _update_status(self) -> None:
        sf = self.ws.schema_file
        if sf.error is not None:
            text = "schema.json — " + ("new schema, not saved" if self._started_new else "invalid JSON")
        elif self.ws.schema_modified:
            text = "schema.json — modified"
        elif not sf.exists:
            text = "schema.json — not created yet"
        else:
            text = "schema.json — saved"
        self.status_label.setText(text)
        font = self.status_label.font()
        font.setBold(self.ws.schema_modified and not self.model.read_only)
        self.status_label.setFont(font)

    def _update_actions(self, *_args) -> None:
        editable = not self.model.read_only
        row = self.current_row()
        has_row = row is not None and editable
        self.add_action.setEnabled(editable)
        self.duplicate_action.setEnabled(has_row)
        self.delete_action.setEnabled(has_row)
        self.up_action.setEnabled(has_row and row > 0)
        self.down_action.setEnabled(has_row and row < self.model.rowCount() - 1)
        self.save_button.setEnabled(editable)
        busy = self.progress_row.running
        self.propose_button.setEnabled(editable and self.index is not None and not busy)
        self.propose_button.setToolTip(
            "Find the leaf paths used in the metadata files that the schema does not name yet"
            if self.index is not None else "Available once the datasource has been scanned")

    def _refresh_findings(self) -> None:
        findings = self.model.findings
        self.findings_list.set_findings(findings, cell_of)
        n = len(findings)
        self.findings_label.setText(
            f"Problems in the schema ({n})" if n else "No problems in the schema")
        self.findings_list.setVisible(bool(n))
        # Without findings the pane is one line: the table gets the room.
        self.lower_pane.setMaximumHeight(16777215 if n else self.findings_label.sizeHint().height() + 8)

    def _remember_cell(self) -> None:
        idx = self.table.currentIndex()
        self._saved_cell = (idx.row(), idx.column()) if idx.isValid() else (0, 0)

    def _restore_cell(self) -> None:
        n = self.model.rowCount()
        if n:
            row, col = self._saved_cell
            self.table.setCurrentIndex(self.model.index(min(max(row, 0), n - 1), max(col, 0)))
        self._update_actions()
