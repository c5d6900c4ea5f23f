"""The media tree as an item model over `DatasourceIndex.dirs`, built lazily.

Folder and video rows get a small node object the first time a view asks for them;
image and frame rows never do: an image's internal id encodes (folder node, row), a
frame's (video node, frame number), and a video's frames appear only when it is first
expanded (`fetchMore`), so a 10,000-frame video costs nothing until it is opened, and an
expanded folder of 100,000 images none (a view asks for every row of an expanded folder:
at 1M images, node objects for them were 22 MB). Orphan metadata files are listed
in their own top-level group.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from core.format.findings import Finding
from core.format.naming import FRAME, IMAGE, VIDEO
from core.format.samples import SampleRef
from gui.common.icons import badged, icon
from gui.file_tree import look as look
from gui.file_tree.folder_rows import _FRAME_SHIFT, _IMAGE, _NODE_MASK, FolderRows, _find, _join
from gui.file_tree.sample_roles import (
    FOLDER,
    KIND_ROLE,
    ORPHAN,
    ORPHANS,
    PATH_ROLE,
    SAMPLE_ROLE,
    STATE_ROLE,
    SampleRoles,
)

__all__ = ["FOLDER", "KIND_ROLE", "ORPHAN", "ORPHANS", "PATH_ROLE", "SAMPLE_ROLE", "STATE_ROLE",
           "FileTreeModel"]



_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_LEAF_FLAGS = _FLAGS | Qt.ItemFlag.ItemNeverHasChildren

Index = QModelIndex | QPersistentModelIndex


class _Node:
    __slots__ = ("id", "kind", "rel", "parent", "row", "children", "listing")

    def __init__(self, id_: int, kind: str, rel: str, parent: int, row: int):
        self.id, self.kind, self.rel, self.parent, self.row = id_, kind, rel, parent, row
        self.children: dict[int, int] = {}  # row -> node id, filled as rows are asked for
        self.listing: tuple | None = None  # a folder's (subfolders, files), looked up once




class FileTreeModel(FolderRows, SampleRoles, QAbstractItemModel):
    """Folders, images, videos (expanding into frames) and orphan metadata files."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._index: Any = None
        self._lookup: Any = None
        self._document: Callable[[str], Any] = lambda rel: None
        self._reset_nodes()

    def _reset_nodes(self) -> None:
        self._nodes: list[_Node] = [_Node(0, FOLDER, "", -1, -1)]
        self._fetched: dict[int, int] = {}  # video node id -> number of frame rows inserted
        self._video_rows: dict[int, frozenset[int]] = {}  # folder node id -> rows that are videos
        self._videos_in: dict[str, list[str]] | None = None  # folder rel -> names of its videos

    # --- configuration ----------------------------------------------------------------
    def set_index(self, index: Any) -> None:
        """Show a new DatasourceIndex (or None for an empty tree)."""
        self.beginResetModel()
        self._index = index
        self._reset_nodes()
        self.endResetModel()

    def index_obj(self) -> Any:
        return self._index

    def set_findings(self, lookup: Any) -> None:
        """Where badges and tooltips get findings (a gui.session.findings_lookup.FindingsLookup).

        Nothing is cached: rows repaint with the current findings (FileTreePanel.refresh_all).
        """
        self._lookup = lookup

    def _findings(self, sample: SampleRef) -> list[Finding]:
        return self._lookup.for_sample(sample) if self._lookup is not None else []

    def _findings_of_rel(self, rel: str) -> list[Finding]:
        return self._lookup.for_rel(rel) if self._lookup is not None else []

    def set_document_lookup(self, document: Callable[[str], Any]) -> None:
        """`document(metadata_rel)` -> the loaded core Document or None (unsaved edits)."""
        self._document = document

    def node_count(self) -> int:
        """Node objects created so far (frames never create any); for tests and benchmarks."""
        return len(self._nodes)

    # --- structure --------------------------------------------------------------------
    def _node(self, index: Index) -> _Node | None:
        """The node of `index` (root for an invalid index); None for an image or frame row."""
        if not index.isValid():
            return self._nodes[0]
        iid = index.internalId()
        return None if iid >> _FRAME_SHIFT else self._nodes[iid]

    def _children(self, node: _Node) -> tuple[list[str], list[str]]:
        # Kept on the node: views ask for it at every row (13 us a lookup in the index's folder
        # column: 4 s of a Ctrl+A over 100k files). Media never change without a new index.
        if node.listing is None:
            if self._index is None:
                return [], []
            node.listing = self._index.dirs.get(node.rel, ([], []))
        return node.listing

    def _has_orphan_group(self) -> bool:
        return self._index is not None and bool(self._index.orphans)

    def _child_kind_rel(self, node: _Node, row: int) -> tuple[str, str]:
        if node.kind == ORPHANS:
            return ORPHAN, self._index.orphans[row]
        subs, files = self._children(node)
        if row < len(subs):
            return FOLDER, _join(node.rel, subs[row])
        if row < len(subs) + len(files):
            media = _join(node.rel, files[row - len(subs)])
            return self._index.media_kind(media) or IMAGE, media
        return ORPHANS, ""

    def _child(self, node: _Node, row: int) -> _Node:
        cid = node.children.get(row)
        if cid is None:
            kind, rel = self._child_kind_rel(node, row)
            cid = len(self._nodes)
            self._nodes.append(_Node(cid, kind, rel, node.id, row))
            node.children[row] = cid
        return self._nodes[cid]

    def kind_and_path(self, row: int, parent: Index) -> tuple[str, str]:
        """(kind, rel) of a row without creating its node, so filtering 100k rows stays cheap.

        For a frame row, rel is its video.
        """
        node = self._node(parent)
        if node is None or self._index is None:
            return "", ""
        if node.kind == VIDEO:
            return FRAME, node.rel
        return self._child_kind_rel(node, row)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.column() > 0 or self._index is None:
            return 0
        node = self._node(parent)
        if node is None:
            return 0
        if node.kind == FOLDER:
            subs, files = self._children(node)
            return len(subs) + len(files) + (node.id == 0 and self._has_orphan_group())
        if node.kind == ORPHANS:
            return len(self._index.orphans)
        if node.kind == VIDEO:
            return self._fetched.get(node.id, 0)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        node = self._node(parent)
        if node is None or self._index is None or parent.column() > 0:
            return False
        if node.kind == VIDEO:
            return bool(self._index.frame_counts.get(node.rel))
        return self.rowCount(parent) > 0

    def canFetchMore(self, parent: Index) -> bool:
        node = self._node(parent)
        return (node is not None and node.kind == VIDEO and node.id not in self._fetched
                and bool(self._index.frame_counts.get(node.rel)))

    def fetchMore(self, parent: Index) -> None:
        """Add a video's frame rows (computed, no objects) when it is first expanded."""
        if not self.canFetchMore(parent):
            return
        node = self._node(parent)
        n = self._index.frame_counts.get(node.rel) or 0
        self.beginInsertRows(parent, 0, n - 1)
        self._fetched[node.id] = n
        self.endInsertRows()

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        # Hot path (views call it for every row they lay out): known rows skip the bounds checks.
        node = self._node(parent)
        if node is None or column != 0 or row < 0:
            return QModelIndex()
        cid = node.children.get(row)
        if cid is not None:
            return self.createIndex(row, 0, cid)
        if row >= self.rowCount(parent):
            return QModelIndex()
        if node.kind == VIDEO:
            return self.createIndex(row, 0, ((row + 1) << _FRAME_SHIFT) | node.id)
        if node.kind == FOLDER:
            subs, files = self._children(node)
            if len(subs) <= row < len(subs) + len(files) and not self._is_video_row(node, row):
                return self.createIndex(row, 0, _IMAGE | (row << _FRAME_SHIFT) | node.id)
        return self.createIndex(row, 0, self._child(node, row).id)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        iid = index.internalId()
        pid = iid & _NODE_MASK if iid >> _FRAME_SHIFT else self._nodes[iid].parent  # image: its folder
        if pid <= 0:
            return QModelIndex()
        p = self._nodes[pid]
        return self.createIndex(p.row, 0, p.id)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        node = self._node(index)
        return _LEAF_FLAGS if node is None or node.kind in (IMAGE, ORPHAN) else _FLAGS

    # --- samples ----------------------------------------------------------------------
    def sample_at(self, index: Index) -> SampleRef | None:
        if not index.isValid() or self._index is None:
            return None
        iid = index.internalId()
        if iid & _IMAGE:
            return SampleRef(self._image_rel(iid), IMAGE)
        if iid >> _FRAME_SHIFT:
            video = self._nodes[iid & _NODE_MASK]
            n = self._fetched.get(video.id, 0)
            return SampleRef.frame_of(video.rel, (iid >> _FRAME_SHIFT) - 1, n)
        node = self._nodes[iid]
        if node.kind in (IMAGE, VIDEO):
            return SampleRef(node.rel, node.kind)
        return None

    def index_of(self, media: str, frame: int | None = None, rows: dict | None = None) -> QModelIndex:
        """The row of a folder, media file or (fetching the video's frames) a frame.

        `rows`: a dict the caller keeps while it looks up many files: each folder's names are
        then decoded once (else a file is found by bisecting, decoding a name per probe)."""
        if self._index is None:
            return QModelIndex()
        parent = QModelIndex()
        node = self._nodes[0]
        parts = media.split("/") if media else []
        for depth, name in enumerate(parts):
            subs, files = self._children(node)
            last = depth == len(parts) - 1
            row = _find(subs, name)
            if row is None and last:
                if rows is None:
                    row = _find(files, name)
                else:
                    if node.id not in rows:
                        rows[node.id] = {n: i for i, n in enumerate(files[:])}
                    row = rows[node.id].get(name)
                row = None if row is None else row + len(subs)
            if row is None:
                return QModelIndex()
            parent = self.index(row, 0, parent)
            node = self._node(parent)
        if frame is None:
            return parent
        if node is None or node.kind != VIDEO:
            return QModelIndex()
        self.fetchMore(parent)
        return self.index(frame, 0, parent)

    def orphan_index(self, rel: str) -> QModelIndex:
        if not self._has_orphan_group():
            return QModelIndex()
        root_rows = self.rowCount()
        group = self.index(root_rows - 1, 0)
        row = _find(self._index.orphans, rel)
        return QModelIndex() if row is None else self.index(row, 0, group)

    # --- refreshing -----------------------------------------------------------------------
    def refresh_sample(self, sample: SampleRef) -> None:
        """Redraw a sample's row (and for a video, its frames, which inherit from it)."""
        idx = self.index_of(sample.media)
        if sample.kind == FRAME and idx.isValid():
            # only redraw a frame row that exists: never fetch a video's frames just for this
            fetched = self._fetched.get(idx.internalId(), 0)
            idx = self.index(sample.frame, 0, idx) if sample.frame < fetched else QModelIndex()
        if idx.isValid():
            self.dataChanged.emit(idx, idx)
            if sample.kind == VIDEO:
                self._frames_changed(idx)

    def _frames_changed(self, video_index: QModelIndex) -> None:
        n = self.rowCount(video_index)
        if n:
            self.dataChanged.emit(self.index(0, 0, video_index), self.index(n - 1, 0, video_index))

    def refresh_video(self, video: str) -> None:
        """A video's frame count changed: adjust its frame rows and redraw them."""
        vidx = self.index_of(video)
        if not vidx.isValid():
            return
        node = self._nodes[vidx.internalId()]
        old = self._fetched.get(node.id)
        new = self._index.frame_counts.get(video) or 0
        if old is not None and new > old:
            self.beginInsertRows(vidx, old, new - 1)
            self._fetched[node.id] = new
            self.endInsertRows()
        elif old is not None and new < old:
            self.beginRemoveRows(vidx, new, old - 1)
            self._fetched[node.id] = new
            self.endRemoveRows()
        self.dataChanged.emit(vidx, vidx)
        self._frames_changed(vidx)

    # --- data ---------------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._index is None:
            return None
        iid = index.internalId()
        if iid & _IMAGE:
            if role == KIND_ROLE:
                return IMAGE
            rel = self._image_rel(iid)
            if role == PATH_ROLE:
                return rel
            return self._sample_data(SampleRef(rel, IMAGE), rel.rpartition("/")[2], role)
        if iid >> _FRAME_SHIFT:
            return self._frame_data(index, role)
        node = self._nodes[iid]
        if role == KIND_ROLE:
            return node.kind
        if role == PATH_ROLE:
            return node.rel
        if node.kind in (IMAGE, VIDEO):
            return self._sample_data(SampleRef(node.rel, node.kind), node.rel.rpartition("/")[2], role)
        if role == Qt.ItemDataRole.DisplayRole:
            if node.kind == ORPHANS:
                return f"Orphan metadata ({len(self._index.orphans)})"
            return node.rel.rpartition("/")[2]
        if role == Qt.ItemDataRole.DecorationRole:
            if node.kind == ORPHAN:
                return badged("orphan", look.problem_badge(self._findings_of_rel(node.rel)))
            return icon("orphans" if node.kind == ORPHANS else "folder")
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._group_tooltip(node)
        return None
