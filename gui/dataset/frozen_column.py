"""The file_name column of the dataset table, kept in place while the other columns scroll sideways.

A second view over the same model and selection, laid over the table's first column
(Qt's "frozen column" pattern): with a dozen schema entries the values of interest are
far to the right, and a row without its file name means nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QMenu, QTableView

from gui.dataset.widths import SectionHeader


class DatasetView(QTableView):
    """The dataset table's view: columns scroll under the frozen file_name column, never behind it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.frozen: FrozenColumn | None = None
        self.setHorizontalHeader(SectionHeader(self))
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)

    def scrollTo(self, index, hint=QAbstractItemView.ScrollHint.EnsureVisible) -> None:  # noqa: N802
        if self.frozen is None or index.column() > 0:
            super().scrollTo(index, hint)
            self._uncover(index)
        else:  # a file name is always in sight: scroll only up or down to its row
            x = self.horizontalScrollBar().value()
            super().scrollTo(index, hint)
            self.horizontalScrollBar().setValue(x)

    def moveCursor(self, action, modifiers):  # noqa: N802 - Qt API
        current = super().moveCursor(action, modifiers)
        self._uncover(current)
        return current

    def _uncover(self, index) -> None:
        """Scroll right so a cell is not hidden under the frozen column."""
        if self.frozen is not None and index.isValid() and index.column() > 0:
            left = self.visualRect(index).left()
            if left < self.columnWidth(0):
                bar = self.horizontalScrollBar()
                bar.setValue(bar.value() + left - self.columnWidth(0))


class FrozenColumn(QTableView):
    """Shows column 0 of `panel.view` on top of it; clicks, menus and sorting act on the table."""

    def __init__(self, panel):
        table = panel.view
        super().__init__(table)
        self.panel, self.table = panel, table
        table.frozen = self
        self.setObjectName("effectiveTableFileNames")
        self.setHorizontalHeader(SectionHeader(self))
        self.setModel(table.model())
        self.setSelectionModel(table.selectionModel())
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet("QTableView { border-right: 1px solid palette(mid); }")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionBehavior(table.selectionBehavior())
        self.setSelectionMode(table.selectionMode())
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(table.verticalHeader().defaultSectionSize())
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setHighlightSections(False)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sectionClicked.connect(self._sort_by_file_name)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._cell_menu)
        self.activated.connect(panel._on_activated)

        table.viewport().stackUnder(self)
        self.verticalScrollBar().valueChanged.connect(table.verticalScrollBar().setValue)
        table.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        table.horizontalHeader().sectionResized.connect(self._on_section_resized)
        table.horizontalHeader().sortIndicatorChanged.connect(self._follow_sort_indicator)
        self._follow_sort_indicator(table.horizontalHeader().sortIndicatorSection(),
                                    table.horizontalHeader().sortIndicatorOrder())
        self.model().modelReset.connect(self._hide_other_columns)
        self.model().layoutChanged.connect(self._hide_other_columns)
        table.installEventFilter(self)
        self._hide_other_columns()
        self.show()

    # --- keeping in step with the table --------------------------------------------------------
    def _hide_other_columns(self) -> None:
        for col in range(self.model().columnCount()):
            self.setColumnHidden(col, col != 0)
        self._place()

    def _on_section_resized(self, column: int, _old: int, new: int) -> None:
        if column == 0:
            self.setColumnWidth(0, new)
            self._place()

    def _follow_sort_indicator(self, column: int, order: Qt.SortOrder) -> None:
        self.horizontalHeader().setSortIndicator(column if column == 0 else -1, order)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._place()
        return super().eventFilter(watched, event)

    def _place(self) -> None:
        table = self.table
        self.setColumnWidth(0, table.columnWidth(0))
        frame = table.frameWidth()
        self.setGeometry(frame, frame, table.columnWidth(0) + 1,
                         table.viewport().height() + table.horizontalHeader().height())
        self.horizontalHeader().setFixedHeight(table.horizontalHeader().height())

    # --- acting on the table --------------------------------------------------------------------------
    def _sort_by_file_name(self, _column: int) -> None:
        header, order = self.table.horizontalHeader(), Qt.SortOrder
        ascending = header.sortIndicatorSection() != 0 or header.sortIndicatorOrder() == order.DescendingOrder
        self.table.sortByColumn(0, order.AscendingOrder if ascending else order.DescendingOrder)

    def _header_menu(self, pos: QPoint) -> None:
        if self.panel.model.table is not None:
            menu = QMenu(self)
            self.panel._fill_column(menu, 0)
            menu.exec(self.horizontalHeader().mapToGlobal(pos))

    def _cell_menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        if index.isValid() and self.panel.model.table is not None:
            self.panel.cell_menu(index).exec(self.viewport().mapToGlobal(pos))
