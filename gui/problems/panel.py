"""The problems panel: every finding of the dataset, grouped by file, with filters and fixes.

The main window hands it findings (`set_findings`, `update_file` after a save) and
listens to `findingActivated` (jump to the file, field or schema entry) and
`fixRequested` (apply the finding's fix through the undo stack).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStyle,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from core.format.findings import ERROR, INFO, WARNING, Finding
from core.validation import fixes
from gui.common.workers import Debouncer
from gui.problems.model import ProblemsModel

#: Below this many files the tree opens fully; above, files stay collapsed (100k findings).
EXPAND_UP_TO = 30
FIX_COLUMN = 3  # COLUMNS of gui.problems.model: the link that applies the fix


class ProblemsPanel(QWidget):
    """Findings tree (objectName "problemsView") with severity toggles, a text filter and Fix."""

    findingActivated = Signal(object)  # Finding
    fileActivated = Signal(str)  # a file row was activated (Enter / double-click on it)
    fixRequested = Signal(object)  # Finding that has a fix
    countsChanged = Signal(int, int)  # errors, warnings (all findings, whatever the filter)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("problemsPanel")
        self._index = None  # core.dataset.index.DatasourceIndex, for fixes that need it
        self._counts = (0, 0)
        style = self.style()
        icons = {
            ERROR: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            WARNING: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
            INFO: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation),
        }
        self.model = ProblemsModel(self, icons=icons, fix_label=self._fix_label)

        self.errors_button = self._toggle(icons[ERROR], "Show errors")
        self.warnings_button = self._toggle(icons[WARNING], "Show warnings and notes")
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("problemsFilter")
        self.filter_edit.setPlaceholderText("Filter by file, code or message")
        self.filter_edit.setClearButtonEnabled(True)
        self.fix_button = QPushButton("Fix", self)
        self.fix_button.setObjectName("problemsFix")
        self.fix_button.setEnabled(False)
        self.fix_button.setToolTip("Apply the one-step fix of the selected problem")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("problemsStatus")

        self.view = QTreeView(self)
        self.view.setObjectName("problemsView")
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)  # keeps 100k rows fast
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.setAllColumnsShowFocus(True)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 250)
        header.resizeSection(3, 200)  # the message keeps room when the dock is narrow

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.errors_button)
        bar.addWidget(self.warnings_button)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.status_label)
        bar.addWidget(self.fix_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        self._debouncer = Debouncer(self._apply_filter, 200, self)
        self.filter_edit.textChanged.connect(self._debouncer.trigger)
        self.filter_edit.returnPressed.connect(self._debouncer.flush)
        self.errors_button.toggled.connect(self._apply_filter)
        self.warnings_button.toggled.connect(self._apply_filter)
        self.fix_button.clicked.connect(self._fix_current)
        self.view.activated.connect(self._on_activated)
        self.view.clicked.connect(self._on_clicked)
        self.view.setMouseTracking(True)
        self.view.entered.connect(self._on_hover)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().currentChanged.connect(self._update_fix_button)
        self.model.modelReset.connect(self._update_fix_button)
        self._refresh_labels()

    def _toggle(self, icon: QIcon, tip: str) -> QToolButton:
        b = QToolButton(self)
        b.setIcon(icon)
        b.setCheckable(True)
        b.setChecked(True)
        b.setToolTip(tip)
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        b.setAutoRaise(True)
        return b

    # --- public API -------------------------------------------------------------------------
    def set_index(self, index) -> None:
        """The datasource index: lets fixes work out expected values (e.g. a missing file_name)."""
        self._index = index

    def set_findings(self, findings: list[Finding]) -> None:
        """Replace every finding (after a full validation)."""
        self.model.set_findings(findings)
        self._after_change(expand=True)

    def update_file(self, rel: str, findings: list[Finding]) -> None:
        """Replace the findings of one file (after a save), without a rescan."""
        self.model.update_file(rel, findings)
        index = self.model.file_index(rel)
        if index.isValid() and self.model.rowCount() <= EXPAND_UP_TO:
            self.view.expand(index)
        self._after_change(expand=False)

    def counts(self) -> tuple[int, int]:
        return self._counts

    def has_fix(self, finding: Finding) -> bool:
        return fixes.fix_for(finding, self._index) is not None

    def fix_for(self, finding: Finding) -> fixes.Fix | None:
        return fixes.fix_for(finding, self._index)

    def _fix_label(self, finding: Finding) -> str | None:
        fix = fixes.fix_for(finding, self._index)
        return fix.label if fix is not None else None

    def current_finding(self) -> Finding | None:
        return self.model.finding(self.view.currentIndex())

    def select_finding(self, finding: Finding) -> bool:
        """Make `finding` the current row (e.g. to show where a jump came from)."""
        parent = self.model.file_index(finding.file)
        for row in range(self.model.rowCount(parent)):
            index = self.model.index(row, 0, parent)
            if self.model.finding(index) == finding:
                self.view.expand(parent)
                self.view.setCurrentIndex(index)
                self.view.scrollTo(index)
                return True
        return False

    # --- internals ----------------------------------------------------------------------------
    def _after_change(self, expand: bool) -> None:
        if expand and self.model.rowCount() <= EXPAND_UP_TO:
            self.view.expandAll()
        counts = self.model.counts()
        self._refresh_labels()
        self._update_fix_button()  # the current row may be gone (its file was fixed or saved)
        if counts != self._counts:
            self._counts = counts
            self.countsChanged.emit(*counts)

    def _refresh_labels(self) -> None:
        errors, warnings = self.model.counts()
        self.errors_button.setText(f"{errors} error{'s' if errors != 1 else ''}")
        self.warnings_button.setText(f"{warnings} warning{'s' if warnings != 1 else ''}")
        shown, total = self.model.visible_count(), self.model.total_count()
        self.status_label.setText("" if shown == total else f"showing {shown} of {total}")

    def _apply_filter(self) -> None:
        self.model.set_filter(self.errors_button.isChecked(), self.warnings_button.isChecked(),
                              self.filter_edit.text())
        if self.model.rowCount() <= EXPAND_UP_TO or self.filter_edit.text().strip():
            if self.model.visible_count() <= 2000:
                self.view.expandAll()
        self._refresh_labels()

    def _on_activated(self, index: QModelIndex) -> None:
        finding = self.model.finding(index)
        if finding is not None:
            self.findingActivated.emit(finding)
        else:
            file = self.model.file(index)
            if file is not None:
                self.fileActivated.emit(file)

    def _on_clicked(self, index: QModelIndex) -> None:
        """A click on the Fix column's link applies that finding's fix (as the Fix button does)."""
        if index.column() != FIX_COLUMN:
            return
        finding = self.model.finding(index)
        if finding is not None and self.has_fix(finding):
            self.fixRequested.emit(finding)

    def _on_hover(self, index: QModelIndex) -> None:
        link = index.column() == FIX_COLUMN and self.model.finding(index) is not None \
            and self.has_fix(self.model.finding(index))
        if link:
            self.view.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.view.viewport().unsetCursor()

    def _update_fix_button(self, *args) -> None:
        finding = self.current_finding()
        fix = self.fix_for(finding) if finding is not None else None
        self.fix_button.setEnabled(fix is not None)
        self.fix_button.setText(f"Fix: {fix.label}" if fix else "Fix")
        self.fix_button.setToolTip(fix.label if fix else "The selected problem has no one-step fix")

    def _fix_current(self) -> None:
        finding = self.current_finding()
        if finding is not None and self.has_fix(finding):
            self.fixRequested.emit(finding)

    def _context_menu(self, pos: QPoint) -> None:
        menu = self._build_menu(self.view.indexAt(pos))
        if menu is not None:
            menu.exec(self.view.viewport().mapToGlobal(pos))

    def _build_menu(self, index: QModelIndex) -> QMenu | None:
        """The context menu for a row (None on empty space); separate so tests can inspect it."""
        if not index.isValid():
            return None
        menu = QMenu(self)
        finding = self.model.finding(index)
        if finding is not None:
            go = menu.addAction("Go to problem")
            go.triggered.connect(lambda: self.findingActivated.emit(finding))
            fix = self.fix_for(finding)
            if fix is not None:
                act = menu.addAction(f"Fix: {fix.label}")
                act.triggered.connect(lambda: self.fixRequested.emit(finding))
            copy = menu.addAction("Copy")
            copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(finding.text()))
        else:
            file = self.model.file(index)
            go = menu.addAction("Open file")
            go.triggered.connect(lambda: self.fileActivated.emit(file))
            lines = [f.text() for f in self.model.findings_of(file)]
            copy = menu.addAction("Copy problems of this file")
            copy.triggered.connect(lambda: QGuiApplication.clipboard().setText("\n".join(lines)))
        return menu

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        """In a narrow dock the message keeps the room: Fix (also on the button) and Where go first."""
        super().resizeEvent(event)
        self.view.setColumnHidden(3, self.width() < 900)
        self.view.setColumnHidden(2, self.width() < 560)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if event.matches(QKeySequence.StandardKey.Copy):
            finding = self.current_finding()
            if finding is not None:
                QGuiApplication.clipboard().setText(finding.text())
                return
        super().keyPressEvent(event)

