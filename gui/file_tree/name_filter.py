"""Narrowing the file tree by name, computed from the index in one pass instead of row by row.

A row stays when its name contains the text, when something below it does (its
folders stay to lead there), or when a folder or video above it matched (a matching
folder keeps its files, a matching video its frames). Case is ignored.
"""

from __future__ import annotations

from itertools import chain

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from core.format.naming import FRAME
from gui.file_tree.model import ORPHAN, ORPHANS

Index = QModelIndex | QPersistentModelIndex


def _name(rel: str) -> str:
    return rel.rpartition("/")[2]


class FileFilterProxy(QSortFilterProxyModel):
    """Filter proxy over a FileTreeModel; `set_text` applies a new filter."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setDynamicSortFilter(False)  # names never change; badges repaint without re-filtering
        self._text = ""
        self._matched: set[str] = set()  # folders and media whose own name matches
        self._visible: set[str] = set()  # matches and the folders above them
        self._orphans_visible = False

    def setSourceModel(self, model) -> None:
        super().setSourceModel(model)
        model.modelReset.connect(self._recompute)

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        self._text = text.strip().lower()
        self._recompute()

    def _recompute(self) -> None:
        staged = hasattr(self, "beginFilterChange")  # Qt >= 6.9; invalidateRowsFilter before
        if staged:
            self.beginFilterChange()
        needle, index = self._text, self.sourceModel().index_obj()
        self._matched, self._visible, self._orphans_visible = set(), set(), False
        if needle and index is not None:
            names = chain((d for d in index.dirs if d), index.images, index.videos)
            self._matched = {rel for rel in names if needle in _name(rel).lower()}
            for rel in self._matched:
                while rel and rel not in self._visible:
                    self._visible.add(rel)
                    rel = rel.rpartition("/")[0]
            self._orphans_visible = any(needle in o.lower() for o in index.orphans)
        if staged:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def _under_match(self, rel: str, include_self: bool) -> bool:
        if include_self and rel in self._matched:
            return True
        while "/" in rel:
            rel = rel.rpartition("/")[0]
            if rel in self._matched:
                return True
        return False

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._text:
            return True
        kind, rel = self.sourceModel().kind_and_path(source_row, source_parent)
        if kind == FRAME:
            return self._under_match(rel, include_self=True)
        if kind == ORPHANS:
            return self._orphans_visible
        if kind == ORPHAN:
            return self._text in rel.lower()
        return rel in self._visible or self._under_match(rel, include_self=False)
