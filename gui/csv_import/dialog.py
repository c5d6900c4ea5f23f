"""Import values from a CSV: a dry-run report first, then one undoable step.

Planning (core.csv_io.importer.plan_import) runs in the background; "Apply" pushes one
`ImportCommand`: like every edit of the window the values are unsaved edits until Save /
Save All writes them (many files in the background, with Cancel); Undo takes them back.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.csv_io.importer import ImportPlan, apply_plan, plan_import
from core.csv_io.plan import ROW_ERRORS, report_text, verdict
from core.format.findings import ERROR, WARNING
from core.workspace import Workspace
from gui.common.batch_write import RangeCommand, RangeWriter
from gui.common.workers import Task, start_task
from gui.csv_import.plan_model import ImportPlanModel


class ImportCommand(RangeCommand):
    """The import as one undo step: set every changed cell (`apply_plan`, one core edit).

    Like a bulk edit (gui.common.batch_write.RangeCommand): with a `writer` and many files,
    reading them, applying and undoing run in its worker behind a progress dialog; with
    `save=True` each file is written once, failures kept in `failed`, never raised.
    """

    background_edit = True

    def __init__(self, workspace: Workspace, plan: ImportPlan, index=None, save: bool = False,
                 writer: RangeWriter | None = None):
        def edit() -> None:
            apply_plan(workspace, plan, save=False)

        super().__init__(workspace, index, list(plan.changes), edit, f"Import {plan.source}", writer, save)


class ImportDialog(QDialog):
    """Choose a CSV, read its dry-run report, apply it as one undoable step."""

    PLANNED_TITLE = "What the import would do (nothing is written yet)"
    APPLIED_TITLE = "What the import did"

    planReady = Signal(object)  # ImportPlan (or None when the CSV could not be read)
    applied = Signal(int)  # number of files changed (unsaved until Save All)

    def __init__(self, workspace: Workspace, index, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import values from CSV")
        self.ws, self.index, self.undo_stack = workspace, index, undo_stack
        self.plan: ImportPlan | None = None
        self.command: ImportCommand | None = None
        #: Applies a big import in a worker, behind a progress dialog (tests may replace its dialog).
        self.writer = RangeWriter(self)
        self.writer.undo_stack = undo_stack
        self._task: Task | None = None
        style = self.style()
        self._icons = {
            ERROR: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            WARNING: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
        }

        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("importPath")
        self.path_edit.setClearButtonEnabled(True)  # a path can be typed or pasted (Enter reads it)
        self.path_edit.setPlaceholderText("Choose a CSV keyed by file_name (or media), one column per field")
        self.choose_button = QPushButton("Choose…", self)
        self.choose_button.setObjectName("importChoose")
        self.info_label = QLabel(self)
        self.info_label.setObjectName("importInfo")
        self.info_label.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.hide()

        self.summary_box = QGroupBox(self.PLANNED_TITLE, self)
        self.summary_grid = QGridLayout(self.summary_box)
        self.summary_grid.setHorizontalSpacing(16)
        self.summary_labels: dict[str, QLabel] = {}

        self.model = ImportPlanModel(self, self._icons)
        self.details = QTableView(self)
        self.details.setObjectName("importDetails")
        self.details.setModel(self.model)
        self.details.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.details.setAlternatingRowColors(True)
        self.details.verticalHeader().hide()
        self.details.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.details.setWordWrap(False)
        header = self.details.horizontalHeader()
        for col, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents,) * 2):
            header.setSectionResizeMode(col, mode)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(2, 220)
        header.resizeSection(3, 150)

        self.verdict_label = QLabel(self)
        self.verdict_label.setObjectName("importVerdict")
        self.verdict_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.apply_button = self.buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("importApply")
        self.apply_button.setEnabled(False)
        self.skip_button = self.buttons.addButton("Skip Invalid Rows", QDialogButtonBox.ButtonRole.ActionRole)
        self.skip_button.setObjectName("importSkipInvalid")
        self.skip_button.setToolTip("Leave out every row with an error; the valid rows can then be applied")
        self.skip_button.setEnabled(False)
        self.copy_button = self.buttons.addButton("Copy report", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setEnabled(False)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)

        top = QHBoxLayout()
        top.addWidget(QLabel("CSV file:", self))
        top.addWidget(self.path_edit, 1)
        top.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.info_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary_box)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.buttons)
        self._build_summary()
        self.summary_box.hide()
        self.info_label.setText(self._help_text())
        self.resize(900, 600)

        self.choose_button.clicked.connect(self.choose)
        self.apply_button.clicked.connect(self.apply)
        self.copy_button.clicked.connect(self.copy_report)
        self.skip_button.clicked.connect(self.skip_invalid)
        self.path_edit.installEventFilter(self)
        self.close_button.clicked.connect(self.reject)

    # --- replaceable for tests ------------------------------------------------------------------
    def choose_csv_path(self) -> str | None:
        """Ask for the CSV file (tests replace this)."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Import values from CSV", str(self.ws.media_root),
            "CSV files (*.csv *.tsv *.txt);;All files (*)",
        )
        return path or None

    # --- flow ------------------------------------------------------------------------------------
    def choose(self) -> None:
        path = self.choose_csv_path()
        if path:
            self.load_csv(path)

    def load_csv(self, path: str | Path) -> None:
        """Plan the import of `path` in the background; `planReady` follows."""
        if self._task is not None:
            self._task.cancel()
        self.path_edit.setText(str(path))
        self.plan = None
        self.command = None
        self.model.set_plan(None)
        self.summary_box.hide()
        self.apply_button.setEnabled(False)
        self.copy_button.setEnabled(False)
        self.info_label.setText(f"Checking {Path(path).name}…")
        self.verdict_label.clear()
        self.progress.show()
        task = start_task(plan_import, self.index, self.ws.specs, Path(path), read=self.ws.data_of)
        self._task = task
        task.succeeded.connect(lambda plan: self._on_plan(task, plan))
        task.failed.connect(lambda message: self._on_failed(task, message))

    def _on_failed(self, task: Task, message: str) -> None:
        if task is not self._task:
            return
        self._task = None
        self.progress.hide()
        self.info_label.setText(f"<b>Cannot read the file:</b> {message}")
        self.planReady.emit(None)

    def _on_plan(self, task: Task, plan: ImportPlan) -> None:
        if task is not self._task:
            return  # a newer file was chosen meanwhile
        self._task = None
        self.progress.hide()
        self.show_plan(plan)
        self.planReady.emit(plan)

    def show_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.model.set_plan(plan)
        self.copy_button.setEnabled(True)
        self.info_label.setText(self._info_text(plan))
        for label, count, severity in plan.summary():
            widget = self.summary_labels[label]
            widget.setText(str(count))
            color = {ERROR: "#c62828", WARNING: "#a15c00"}.get(severity) if count else None
            widget.setStyleSheet(f"color: {color}; font-weight: bold;" if color else "")
        self.summary_box.setTitle(self.PLANNED_TITLE)
        self.summary_box.show()
        loaded = (self.ws.loaded_document(s.metadata_rel) for s in plan.changes)  # no file read here
        unsaved = [d for d in loaded if d is not None and d.modified]
        text = verdict(plan)
        if plan.ok and unsaved:
            n = len(unsaved)
            verb = "has" if n == 1 else "have"
            text += f" {n} of these files {verb} unsaved edits; the import adds to them."
        self.verdict_label.setText(text)
        self.verdict_label.setStyleSheet("" if plan.ok else "color: #c62828; font-weight: bold;")
        self.apply_button.setEnabled(plan.can_apply)
        self.skip_button.setEnabled(bool(plan.errors) and all(i.kind in ROW_ERRORS for i in plan.errors))

    def skip_invalid(self) -> None:
        """Leave out the rows with errors (listed as skipped); the rest can then be applied."""
        if self.plan is not None and self.plan.skip_invalid_rows():
            self.show_plan(self.plan)

    def apply(self) -> None:
        """Push the import as one undo step (unsaved edits, like any edit), then say what changed."""
        plan = self.plan
        if plan is None or not plan.can_apply:
            return
        self.command = ImportCommand(self.ws, plan, self.index, writer=self.writer)
        self.apply_button.setEnabled(False)
        self.plan = None  # applied: choosing the file again re-plans against the new values
        self.undo_stack.push(self.command)
        if self.command.in_background():  # many files: read and changed in a worker
            self.verdict_label.setText(f"Applying to {len(self.command.keys):,} files…")
            self.writer.edited.connect(self._applied, Qt.ConnectionType.SingleShotConnection)
        else:
            self._applied(self.command)

    def _applied(self, command: ImportCommand) -> None:
        if command.cancelled:
            self.verdict_label.setText("Cancelled while reading the files: nothing was changed.")
            return
        n = len(command.keys)
        text = (f"Changed {n} file{'s' if n != 1 else ''}: not saved yet — File ▸ Save All "
                "(Ctrl+Shift+S) writes them, Undo (Ctrl+Z) takes the import back.")
        if command.failed:
            text += f" {len(command.failed)} could not be written: " + "; ".join(command.failed[:3])
        self.verdict_label.setText(text)
        self.verdict_label.setStyleSheet("color: #c62828;" if command.failed else "")
        self.summary_box.setTitle(self.APPLIED_TITLE)
        self.applied.emit(n)

    def copy_report(self) -> None:
        """Put the whole report (no details left out) on the clipboard."""
        if self.model.plan is not None:
            QGuiApplication.clipboard().setText(report_text(self.model.plan, limit=None))

    def eventFilter(self, obj, event) -> bool:
        """Enter in the path field reads that file (and never reaches Apply, the default button)."""
        if (obj is self.path_edit and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            if self.path_edit.text().strip():
                self.load_csv(self.path_edit.text().strip())
            return True
        return super().eventFilter(obj, event)

    def reject(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        super().reject()

    # --- layout helpers ---------------------------------------------------------------------------
    def _build_summary(self) -> None:
        lines = ImportPlan().summary()
        half = (len(lines) + 1) // 2
        for i, (label, _count, _severity) in enumerate(lines):
            row, col = (i, 0) if i < half else (i - half, 3)
            name = QLabel(label[0].upper() + label[1:], self.summary_box)
            value = QLabel("0", self.summary_box)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setMinimumWidth(48)
            self.summary_grid.addWidget(name, row, col)
            self.summary_grid.addWidget(value, row, col + 1)
            self.summary_labels[label] = value
        self.summary_grid.setColumnMinimumWidth(2, 48)
        self.summary_grid.setColumnStretch(5, 1)

    def _help_text(self) -> str:
        names = ", ".join(s.label for s in self.ws.specs[:8]) + (", …" if len(self.ws.specs) > 8 else "")
        return ("The CSV needs a <b>file_name</b> column (or <b>media</b>: a media path) and one column "
                f"per schema field, by its name or path ({names or 'the schema has no fields yet'}). "
                "Empty cells leave values alone; <b>null</b> resets a value to its default. "
                "You see a report first; nothing is written until you press Apply.")

    @staticmethod
    def _info_text(plan: ImportPlan) -> str:
        if plan.key_column is None:
            return f"{plan.source}: not importable as it is (see the errors below)."
        cols = ", ".join(f"{h} → {s.path}" for h, s in plan.columns.items()) or "none"
        sep = {",": "comma", ";": "semicolon", "\t": "tab"}.get(plan.delimiter or "", repr(plan.delimiter))
        return (f"Keyed by <b>{plan.key_column}</b>, {sep}-separated, {plan.rows} rows "
                f"({plan.matched_rows} match a sample). Columns: {cols}.")
