"""Rows of the file tree's folders without node objects: which rows are videos, an image
row's path, the rows that can be expanded, the samples of a run of rows; the row ids.

A mixin of gui.file_tree.model.FileTreeModel (which provides `_index`, `_nodes`, `_node`,
`_children`, `_video_rows`, `_videos_in`). Imports core.format, core.dataset.index_selection
and sample_roles only.
"""

from __future__ import annotations

import bisect
from typing import Any

from core.format.naming import IMAGE, VIDEO
from core.format.samples import SampleRef
from gui.file_tree.sample_roles import FOLDER

_FRAME_SHIFT = 31  # node ids stay below 2**31; a frame id is ((frame + 1) << 31) | video node id
_NODE_MASK = (1 << _FRAME_SHIFT) - 1
_IMAGE = 1 << 62  # an image's id: _IMAGE | (row << 31) | folder node id
_ROW_MASK = _NODE_MASK << _FRAME_SHIFT


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _find(names: list[str], name: str) -> int | None:
    """Row of `name` in a sorted list of names (the index keeps them sorted)."""
    i = bisect.bisect_left(names, name)
    return i if i < len(names) and names[i] == name else None


class FolderRows:
    """What a folder's file rows are, from its listing and the index's few videos."""

    def _is_video_row(self, node: Any, row: int) -> bool:
        """Whether a folder's file row is a video (else an image), from the few videos' names."""
        rows = self._video_rows.get(node.id)
        if rows is None:
            if self._videos_in is None:
                self._videos_in = {}
                for video in self._index.videos:
                    folder, _, name = video.rpartition("/")
                    self._videos_in.setdefault(folder, []).append(name)
            subs, files = self._children(node)
            found = (_find(files, name) for name in self._videos_in.get(node.rel, ()))
            rows = self._video_rows[node.id] = frozenset(len(subs) + r for r in found if r is not None)
        return row in rows

    def _image_rel(self, iid: int) -> str:
        folder = self._nodes[iid & _NODE_MASK]
        subs, files = self._children(folder)
        return _join(folder.rel, files[((iid & _ROW_MASK) >> _FRAME_SHIFT) - len(subs)])

    def branch_rows(self, parent: Any) -> list[int]:
        """Rows under `parent` that can have rows of their own (folders, videos, the orphans)."""
        node = self._node(parent)
        if node is None or node.kind != FOLDER or self._index is None:
            return []
        subs, files = self._children(node)
        self._is_video_row(node, 0)  # (computes the folder's video rows)
        orphans = [len(subs) + len(files)] if node.id == 0 and self._has_orphan_group() else []
        return [*range(len(subs)), *sorted(self._video_rows[node.id]), *orphans]

    def media_in(self, parent: Any, first: int, last: int) -> list | None:
        """The samples of rows first..last under `parent`, for core.dataset.index_selection
        .IndexSamples.join: arrays of media ids (a folder's images between its videos, found
        with a few lookups) and lists of frames; None when a file is not in the index."""
        from core.dataset.index_selection import folder_media_ids  # numpy: not before the first paint

        node = self._node(parent)
        if node is None or self._index is None:
            return []
        if node.kind != FOLDER:
            return [self.samples_in(parent, first, last)]
        subs, files = self._children(node)
        lo, hi = max(first, len(subs)), min(last + 1, len(subs) + len(files))
        self._is_video_row(node, lo)  # (computes the folder's video rows)
        media_id, parts, start = self._index.media_id, [], lo
        for row in [*sorted(r for r in self._video_rows[node.id] if lo <= r < hi), hi]:
            for a, b in ((start, row), (row, row + 1)):  # images before the video, then it
                if a < b and a < hi:
                    ids = folder_media_ids(media_id, lambda k, a=a: _join(node.rel, files[a - len(subs) + k]),
                                           b - a)
                    if ids is None:
                        return None
                    parts.append(ids)
            start = row + 1
        return parts

    def samples_in(self, parent: Any, first: int, last: int) -> list[SampleRef]:
        """The samples of rows first..last under `parent` (folders and orphans give none),
        read from the folder's listing: no index made per row (Ctrl+A over 100k files)."""
        node = self._node(parent)
        if node is None or self._index is None:
            return []
        if node.kind != FOLDER:  # a video's frames, or the orphans (no samples)
            return [s for s in (self.sample_at(self.index(r, 0, parent)) for r in range(first, last + 1))
                    if s is not None]
        subs, files = self._children(node)
        lo, hi = max(first, len(subs)), min(last + 1, len(subs) + len(files))
        if lo >= hi:
            return []
        self._is_video_row(node, lo)  # (computes the folder's video rows)
        videos, prefix = self._video_rows[node.id], f"{node.rel}/" if node.rel else ""
        names = files[lo - len(subs) : hi - len(subs)]  # decoded together
        return [SampleRef(prefix + name, VIDEO if row in videos else IMAGE)
                for row, name in enumerate(names, lo)]
