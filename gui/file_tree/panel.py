"""The "Files" panel: a name filter over the lazy media tree; reports the current and selected samples."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from core.format.samples import SampleRef
from gui.common.workers import Debouncer
from gui.file_tree.model import KIND_ROLE, ORPHAN, PATH_ROLE, SAMPLE_ROLE, FileTreeModel
from gui.file_tree.name_filter import FileFilterProxy

#: From this many selected rows (whole unfiltered folders), the selection is media ids, not a list.
INDEX_SAMPLES_FROM = 1000


class FileTreePanel(QWidget):
    """Filter box + tree view (objectName `fileTree`); keyboard and multi-selection work."""

    #: The current row changed to an image, video or frame.
    sampleActivated = Signal(object)
    #: The selection changed (coalesced): every selected image, video and frame, current first.
    samplesSelected = Signal(object)  # a list, or core.dataset.index_selection.IndexSamples
    #: The current row changed to an orphan metadata file (its rel under .lightly/metadata).
    orphanActivated = Signal(str)
    #: Enter was pressed on a row: the user wants to edit it (the window focuses the form).
    editRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = FileTreeModel(self)
        self.proxy = FileFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("fileFilter")
        self.filter_edit.setPlaceholderText("Filter by name…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip("Show only files and folders whose name contains this text (Ctrl+F);"
                                    " Down or Enter moves to the tree")
        self._debounce = Debouncer(self._apply_filter, 250, self)
        self.filter_edit.textChanged.connect(self._debounce.trigger)

        self.view = QTreeView(self)
        self.view.setObjectName("fileTree")
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setToolTip("")
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self._selection_timer = QTimer(self, singleShot=True, interval=0)
        self._selection_timer.timeout.connect(self._emit_selection)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self._selected: list[SampleRef] | None = None  # what select_samples selected, until changed

        self.filter_edit.returnPressed.connect(self.focus_tree)
        self.filter_edit.installEventFilter(self)
        self.view.installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view)
        self.setFocusProxy(self.view)

    # --- data ---------------------------------------------------------------------------
    def set_index(self, index) -> None:
        self.model.set_index(index)

    def _apply_filter(self) -> None:
        text = self.filter_edit.text().strip()
        self.proxy.set_text(text)
        if text:
            self.view.expandToDepth(1)

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def focus_tree(self) -> None:
        """Move the keyboard into the tree, on the first row if none is current."""
        self.flush_filter()
        if not self.view.currentIndex().isValid() and self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(0, 0))
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched, event) -> bool:
        """Filter box: Down goes to the tree, Escape clears. Tree: Enter on a file edits it."""
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current_sample() is not None:
                self.editRequested.emit()
                return True
            if event.matches(QKeySequence.StandardKey.SelectAll):
                self.select_all()
                return True
        if watched is self.filter_edit and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Down:
                self.focus_tree()
                return True
            if event.key() == Qt.Key.Key_Escape and self.filter_edit.text():
                self.filter_edit.clear()
                return True
        return super().eventFilter(watched, event)

    def flush_filter(self) -> None:
        """Apply pending filter text at once (tests, Enter)."""
        self._debounce.flush()

    # --- selection --------------------------------------------------------------------------
    def current_sample(self) -> SampleRef | None:
        return self.view.currentIndex().data(SAMPLE_ROLE)

    def select_all(self) -> None:
        """Select every row shown (Ctrl+A), as one range per expanded folder or video.
        QTreeView.selectAll() walks every shown row and asks the model for each one's parent
        (640,000 calls into Python for 100k files: 1.7 s); this asks only the folders."""
        view, proxy, model = self.view, self.proxy, self.model
        selection = QItemSelection()

        def add(parent: QModelIndex) -> None:
            # An expanded row's rows before its folder's own range, as QTreeView.selectAll()
            # orders them: the selected samples start at the top (a folder's files follow its
            # subfolders). One range per folder: splitting them at each expanded row doubled
            # the time Qt takes to merge and paint the selection.
            n = proxy.rowCount(parent)
            if not n:
                return
            source = proxy.mapToSource(parent)
            same = n == model.rowCount(source)  # not filtered: the proxy's rows are the model's
            for row in model.branch_rows(source) if same else range(n):
                child = proxy.index(row, 0, parent)
                if view.isExpanded(child):
                    add(child)
            selection.select(proxy.index(0, 0, parent), proxy.index(n - 1, 0, parent))

        add(QModelIndex())
        # No Rows flag: the model has one column, and Qt expands a selection by Rows merging
        # every range with every other one, asking the model for their parents (half the time).
        view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def selected_samples(self) -> Sequence[SampleRef]:
        """The selected samples, the current one first: a list, or for a selection of whole
        unfiltered folders (Ctrl+A) core.dataset.index_selection.IndexSamples (media ids)."""
        if self._selected is not None:  # just selected by select_samples: no walk over 10k rows
            return list(self._selected)
        current = self.current_sample()
        # From the selection's ranges: QItemSelectionModel.selectedRows() asks the model for
        # every index's parent and compares them all (Ctrl+A over 100k files: 41 s).
        proxy, model = self.proxy, self.model
        ranges = [(rng.parent(), rng.top(), rng.bottom()) for rng in self.view.selectionModel().selection()]
        sources = [proxy.mapToSource(parent) for parent, _top, _bottom in ranges]
        rows = sum(bottom - top + 1 for _p, top, bottom in ranges)
        if rows > INDEX_SAMPLES_FROM and model.index_obj() is not None and all(
                proxy.rowCount(p) == model.rowCount(s) for (p, _t, _b), s in zip(ranges, sources)):
            parts = [model.media_in(s, top, bottom) for (_p, top, bottom), s in zip(ranges, sources)]
            if all(p is not None for p in parts):
                from core.dataset.index_selection import IndexSamples

                samples = IndexSamples.join(model.index_obj(), [x for p in parts for x in p])
                return samples.first(current) if current is not None else samples
        found = {}
        for (parent, top, bottom), source_parent in zip(ranges, sources):
            if proxy.rowCount(parent) == model.rowCount(source_parent):  # not filtered: same rows
                found.update(dict.fromkeys(model.samples_in(source_parent, top, bottom)))
                continue
            for row in range(top, bottom + 1):
                sample = proxy.index(row, 0, parent).data(SAMPLE_ROLE)
                if sample is not None:
                    found[sample] = None
        samples = list(found)
        if current in found:
            samples.remove(current)
            samples.insert(0, current)
        return samples

    def select_samples(self, samples: Sequence[SampleRef]) -> bool:
        """Select these samples (expanding folders and videos); the first becomes current."""
        expanded: set[QPersistentModelIndex] = set()
        rows: dict = {}  # each folder's names decoded once for all the samples
        proxies = [self._proxy_index(s, expanded, rows) for s in samples]
        found = [s for s, p in zip(samples, proxies) if p.isValid()]
        proxies = [p for p in proxies if p.isValid()]
        if not proxies:
            return False
        selection = QItemSelection()
        for first, last in _runs(proxies):  # one range per run of sibling rows, not one per row
            selection.select(first, last)
        sm = self.view.selectionModel()
        sm.setCurrentIndex(proxies[0], QItemSelectionModel.SelectionFlag.NoUpdate)
        sm.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
                  | QItemSelectionModel.SelectionFlag.Rows)
        self._selected = [found[0]] + [s for s in dict.fromkeys(found) if s != found[0]]
        self.view.scrollTo(proxies[0], QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def select_orphan(self, rel: str) -> bool:
        """Make orphan metadata file `rel` the current row (in the "Orphan metadata" group)."""
        src = self.model.orphan_index(rel)
        if not src.isValid():
            return False
        proxy = self.proxy.mapFromSource(src)
        if not proxy.isValid() and self.proxy.text():
            self.filter_edit.clear()
            self.flush_filter()
            proxy = self.proxy.mapFromSource(src)
        if not proxy.isValid():
            return False
        self.view.expand(proxy.parent())
        self.view.selectionModel().setCurrentIndex(
            proxy, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(proxy, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _proxy_index(self, sample: SampleRef, expanded: set | None = None,
                     rows: dict | None = None) -> QModelIndex:
        src = self.model.index_of(sample.media, sample.frame if sample.kind == "frame" else None, rows)
        if not src.isValid():
            return QModelIndex()
        proxy = self.proxy.mapFromSource(src)
        if not proxy.isValid() and self.proxy.text():
            self.filter_edit.clear()  # the filter hides it: show everything again
            self.flush_filter()
            proxy = self.proxy.mapFromSource(src)
        parent = proxy.parent()
        while parent.isValid():
            if expanded is not None:  # many samples: each folder expanded once
                key = QPersistentModelIndex(parent)
                if key in expanded:
                    break
                expanded.add(key)
            self.view.expand(parent)
            parent = parent.parent()
        return proxy

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        sample = current.data(SAMPLE_ROLE)
        if sample is not None:
            self.sampleActivated.emit(sample)
        elif current.data(KIND_ROLE) == ORPHAN:
            self.orphanActivated.emit(current.data(PATH_ROLE))

    def _on_selection_changed(self) -> None:
        self._selected = None  # changed (select_samples sets it right after its own change)
        self._selection_timer.start()

    def _emit_selection(self) -> None:
        self.samplesSelected.emit(self.selected_samples())

    # --- refresh ------------------------------------------------------------------------------
    def refresh_sample(self, sample: SampleRef) -> None:
        self.model.refresh_sample(sample)

    def refresh_all(self) -> None:
        """Redraw after new findings: badges and tooltips are computed when rows are painted."""
        self.view.viewport().update()


def _runs(indexes: list[QModelIndex]) -> list[tuple[QModelIndex, QModelIndex]]:
    """(first, last) of each run of consecutive rows under one parent: 10k files in a few
    hundred folders become a few hundred selection ranges (Qt merges ranges quadratically)."""
    by_parent: dict[QPersistentModelIndex, list[QModelIndex]] = {}
    for i in indexes:
        by_parent.setdefault(QPersistentModelIndex(i.parent()), []).append(i)
    runs = []
    for children in by_parent.values():
        children.sort(key=lambda i: i.row())
        start = prev = children[0]
        for i in children[1:]:
            if i.row() != prev.row() + 1:
                runs.append((start, prev))
                start = i
            prev = i
        runs.append((start, prev))
    return runs
